import type { WidgetAuthErrorCode } from './errors.js';

/**
 * Headers on every answer: a token is per-user and short-lived, so no cache (browser, CDN or
 * proxy) may keep it, and error bodies must not be sniffed as anything but JSON.
 */
function baseHeaders(): Headers {
  return new Headers({
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
}

/** A JSON response with the headers every answer of this handler carries. */
export function jsonResponse(status: number, body: Record<string, string>, extraHeaders?: Record<string, string>): Response {
  const headers = baseHeaders();
  for (const [name, value] of Object.entries(extraHeaders ?? {})) headers.set(name, value);
  return new Response(JSON.stringify(body), { status, headers });
}

/** `200 { "token": … }`: the only success answer. */
export function tokenResponse(token: string): Response {
  return jsonResponse(200, { token });
}

/** `405` with `Allow: POST`: the endpoint only mints tokens, which is not a safe (GET) operation. */
export function methodNotAllowedResponse(): Response {
  return jsonResponse(405, { error: 'method-not-allowed' }, { Allow: 'POST' });
}

/**
 * An error answer with a fixed code (and, for `upstream-rejected`, a fixed hint). Nothing from the
 * upstream answer or the exception is echoed, so secrets and stack traces cannot reach the browser.
 */
export function errorResponse(status: number, code: WidgetAuthErrorCode): Response {
  const body: Record<string, string> = { error: code };
  if (code === 'upstream-rejected') body.message = 'Returning.AI rejected the API key or community id';
  return jsonResponse(status, body);
}
