/**
 * `returning-ai-widget/react`: the element for React apps.
 *
 * - `ReturningAiWidget`, a React component for React 18 and 19 (server rendering included), with camelCase
 *   props (`widgetId`, `tokenProvider`, …), the event props `onAuthSuccess`, `onAuthFailure`, `onLogout` and
 *   `onStatusChange`, and slot content as children:
 *
 *       import { ReturningAiWidget } from 'returning-ai-widget/react';
 *
 * - `ReturningAiWidgetElement`, the element class (for `ref` types and the static `logout()`), without
 *   defining the tag at import; and the event detail types and `WidgetStatus`, for the handlers.
 * - Opt-in React 19 typings for the `<returning-ai-widget>` tag in JSX. Load them once, in any file of a React app:
 *
 *       import type {} from 'returning-ai-widget/react';
 *
 *   React 19 sets a prop as a property when the element has one (`tokenProvider`, or `widgetId`), as an attribute
 *   otherwise (`widget-id`), and turns `on<event-name>` props into listeners for that exact event name.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { ReturningAiWidget } from '../element/returning-ai-widget.js';
import type { ReturningAiWidgetAttributes, ReturningAiWidgetEventMap, ReturningAiWidgetProperties } from './shared.js';

export type { ReturningAiWidgetAttributes, ReturningAiWidgetEventMap } from './shared.js';
export type { AuthFailureDetail, AuthSuccessDetail, LogoutDetail, StatusChangeDetail, StatusReason } from '../element/events.js';
export type { WidgetStatus } from '../element/widget-exchange.js';
export {
  ReturningAiWidget,
  type ReturningAiWidgetComponentChildren,
  type ReturningAiWidgetComponentEventProps,
  type ReturningAiWidgetComponentProps,
} from './react-component.js';
export { ReturningAiWidget as ReturningAiWidgetElement } from '../element/returning-ai-widget.js';

/** `onrai-auth-success`, `onrai-auth-failure`, `onrai-logout`, `onrai-status-change`: listeners for the element's events. */
export type ReturningAiWidgetEventProps = {
  [Type in keyof ReturningAiWidgetEventMap as `on${Type}`]?: (event: ReturningAiWidgetEventMap[Type]) => void;
};

/** The props of `<returning-ai-widget>` in JSX: React's own, the attributes, the properties and the event listeners. */
export type ReturningAiWidgetProps = DetailedHTMLProps<HTMLAttributes<ReturningAiWidget>, ReturningAiWidget> &
  ReturningAiWidgetAttributes &
  Partial<ReturningAiWidgetProperties> &
  ReturningAiWidgetEventProps;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX types live in this namespace
  namespace JSX {
    interface IntrinsicElements {
      'returning-ai-widget': ReturningAiWidgetProps;
    }
  }
}
