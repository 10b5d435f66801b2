import { AuthError } from './auth-error.js';
import type { Environment } from './environment.js';

/**
 * Supplies a token in place of an auth endpoint, for apps that fetch tokens with their own HTTP client.
 * The signal aborts when the element no longer needs the token (timeout, logout, removal).
 */
export type TokenProvider = (options: { signal: AbortSignal }) => Promise<string>;

/** Where tokens come from: an auth endpoint URL or a provider function. */
export type TokenSource = string | TokenProvider;

/** Hears each failed attempt; `retrying` tells whether another attempt is scheduled. */
export type AttemptListener = (error: AuthError, retrying: boolean) => void;

/** How long to wait before each retry; its length is the number of retries. */
const RETRY_DELAYS_MS = [500, 1500];

/** One request to the source: the token it answers with, whatever its type, or an AuthError for an answer that says no. */
async function request(env: Environment, source: TokenSource, signal: AbortSignal): Promise<unknown> {
  if (typeof source === 'function') return source({ signal });
  // A redirect is not followed: an endpoint behind a login middleware that redirects means "not signed in".
  const response = await env.fetch(source, { method: 'POST', credentials: 'include', headers: { accept: 'application/json' }, redirect: 'manual', signal });
  const { status } = response;
  const fail = (reason: 'unauthorized' | 'http' | 'invalid-response', message = `auth endpoint answered ${status || 'a redirect'}`) =>
    new AuthError(reason, message, status || undefined);
  if (status === 401 || status === 403 || response.type === 'opaqueredirect') throw fail('unauthorized');
  if (!response.ok) throw fail('http');
  try {
    return ((await response.json()) as { token?: unknown } | null)?.token;
  } catch {
    throw fail('invalid-response', 'not JSON');
  }
}

/**
 * Obtains a token. Each attempt is bounded by `timeoutMs` on the environment's clock, even for a provider that ignores
 * its signal; network errors, timeouts and 5xx answers are retried with backoff. `report` hears every failed attempt.
 * Rejects with the last AuthError, or with the abort reason as soon as `signal` aborts (also during a backoff delay),
 * after which nothing more is reported.
 */
export async function fetchToken(env: Environment, source: TokenSource, timeoutMs: number, signal: AbortSignal, report: AttemptListener): Promise<string> {
  for (let retries = 0; ; retries++) {
    const deadline = new AbortController();
    const timer = env.setTimeout(() => deadline.abort(), timeoutMs);
    const attempt = AbortSignal.any([signal, deadline.signal]);
    // Listeners end with the attempt: one left on a signal that never fires would keep the whole flight, and the
    // elements that waited on it, alive.
    const done = new AbortController();
    let error: AuthError;
    try {
      const aborted = new Promise<never>((_, reject) => attempt.addEventListener('abort', () => reject(attempt.reason), { signal: done.signal }));
      const token = await Promise.race([request(env, source, attempt), aborted]);
      if (typeof token === 'string' && token) return token;
      error = new AuthError('invalid-response', 'no token');
    } catch (thrown) {
      signal.throwIfAborted();
      error =
        thrown instanceof AuthError ? thrown
        : deadline.signal.aborted ? new AuthError('timeout', `no token within ${timeoutMs} ms`)
        : new AuthError('network', typeof source === 'function' ? 'tokenProvider failed' : 'auth endpoint unreachable');
    } finally {
      env.clearTimeout(timer);
      done.abort();
    }
    // Only answers of 500 and above carry such a status: the server's failures.
    const retrying = retries < RETRY_DELAYS_MS.length && (error.reason === 'network' || error.reason === 'timeout' || error.status! >= 500);
    report(error, retrying);
    if (!retrying) throw error;
    // A listener of that report may have ended it all (a logout, the last element removed).
    signal.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const waited = new AbortController();
      const wait = env.setTimeout(() => {
        waited.abort();
        resolve();
      }, RETRY_DELAYS_MS[retries]!);
      signal.addEventListener(
        'abort',
        () => {
          env.clearTimeout(wait);
          reject(signal.reason);
        },
        { signal: waited.signal },
      );
    });
  }
}
