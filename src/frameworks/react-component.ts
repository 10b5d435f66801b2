/**
 * `<ReturningAiWidget>`: the element as a React component, for React 18 and 19, made with `@lit/react`. React 18
 * sets unknown props on a custom element as string attributes and never listens to its events; the component
 * sets every prop as the element's property and adds the event props as listeners, on both versions.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import type { AuthFailureDetail, AuthSuccessDetail, LogoutDetail, StatusChangeDetail } from '../element/events.js';
import { ReturningAiWidget as ReturningAiWidgetElement } from '../element/returning-ai-widget.js';
import { widgetMarkup, type WidgetAttributes } from '../ssr/render-widget.js';
import type { ReturningAiWidgetProperties } from './shared.js';

/** The event props and the element events they listen to. */
export interface ReturningAiWidgetComponentEventProps {
  /** `rai-auth-success`: the widget was handed a token. */
  onAuthSuccess?: (event: CustomEvent<AuthSuccessDetail>) => void;
  /** `rai-auth-failure`: an attempt to obtain a token failed, or the configuration is invalid. */
  onAuthFailure?: (event: CustomEvent<AuthFailureDetail>) => void;
  /** `rai-logout`: the token was removed and the widget reset. */
  onLogout?: (event: CustomEvent<LogoutDetail>) => void;
  /** `rai-status-change`: `status` changed; `event.detail` is `{ status, reason? }`. */
  onStatusChange?: (event: CustomEvent<StatusChangeDetail>) => void;
}

/** What the component renders inside the tag: content for the element's slots. */
export interface ReturningAiWidgetComponentChildren {
  /**
   * Content for the element's slots, each child naming its slot: `slot="loading"` (replaces the spinner),
   * `slot="error"` (replaces the error panel's content; call `retry()` from your own button) and `slot="signed-out"`
   * (shown over the widget's foot while signed out). A child without one of these `slot` names is not shown.
   */
  children?: React.ReactNode;
}

/**
 * The component's props: the element's properties in camelCase (`widgetId`, `authEndpoint`, `tokenProvider`, …),
 * the event props, slot content as `children`, React's own HTML props (`id`, `className`, `style`, …) and a `ref`
 * to the element.
 */
export type ReturningAiWidgetComponentProps = Partial<ReturningAiWidgetProperties> &
  ReturningAiWidgetComponentEventProps &
  ReturningAiWidgetComponentChildren &
  Omit<React.HTMLAttributes<ReturningAiWidgetElement>, 'children' | 'dangerouslySetInnerHTML' | keyof ReturningAiWidgetProperties> &
  React.RefAttributes<ReturningAiWidgetElement>;

// Lit creates the property accessors when it finalizes the class. @lit/react sets a prop as a property only if
// the prototype has it, so finalize now: before the tag is defined, and on the server, where it never is.
void ReturningAiWidgetElement.observedAttributes;

const Element = createComponent({
  react: React,
  tagName: 'returning-ai-widget',
  elementClass: ReturningAiWidgetElement,
  events: {
    onAuthSuccess: 'rai-auth-success' as EventName<CustomEvent<AuthSuccessDetail>>,
    onAuthFailure: 'rai-auth-failure' as EventName<CustomEvent<AuthFailureDetail>>,
    onLogout: 'rai-logout' as EventName<CustomEvent<LogoutDetail>>,
    onStatusChange: 'rai-status-change' as EventName<CustomEvent<StatusChangeDetail>>,
  },
});

// React warns about useLayoutEffect in server rendering (React 18); there is nothing to define there anyway.
const useClientLayoutEffect = typeof window === 'undefined' ? () => {} : React.useLayoutEffect;

// Each property with an attribute, by its attribute's name: `widgetId` is `widget-id` (Lit's own declarations).
const ATTRIBUTES = [...ReturningAiWidgetElement.elementProperties]
  .filter(([, options]) => options.attribute !== false)
  .map(([name, options]) => [name as string, typeof options.attribute === 'string' ? options.attribute : (name as string).toLowerCase()] as const);

/** The element's attributes for the props given: what `renderWidget()` of `returning-ai-widget/ssr` takes. */
function attributesOf(props: Record<string, unknown>): WidgetAttributes {
  const attributes: Record<string, unknown> = {};
  for (const [name, attribute] of ATTRIBUTES) if (typeof props[name] === 'string' || typeof props[name] === 'number') attributes[attribute] = props[name];
  return attributes as WidgetAttributes;
}

/** The server-rendered frame's attributes as React props (`frameborder` is `frameBorder` to React). */
function frameProps({ frameborder, ...frame }: Record<string, string>) {
  return { ...frame, frameBorder: frameborder };
}

/**
 * `<returning-ai-widget>` for React 18 and 19, server rendering included:
 *
 *     <ReturningAiWidget widgetId="…" tokenProvider={tokenProvider} onStatusChange={(event) => …}>
 *       <p slot="loading">Loading your rewards…</p>
 *     </ReturningAiWidget>
 *
 * The tag is defined when the first component mounts, after its props are set (child effects run first). A
 * server-rendered tag is thus upgraded with its whole configuration, not as an empty element that would report
 * a missing `widget-id` before hydration. Keep `tokenProvider` stable (module scope or `useCallback`): a new
 * function is a new token source, and the widget signs in again.
 */
export const ReturningAiWidget = React.forwardRef<ReturningAiWidgetElement, Omit<ReturningAiWidgetComponentProps, 'ref'>>(
  function ReturningAiWidget(props, ref) {
    useClientLayoutEffect(() => ReturningAiWidgetElement.define(), []);
    // A prop given as undefined (`baseUrl={process.env.…}`) keeps the element's default, as a left-out prop does,
    // instead of setting the property to undefined.
    const given = Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined));
    // The widget's iframe as `renderWidget()` makes it, server rendering included: it is in the HTML, so the widget
    // page loads while the page is parsed, and the element adopts it. Its first attributes are kept, so React never
    // navigates it again: the element does, when a prop changes. (The element's own props stay properties, set in
    // the browser: a function, or half a configuration, has no place in the HTML.)
    const [frame] = React.useState(() => {
      const { frame } = widgetMarkup(attributesOf(given));
      return frame && React.createElement('iframe', frameProps(frame));
    });
    return React.createElement(Element, { ...given, ref }, frame, props.children);
  },
);
