/**
 * The package entry: the element class, its types, and the `<returning-ai-widget>` definition.
 * Import `returning-ai-widget/returning-ai-widget.js` instead for the class without defining the tag.
 */
import './returning-ai-widget-define.js';

export { ReturningAiWidget, type WidgetStatus } from './returning-ai-widget.js';
export type { AuthFailureReason } from './auth-error.js';
export type { AuthFailureDetail, AuthSuccessDetail, LogoutDetail } from './events.js';
export type { TokenProvider } from './token-fetch.js';
export type { StorageKind } from './environment.js';
