/** A stored token is not reused when it expires within this margin: the widget would reject it at once. */
const EXPIRY_MARGIN_MS = 30_000;

/** The `exp` and `iat` claims of a JWT, in seconds; empty for tokens that are not JWTs. */
function claims(token: string): { exp?: unknown; iat?: unknown } {
  try {
    return JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return {};
  }
}

/**
 * The `exp` of a JWT in epoch milliseconds, or undefined for tokens that are not JWTs (opaque tokens are
 * trusted until the widget asks again). The signature is not checked: the widget does that; we only read
 * the expiry to avoid handing over a token we know is dead.
 */
export function tokenExpiry(token: string): number | undefined {
  const { exp } = claims(token);
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/**
 * Whether a token may still be handed to the widget: not expired nor within the margin of its expiry. The margin
 * is 30 s, or a quarter of the lifetime for tokens shorter than 2 minutes (when `iat` tells), so that a short-lived
 * token fetched ahead of time still counts as fresh.
 */
export function isFresh(token: string): boolean {
  const { exp, iat } = claims(token);
  if (typeof exp !== 'number') return true;
  const margin = typeof iat === 'number' ? Math.min(EXPIRY_MARGIN_MS, ((exp - iat) * 1000) / 4) : EXPIRY_MARGIN_MS;
  return exp * 1000 - margin > Date.now();
}
