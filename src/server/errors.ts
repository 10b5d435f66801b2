/**
 * Fixed error codes the handler answers with, in the JSON body as `{ "error": code }`.
 *
 * Client errors (`method-not-allowed`, `cross-site`, `unauthenticated`, `invalid-email`) are the caller's doing;
 * the others are failures on the server side and are reported to `onError`. `cache-unavailable` is only
 * reported, never answered: the token cache failed and the request went on without it.
 */
export type WidgetAuthErrorCode =
  | 'method-not-allowed'
  | 'cross-site'
  | 'unauthenticated'
  | 'invalid-email'
  | 'internal'
  | 'upstream-rejected'
  | 'upstream-error'
  | 'upstream-invalid-response'
  | 'upstream-timeout'
  | 'upstream-unreachable'
  | 'cache-unavailable';

/** Options for {@link WidgetAuthError}. */
export interface WidgetAuthErrorOptions {
  /** HTTP status the handler answered the browser with (for `cache-unavailable`, the status it answered anyway). */
  status: number;
  /** HTTP status Returning.AI answered with, when it answered at all. */
  upstreamStatus?: number;
  /** The underlying error (a network error, an exception thrown by `getUserEmail`, …), already made safe to log. */
  cause?: unknown;
}

/**
 * The error handed to `onError` for every server-side failure.
 *
 * Its message is a fixed sentence: it never contains the API key, the user's email or the
 * upstream body, so hosts can log it as-is. Its `cause` is a copy of the underlying error that keeps
 * its class, name, message, stack, primitive properties (`code`, `errno`, …) and cause chain, with the
 * API key replaced by `[redacted]`; objects it carried (request options, headers) are left out.
 */
export class WidgetAuthError extends Error {
  /** The code the browser received in `{ "error": code }`. */
  readonly code: WidgetAuthErrorCode;
  /** HTTP status the browser received. */
  readonly status: number;
  /** HTTP status Returning.AI answered with, if it answered. */
  readonly upstreamStatus: number | undefined;

  /**
   * @param code - the error code sent to the browser
   * @param message - a fixed, secret-free description
   * @param options - status, upstream status and cause
   */
  constructor(code: WidgetAuthErrorCode, message: string, options: WidgetAuthErrorOptions) {
    // Only pass `cause` when there is one, so `'cause' in error` stays meaningful.
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WidgetAuthError';
    this.code = code;
    this.status = options.status;
    this.upstreamStatus = options.upstreamStatus;
  }
}
