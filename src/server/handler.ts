import { isCrossSite } from './cross-site.js';
import { isPlausibleEmail } from './email.js';
import { WidgetAuthError } from './errors.js';
import { withoutSecret } from './safe-cause.js';
import { resolveOptions, type ResolvedOptions, type WidgetAuthHandlerOptions } from './options.js';
import { errorResponse, methodNotAllowedResponse, tokenResponse } from './responses.js';
import { TokenSource } from './token-source.js';

/**
 * A Fetch-standard request handler, usable as-is by Next.js route handlers, Hono, Deno, Bun and
 * Cloudflare Workers. It never rejects: every failure becomes a JSON error response.
 *
 * @typeParam C - type of the optional second argument, passed through to `getUserEmail`
 */
export interface WidgetAuthHandler<C = unknown> {
  (request: Request, context?: C): Promise<Response>;
  /**
   * Drops the cached token of one user, e.g. when they sign out, so that their next request gets a new token
   * rather than the one already handed out. With a shared `cache`, this drops it for every instance. The user's
   * requests in progress in this process, even those still in `getUserEmail`, get their token but neither store
   * nor share it.
   *
   * @param email - the email `getUserEmail` returns for that user
   * @throws what the cache store's `delete` throws
   */
  forgetToken(email: string): Promise<void>;
}

/**
 * Creates the backend endpoint of the token flow: it looks up the signed-in user's email with
 * `getUserEmail`, exchanges it for a widget token with Returning.AI (keeping the API key on the
 * server) and answers `200 { "token": "…" }`. Concurrent requests of one user share one upstream call,
 * and a token with a known expiry is reused for that user until shortly before it expires (see `cache`).
 *
 * Only `POST` is accepted, and not from a page of another site (`Sec-Fetch-Site: cross-site`, or an `Origin`
 * that is neither the request's own nor in `allowedOrigins`). Answers: 405 other methods, 403 cross-site, 401
 * nobody signed in, 400 implausible email, 500 internal failure, 502 Returning.AI rejected/failed/answered
 * garbage or could not be reached, 504 Returning.AI timed out. Every body is JSON with a fixed `error` code;
 * nothing from Returning.AI's answer or any exception reaches the browser. Every answer is `Cache-Control: no-store`.
 *
 * @typeParam C - type of the handler's optional second argument (framework context, `{ req, res }`
 *   for {@link toNodeHandler}), passed through to `getUserEmail`
 * @param options - see {@link WidgetAuthHandlerOptions}
 * @throws {TypeError} at creation, naming the option, when a required option is missing or invalid
 *
 * @example
 * ```ts
 * export const POST = createWidgetAuthHandler({
 *   apiKey: process.env.RETURNING_AI_API_KEY!,
 *   communityId: process.env.RETURNING_AI_COMMUNITY_ID!,
 *   getUserEmail: async () => (await auth())?.user?.email,
 * });
 * ```
 */
export function createWidgetAuthHandler<C = unknown>(options: WidgetAuthHandlerOptions<C>): WidgetAuthHandler<C> {
  const resolved = resolveOptions(options);
  const tokens = new TokenSource(resolved, resolved.cache);

  const handler = async (request: Request, context?: C): Promise<Response> => {
    if (request.method !== 'POST') return methodNotAllowedResponse();
    if (isCrossSite(request, resolved.allowedOrigins)) return errorResponse(403, 'cross-site');
    // Followed from before the session is read, so that a forgetToken() from now on reaches this request.
    return tokens.follow((forgotten) => signedInAnswer(resolved, tokens, request, context, forgotten));
  };
  return Object.assign(handler, { forgetToken: (email: string) => tokens.forget(email) });
}

/** The answer for the user `getUserEmail` names: a token, or why there is none. */
async function signedInAnswer<C>(
  resolved: ResolvedOptions<C>,
  tokens: TokenSource,
  request: Request,
  context: C | undefined,
  forgotten: ReadonlySet<string>,
): Promise<Response> {
  let email: unknown;
  try {
    // `context as C`: the handler may be called without one; the option's JSDoc says so.
    email = await resolved.getUserEmail(request, context as C);
  } catch (error) {
    return internalError(resolved, request, 'getUserEmail threw', error);
  }
  if (email === null || email === undefined || email === '') return errorResponse(401, 'unauthenticated');
  if (typeof email !== 'string') {
    return internalError(resolved, request, `getUserEmail returned something of type ${typeof email}, not a string`, undefined);
  }
  if (!isPlausibleEmail(email)) return errorResponse(400, 'invalid-email');

  // Store failures do not fail the request; they are reported once its answer is known.
  const cacheFailures: unknown[] = [];
  const response = await tokenAnswer(resolved, request, tokens, email, forgotten, (cause) => cacheFailures.push(cause));
  for (const cause of cacheFailures) {
    const message = 'the token cache failed; the request went on without it';
    report(resolved, new WidgetAuthError('cache-unavailable', message, { status: response.status, cause: withoutSecret(cause, resolved.apiKey) }), request);
  }
  return response;
}

/** `200 { token }`, or the error answer of a failed upstream call (reported to `onError`). */
async function tokenAnswer(
  resolved: ResolvedOptions<never>,
  request: Request,
  tokens: TokenSource,
  email: string,
  forgotten: ReadonlySet<string>,
  cacheFailed: (cause: unknown) => void,
): Promise<Response> {
  try {
    return tokenResponse(await tokens.tokenFor(email, forgotten, cacheFailed));
  } catch (error) {
    if (error instanceof WidgetAuthError) {
      report(resolved, error, request);
      return errorResponse(error.status, error.code);
    }
    // The token source only throws WidgetAuthError; this guards against a bug turning into a reject.
    return internalError(resolved, request, 'unexpected failure', error);
  }
}

/** Answers 500 `internal` and reports a copy of the cause that cannot hold the API key. */
function internalError(resolved: ResolvedOptions<never>, request: Request, message: string, cause: unknown): Response {
  const error = new WidgetAuthError('internal', message, { status: 500, cause: withoutSecret(cause, resolved.apiKey) });
  report(resolved, error, request);
  return errorResponse(500, 'internal');
}

/** Calls `onError`, swallowing anything it throws or rejects with: logging must not break the answer. */
function report(resolved: ResolvedOptions<never>, error: WidgetAuthError, request: Request): void {
  let result: unknown;
  try {
    // Stryker disable next-line OptionalChaining: without onError, calling it throws a TypeError that the catch swallows: the same nothing
    result = resolved.onError?.(error, request);
  } catch {
    // Ignored on purpose, see above.
  }
  if (result instanceof Promise) result.catch(() => {});
}
