/** What the framework typings share: the element's attributes and events, in framework-neutral types. */
import type { ReturningAiWidget } from '../element/returning-ai-widget.js';

/** The element's attributes, with the values each accepts (see the README's attribute table). */
export interface ReturningAiWidgetAttributes {
  'widget-id'?: string;
  'widget-type'?: string;
  'base-url'?: string;
  theme?: ReturningAiWidget['theme'];
  'auth-endpoint'?: string;
  storage?: ReturningAiWidget['storage'];
  'storage-key'?: string;
  loading?: ReturningAiWidget['loading'];
  label?: string;
  /** Milliseconds. Frameworks set it as the property (a number), since the element has one. */
  timeout?: number;
}

/** The element's events, as the package registers them in `GlobalEventHandlersEventMap`. */
export type ReturningAiWidgetEventMap = Pick<GlobalEventHandlersEventMap, 'rai-auth-success' | 'rai-auth-failure' | 'rai-logout' | 'rai-status-change'>;

/** The properties a framework may bind (camelCase, as Vue and React set properties on defined elements). */
export type ReturningAiWidgetProperties = Pick<
  ReturningAiWidget,
  'widgetId' | 'widgetType' | 'baseUrl' | 'theme' | 'authEndpoint' | 'storage' | 'storageKey' | 'loading' | 'label' | 'timeout' | 'tokenProvider'
>;
