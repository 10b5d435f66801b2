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

// Only answers with a status carry one of 500 and above: the server's failures (http).
const isTransient = (error: AuthError) => error.reason === 'network' || error.reason === 'timeout' || error.status! >= 500;

/** Runs `task` with a signal that aborts with `signal`, or after `ms` on the environment's clock (a `timeout`). */
async function bounded<T>(env: Environment, ms: number, signal: AbortSignal, task: (signal: AbortSignal) => Promise<T>) {
  const deadline = new AbortController();
  const timer = env.setTimeout(() => deadline.abort(), ms);
  const both = AbortSignal.any([signal, deadline.signal]);
  try {
    // A task that ignores its signal still cannot outlive it.
    return await Promise.race([task(both), new Promise<never>((_, reject) => both.addEventListener('abort', () => reject(both.reason)))]);
  } catch (error) {
    signal.throwIfAborted();
    throw deadline.signal.aborted ? new AuthError('timeout', `no token within ${ms} ms`) : error;
  } finally {
    env.clearTimeout(timer);
  }
}

async function requestToken(env: Environment, source: TokenSource, signal: AbortSignal): Promise<unknown> {
  if (typeof source === 'function') return source({ signal });
  // A redirect is not followed: an endpoint behind a login middleware that redirects means "not signed in".
  const response = await env.fetch(source, { method: 'POST', credentials: 'include', headers: { accept: 'application/json' }, redirect: 'manual', signal });
  const { status } = response;
  if (status === 401 || status === 403 || response.type === 'opaqueredirect') {
    throw new AuthError('unauthorized', `auth endpoint answered ${status || 'a redirect'}`, status || undefined);
  }
  if (!response.ok) throw new AuthError('http', `auth endpoint answered ${status}`, status);
  try {
    return ((await response.json()) as { token?: unknown } | null)?.token;
  } catch {
    throw new AuthError('invalid-response', 'not JSON', status);
  }
}

/** One attempt, bounded by `timeoutMs`; every failure becomes an AuthError, except the caller's own abort. */
async function attempt(env: Environment, source: TokenSource, timeoutMs: number, signal: AbortSignal): Promise<string> {
  let token: unknown;
  try {
    token = await bounded(env, timeoutMs, signal, (attemptSignal) => requestToken(env, source, attemptSignal));
  } catch (error) {
    signal.throwIfAborted();
    if (error instanceof AuthError) throw error;
    throw new AuthError('network', typeof source === 'function' ? 'tokenProvider failed' : 'auth endpoint unreachable');
  }
  if (typeof token !== 'string' || !token) throw new AuthError('invalid-response', 'no token');
  return token;
}

/** Resolves after `ms` on the environment's clock, or rejects as soon as `signal` aborts. */
const delay = (env: Environment, ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = env.setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      env.clearTimeout(timer);
      reject(signal.reason);
    });
  });

/**
 * Obtains a token, retrying network errors, timeouts and 5xx answers with backoff. `report` hears every failed
 * attempt. Rejects with the last AuthError, or with the abort reason as soon as `signal` aborts (also during a
 * backoff delay).
 */
export async function fetchToken(env: Environment, source: TokenSource, timeoutMs: number, signal: AbortSignal, report: AttemptListener): Promise<string> {
  for (let retries = 0; ; retries++) {
    try {
      return await attempt(env, source, timeoutMs, signal);
    } catch (error) {
      signal.throwIfAborted();
      const retrying = retries < RETRY_DELAYS_MS.length && isTransient(error as AuthError);
      report(error as AuthError, retrying);
      if (!retrying) throw error;
      await delay(env, RETRY_DELAYS_MS[retries]!, signal);
    }
  }
}
