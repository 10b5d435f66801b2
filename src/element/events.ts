import type { AuthFailureReason } from '../core/auth-error.js';
import type { WidgetStatus } from './widget-exchange.js';

/** Detail of `rai-auth-success`: the widget was handed a token. */
export interface AuthSuccessDetail {
  /** The widget's id. */
  widgetId: string;
  /** True when the token replaced one the widget already had (its token expired, or it reloaded itself). */
  refreshed: boolean;
  /** When the token expires (epoch ms), if it is a JWT with an `exp` claim. */
  expiresAt?: number;
}

/** Detail of `rai-auth-failure`: an attempt to obtain a token failed, or the configuration is invalid. */
export interface AuthFailureDetail {
  /** The widget's id. */
  widgetId: string;
  /** What went wrong, in a word the page can branch on. */
  reason: AuthFailureReason;
  /** The auth endpoint's HTTP status, when it answered. */
  status?: number;
  /** A human-readable explanation; never contains a token. */
  message: string;
  /** True while another attempt is scheduled. */
  retrying: boolean;
}

/** Detail of `rai-logout`: the token was removed and the widget reset. */
export interface LogoutDetail {
  /** The widget's id. */
  widgetId: string;
}

/** Why the status is `error` (the failure's reason) or `logged-out` (`logout`, or `unauthorized` after a 401/403). */
export type StatusReason = AuthFailureReason | 'logout';

/** Detail of `rai-status-change`: the element's `status` changed (or, within `error` or `logged-out`, its reason). */
export interface StatusChangeDetail {
  /** The new status, as the `status` property and attribute now say. */
  status: WidgetStatus;
  /** Set for `error` and `logged-out`. */
  reason?: StatusReason;
}

/** The element's events bubble and cross shadow roots, so a page can listen on any ancestor. */
export const widgetEvent = <T>(type: keyof GlobalEventHandlersEventMap, detail: T) =>
  new CustomEvent<T>(type, { detail, bubbles: true, composed: true });

declare global {
  interface GlobalEventHandlersEventMap {
    'rai-auth-success': CustomEvent<AuthSuccessDetail>;
    'rai-auth-failure': CustomEvent<AuthFailureDetail>;
    'rai-logout': CustomEvent<LogoutDetail>;
    'rai-status-change': CustomEvent<StatusChangeDetail>;
  }
}
