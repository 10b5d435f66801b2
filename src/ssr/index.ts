/**
 * `returning-ai-widget/ssr`: the element's markup for server-rendered pages, with the widget's iframe already in it.
 * Safe to import anywhere: it never touches `window`, `document` or `customElements`.
 *
 *     import { renderWidget } from 'returning-ai-widget/ssr';
 *     const html = renderWidget({ 'widget-id': 'w1', 'auth-endpoint': '/api/widget-auth' });
 */
export { renderWidget, widgetMarkup, type WidgetAttributes, type WidgetMarkup } from './render-widget.js';
