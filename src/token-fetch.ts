import { AuthError } from './auth-error.js';

/**
 * Supplies a token in place of an auth endpoint, for apps that fetch tokens with their own HTTP client.
 * The signal aborts when the element no longer needs the token (timeout, logout, removal).
 */
export type TokenProvider = (options: { signal: AbortSignal }) => Promise<string>;

/** Where tokens come from: an auth endpoint URL or a provider function. */
export type TokenSource = string | TokenProvider;

/** How long to wait before each retry; its length is the number of retries. */
const RETRY_DELAYS_MS = [500, 1500];

const isTransient = (error: AuthError) =>
  error.reason === 'network' || error.reason === 'timeout' || (error.reason === 'http' && error.status! >= 500);

/** Resolves after `ms`, or rejects as soon as `signal` aborts (clearing its timer). */
const delay = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

async function requestToken(source: TokenSource, signal: AbortSignal): Promise<unknown> {
  if (typeof source === 'function') {
    // A provider that ignores its signal still cannot outlive the timeout.
    return Promise.race([
      source({ signal }),
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
    ]);
  }
  const response = await fetch(source, {
    method: 'POST',
    credentials: 'include',
    headers: { accept: 'application/json' },
    signal,
  });
  const { status } = response;
  if (status === 401 || status === 403) throw new AuthError('unauthorized', `auth endpoint answered ${status}`, status);
  if (!response.ok) throw new AuthError('http', `auth endpoint answered ${status}`, status);
  try {
    return (await response.json()).token;
  } catch {
    if (signal.aborted) throw signal.reason;
    throw new AuthError('invalid-response', 'not JSON', status);
  }
}

/** One attempt, bounded by `timeoutMs`; every failure becomes an AuthError, except the caller's own abort. */
async function attempt(source: TokenSource, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const attemptSignal = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  let token: unknown;
  try {
    token = await requestToken(source, attemptSignal);
  } catch (error) {
    signal.throwIfAborted();
    if (error instanceof AuthError) throw error;
    if (attemptSignal.aborted) throw new AuthError('timeout', `no token within ${timeoutMs} ms`);
    throw new AuthError('network', typeof source === 'function' ? 'tokenProvider failed' : 'auth endpoint unreachable');
  }
  if (typeof token !== 'string' || !token) throw new AuthError('invalid-response', 'no token');
  return token;
}

/**
 * Obtains a token, retrying network errors, timeouts and 5xx answers with backoff. `report` hears every failed
 * attempt, with `retrying` telling whether another attempt is scheduled. Rejects with the last AuthError,
 * or with the abort reason when `signal` aborts.
 */
export async function fetchToken(
  source: TokenSource,
  timeoutMs: number,
  signal: AbortSignal,
  report: (error: AuthError, retrying: boolean) => void,
): Promise<string> {
  for (let retries = 0; ; retries++) {
    try {
      return await attempt(source, timeoutMs, signal);
    } catch (error) {
      signal.throwIfAborted();
      const retrying = retries < RETRY_DELAYS_MS.length && isTransient(error as AuthError);
      report(error as AuthError, retrying);
      if (!retrying) throw error;
      await delay(RETRY_DELAYS_MS[retries]!, signal);
    }
  }
}
