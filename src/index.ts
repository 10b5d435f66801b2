/**
 * The package entry: the element class, its types, and the `<returning-ai-widget>` definition.
 * Import `returning-ai-widget/returning-ai-widget.js` instead for the class without defining the tag.
 */
import './element/returning-ai-widget-define.js';

export { ReturningAiWidget, type WidgetStatus } from './element/returning-ai-widget.js';
export type { AuthFailureReason } from './core/auth-error.js';
export type { AuthFailureDetail, AuthSuccessDetail, LogoutDetail, StatusChangeDetail, StatusReason } from './element/events.js';
export type { TokenProvider } from './core/token-fetch.js';
export type { StorageKind } from './core/environment.js';
