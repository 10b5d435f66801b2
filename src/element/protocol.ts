/**
 * The postMessage protocol between the host page and the Returning.AI widget iframe
 * (vendor docs, "Auth - Token").
 */

/** Widget → page: the widget needs a token (first load, or its token expired). */
export const TOKEN_REQUEST = 'RETURNINGAI_WIDGET_REQUEST_TOKEN';

/** Page → widget: the answer to a token request, or a token pushed to a widget document that loaded without asking. */
export const TOKEN_REPLY = 'RETURNINGAI_WIDGET_TOKEN';

/** Page → widget: a token's replacement, pushed before the token expires (the vendor's newer SDK). */
export const TOKEN_REFRESH = 'RETURNINGAI_WIDGET_REFRESH';

/** Whether `data` is a token request. Junk (null, primitives, arrays, odd objects) is simply not one. */
export const isTokenRequest = (data: unknown): boolean =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === TOKEN_REQUEST;
