/** A token is not handed out when it expires within this margin: the widget would reject it at once. */
const EXPIRY_MARGIN_MS = 30_000;
/** A token's replacement is fetched ahead of its expiry by a quarter of its remaining life, at most this. */
const MAX_REFRESH_LEAD_MS = 60_000;
/** How far a browser's clock may run ahead of the server's with the refresh still getting a new token: at most this. */
const MAX_CLOCK_SKEW_MS = 30_000;

/**
 * The numeric `exp` and `iat` claims of a JWT, in seconds. Anything unreadable (not a JWT, a payload that is not
 * an object, claims that are not finite numbers) counts as absent: any non-empty string is a token, and one
 * whose claims cannot be read simply has no known expiry.
 */
function claims(token: string): { exp?: number; iat?: number } {
  let payload: unknown;
  try {
    payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    /* not a JWT: no claims */
  }
  // `null`, numbers, strings and arrays have no such claims; `?.` reads them all without throwing.
  const read = (name: 'exp' | 'iat') => {
    const value = (payload as Record<string, unknown> | null)?.[name];
    return typeof value === 'number' && Number.isFinite(value * 1000) ? value : undefined;
  };
  return { exp: read('exp'), iat: read('iat') };
}

/**
 * The expiry of a JWT and its lifetime (`exp - iat`), in milliseconds. An `iat` that is not before `exp` (a wrong
 * clock, a bug) gives no lifetime, as if it were absent: a negative one would put the margins after the expiry.
 */
function expiryAndLifetime(token: string): { expiry?: number; lifetime?: number } {
  const { exp, iat } = claims(token);
  if (exp === undefined) return {};
  // Without `iat`, as if issued at its expiry: no lifetime either.
  const issued = iat ?? exp;
  return { expiry: exp * 1000, lifetime: issued < exp ? (exp - issued) * 1000 : undefined };
}

/**
 * The `exp` of a JWT in epoch milliseconds, or undefined when it has none we can read (opaque tokens are
 * trusted until the widget asks again). The signature is not checked: the widget does that; we only read
 * the expiry to avoid handing over a token we know is dead.
 */
export function tokenExpiry(token: string): number | undefined {
  const { exp } = claims(token);
  return exp === undefined ? undefined : exp * 1000;
}

/**
 * Whether a token may still be handed to the widget at `now`: not expired nor within the margin of its expiry.
 * The margin is 30 s, or a quarter of the lifetime for tokens shorter than 2 minutes (when an `iat` before `exp`
 * tells), so that a short-lived token fetched ahead of time still counts as fresh.
 */
export function isFresh(token: string, now: number): boolean {
  const { expiry, lifetime } = expiryAndLifetime(token);
  if (expiry === undefined) return true;
  const margin = lifetime === undefined ? EXPIRY_MARGIN_MS : Math.min(EXPIRY_MARGIN_MS, lifetime / 4);
  return expiry - margin > now;
}

/**
 * How long after `now` a holder of the token fetches its replacement: when a quarter of the time left remains, at
 * most 60 s before it expires. Infinity for a token with no known expiry (the widget says when it expired). It reads
 * `exp` alone, so a wrong `iat` cannot delay it.
 */
export function refreshDelay(token: string, now: number): number {
  const left = (tokenExpiry(token) ?? Infinity) - now;
  return left - Math.min(MAX_REFRESH_LEAD_MS, left / 4);
}

/**
 * Until when a server may hand a token out again (epoch ms), or undefined when its expiry is unknown: until the first
 * moment an element could fetch its replacement (a quarter of its lifetime before it expires, at most 60 s; 60 s when
 * there is no `iat` before `exp`), less half that again (at most 30 s) for a browser clock running ahead of the
 * server's, so that such a refresh gets a new token rather than the same one back.
 */
export function reusableUntil(token: string): number | undefined {
  const { expiry, lifetime } = expiryAndLifetime(token);
  if (expiry === undefined) return undefined;
  const lead = Math.min(MAX_REFRESH_LEAD_MS, lifetime === undefined ? MAX_REFRESH_LEAD_MS : lifetime / 4);
  return expiry - lead - Math.min(MAX_CLOCK_SKEW_MS, lead / 2);
}
