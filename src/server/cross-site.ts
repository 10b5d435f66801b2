/**
 * Whether a request comes from a page of another site, which must not make this endpoint mint tokens (nor spend
 * an upstream call or a session lookup on it).
 *
 * An `Origin` listed in `allowedOrigins` is always let through. Otherwise the browser's own verdict decides when it
 * sent one (`Sec-Fetch-Site`, in every current browser): only `cross-site` is refused, so same-origin and same-site
 * pages are served even behind a proxy that changes the URL the handler sees. Browsers without it are judged by
 * `Origin`, which must then be the request URL's own origin. A request with neither header is not from a browser
 * page (a server, a script, a health check) and is let through: the guard is against browsers carrying cookies.
 *
 * @param request - the incoming request
 * @param allowedOrigins - serialized origins (`https://partner.example`) that may call from another site
 */
export function isCrossSite(request: Request, allowedOrigins: ReadonlySet<string | null>): boolean {
  const origin = request.headers.get('origin');
  if (allowedOrigins.has(origin)) return false;
  const site = request.headers.get('sec-fetch-site');
  if (site === 'same-origin' || site === 'same-site' || site === 'none') return false;
  if (site === 'cross-site') return true;
  return origin !== null && origin !== new URL(request.url).origin;
}

/**
 * The origins of `allowedOrigins`, serialized as browsers send them in `Origin` (a trailing `/` is dropped).
 *
 * @throws {TypeError} naming the option, for anything but an array of `scheme://host[:port]` strings
 */
export function parseAllowedOrigins(value: unknown): ReadonlySet<string> {
  const invalid = (): never => {
    throw new TypeError('createWidgetAuthHandler: option "allowedOrigins" must be an array of origins such as "https://shop.example"');
  };
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) invalid();
  const origins = new Set<string>();
  for (const entry of value as unknown[]) {
    let url: URL | undefined;
    try {
      url = typeof entry === 'string' ? new URL(entry) : undefined;
    } catch {
      // reported below
    }
    // Only `scheme://host[:port]`. So never `null`, the origin that unrelated pages share (sandboxed frames, data:
    // URLs): no URL with that origin has `null/` as its href.
    if (!url || `${url.origin}/` !== url.href) invalid();
    origins.add(url!.origin);
  }
  return origins;
}
