/** A token is not reused when it expires within this margin: the widget would reject it at once. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * Until when (epoch milliseconds) a token may be handed out again, or undefined when its expiry is unknown (not a
 * JWT, or no numeric `exp`). The margin is the element's (see `isFresh` in src/jwt.ts, which a test keeps in step):
 * 30 s before `exp`, or a quarter of the lifetime for tokens shorter than 2 minutes when `iat` tells. The signature
 * is not checked: Returning.AI's widget does that; this only reads the expiry.
 */
export function reusableUntil(token: string): number | undefined {
  let claims: { exp?: unknown; iat?: unknown };
  try {
    const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    claims = JSON.parse(atob(payload)) as typeof claims;
  } catch {
    return undefined;
  }
  const { exp, iat } = claims ?? {};
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return undefined;
  const margin = typeof iat === 'number' ? Math.min(EXPIRY_MARGIN_MS, ((exp - iat) * 1000) / 4) : EXPIRY_MARGIN_MS;
  return exp * 1000 - margin;
}
