/**
 * Opt-in Vue 3 typings for `<returning-ai-widget>` in templates (checked by vue-tsc / Vue's language tools).
 * Load them once, in any file of a Vue app:
 *
 *     import type {} from 'returning-ai-widget/vue';
 *
 * The shape follows Vue's guide for custom elements not built with Vue: `$props` lists what templates may bind,
 * `$emit` the events `@rai-auth-success` and the others listen to.
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { ReturningAiWidget } from '../element/returning-ai-widget.js';
import type { ReturningAiWidgetEventMap, ReturningAiWidgetProperties } from './shared.js';

export type { ReturningAiWidgetAttributes, ReturningAiWidgetEventMap } from './shared.js';

/** The element as a Vue template sees it. `$props` and `$emit` exist for type checking only, not on the element. */
export type ReturningAiWidgetVueComponent = new () => ReturningAiWidget & {
  /** @deprecated For template type checking only: the element has no `$props`. */
  $props: HTMLAttributes & Partial<ReturningAiWidgetProperties> & PublicProps;
  /** @deprecated For template type checking only: the element has no `$emit`. */
  $emit: EmitFn<{ [Type in keyof ReturningAiWidgetEventMap]: (event: ReturningAiWidgetEventMap[Type]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'returning-ai-widget': ReturningAiWidgetVueComponent;
  }
}
