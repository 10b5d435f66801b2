import { parseAllowedOrigins } from './cross-site.js';
import type { WidgetAuthError } from './errors.js';
import { MemoryTokenCache, type TokenCache } from './token-cache.js';

/** Where Returning.AI's signin API lives unless `baseUrl` says otherwise. */
export const DEFAULT_BASE_URL = 'https://prod-widgets.returning.ai';
/** Upper bound for the whole upstream exchange (headers and body) unless `timeoutMs` says otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** setTimeout fires at once for delays above 2^31 - 1 ms, which would turn every request into a timeout. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** What `getUserEmail` may return: an email, or nothing when no user is signed in. */
export type UserEmailResult = string | null | undefined;

/**
 * Options of {@link createWidgetAuthHandler}.
 *
 * @typeParam C - type of the optional second argument of the handler, passed through to
 *   `getUserEmail` (for {@link toNodeHandler} it is `{ req, res }`).
 */
export interface WidgetAuthHandlerOptions<C = unknown> {
  /** Your Returning.AI widget API key. Secret: it is only ever sent to Returning.AI, never logged or echoed. */
  apiKey: string;
  /** Your Returning.AI community id. */
  communityId: string;
  /**
   * Returns the signed-in user's email from your own session (cookie, JWT, `req.user`, …), or
   * `null`/`undefined`/`''` when nobody is signed in (the handler then answers 401).
   * Never take the email from the request body, query or a header the browser controls:
   * whoever can choose the email can obtain a token for any user.
   * `context` is the handler's second argument (`undefined` when it was called without one).
   */
  getUserEmail: (request: Request, context: C) => UserEmailResult | Promise<UserEmailResult>;
  /**
   * Origin of the signin API, `https:` (`http:` only on loopback, for tests and local fakes). A path is kept as a
   * prefix: `https://host/prefix` calls `https://host/prefix/widget/{communityId}/signin`. No credentials, query or
   * fragment. Default `https://prod-widgets.returning.ai`.
   */
  baseUrl?: string;
  /**
   * Origins of other sites whose pages may call this endpoint, e.g. `['https://shop.example']` when the page and
   * the endpoint are on different sites, or to admit browsers without `Sec-Fetch-Site` behind a proxy that changes
   * the request's URL. Any other cross-site browser request gets 403 `cross-site`. Default: none.
   */
  allowedOrigins?: readonly string[];
  /** Milliseconds the whole upstream exchange may take before the handler answers 504. Default 10000. */
  timeoutMs?: number;
  /** `fetch` implementation for the upstream call. Default: `globalThis.fetch`, looked up at each call. */
  fetch?: typeof fetch;
  /**
   * Where tokens are kept between requests, so each user costs one upstream call per token lifetime. A token with
   * a known expiry (a JWT with `exp`) is reused for the same user until shortly before it expires (30 s, or a
   * quarter of the lifetime for tokens shorter than 2 minutes); others are never kept. Concurrent requests of one
   * user share one upstream call whatever this says.
   *
   * Default (or `true`): a {@link MemoryTokenCache} in this process, bounded to 10,000 users. `false`: none. Or a
   * {@link TokenCache} shared by several server instances, e.g. {@link redisTokenCache}; it holds bearer tokens, so
   * protect it like a session store. A store that fails or takes over a second is skipped (reported to `onError`
   * as `cache-unavailable`).
   */
  cache?: boolean | TokenCache;
  /**
   * Called with a {@link WidgetAuthError} for every server-side failure (upstream, internal, or `cache-unavailable`
   * when the store failed and the request went on without it), never for client errors (400, 401, 403, 405): read
   * `error.code`, `error.status`, `error.upstreamStatus`, and `error.cause`, a copy made safe to log. Lets the host
   * log failures; what it throws or rejects with is ignored. Default: nothing is logged.
   */
  onError?: (error: WidgetAuthError, request: Request) => void;
}

/** Options after validation, with defaults applied. */
export interface ResolvedOptions<C> {
  apiKey: string;
  getUserEmail: WidgetAuthHandlerOptions<C>['getUserEmail'];
  allowedOrigins: ReadonlySet<string>;
  cache: TokenCache | undefined;
  signinUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
  onError: ((error: WidgetAuthError, request: Request) => void) | undefined;
}

/** CR, LF, NUL and other control characters cannot appear in an HTTP header value. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\x00-\x1f\x7f]/;

function fail(message: string): never {
  throw new TypeError(`createWidgetAuthHandler: ${message}`);
}

/**
 * Checks the options once, at creation, so a misconfigured deployment fails at start-up rather
 * than at the first user's request. Messages name the option and never contain its value.
 */
export function resolveOptions<C>(options: WidgetAuthHandlerOptions<C>): ResolvedOptions<C> {
  if (typeof options !== 'object' || options === null) fail('an options object is required');
  const { apiKey, communityId, getUserEmail, onError } = options;

  if (typeof apiKey !== 'string' || apiKey.trim() === '') fail('option "apiKey" is required (a non-empty string)');
  // Otherwise the runtime would reject the header at the first request, with the key in its message.
  if (/^[\r\n]|[\r\n]$/.test(apiKey)) fail('option "apiKey" starts or ends with a newline (read from a file? trim it)');
  if (CONTROL_CHARS.test(apiKey)) fail('option "apiKey" contains control characters');
  if (typeof communityId !== 'string' || communityId.trim() === '') {
    fail('option "communityId" is required (a non-empty string)');
  }
  if (typeof getUserEmail !== 'function') fail('option "getUserEmail" must be a function');
  if (onError !== undefined && typeof onError !== 'function') fail('option "onError" must be a function');
  if (options.fetch !== undefined && typeof options.fetch !== 'function') fail('option "fetch" must be a function');
  if (options.fetch === undefined && typeof globalThis.fetch !== 'function') {
    fail('option "fetch" is required in a runtime without a global fetch');
  }

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Number.isFinite is false for anything but a number: no coercion of '100'.
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    fail('option "timeoutMs" must be a positive number of milliseconds');
  }

  const customFetch = options.fetch;
  return {
    apiKey,
    getUserEmail,
    allowedOrigins: parseAllowedOrigins(options.allowedOrigins),
    cache: resolveCache(options.cache),
    signinUrl: `${normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL)}/widget/${encodeURIComponent(communityId)}/signin`,
    timeoutMs,
    // Resolved per call rather than captured now, so polyfills and test interceptors installed
    // after creation are honoured; called unbound because some runtimes reject a foreign `this`.
    fetch: customFetch ?? ((input, init) => globalThis.fetch(input, init)),
    onError,
  };
}

/** Hosts where `http:` is allowed: this machine only. The same rule as the element's `base-url`. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * `https://host/prefix/` → `https://host/prefix`; rejects anything but a plain https URL (http on loopback). A path
 * is kept as a prefix of the signin path.
 */
function normalizeBaseUrl(baseUrl: unknown): string {
  let url: URL;
  try {
    if (typeof baseUrl !== 'string') throw new TypeError();
    url = new URL(baseUrl);
  } catch {
    fail('option "baseUrl" must be an absolute https URL');
  }
  // The API key travels in a header: over anything but TLS it would cross the network in clear.
  const loopback = LOOPBACK_HOST.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    fail('option "baseUrl" must be an https URL (http only on localhost, 127.x.x.x or [::1])');
  }
  // Credentials, a query or a fragment would be silently dropped or break the path we append.
  if (url.username || url.password || url.search || url.hash) {
    fail('option "baseUrl" must not contain credentials, a query or a fragment');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The store the `cache` option names: a new in-process one by default, none for `false`. */
function resolveCache(cache: unknown): TokenCache | undefined {
  if (cache === undefined || cache === true) return new MemoryTokenCache();
  if (cache === false) return undefined;
  const store = cache as Partial<TokenCache> | null;
  if (typeof store?.get !== 'function' || typeof store.set !== 'function' || typeof store.delete !== 'function' || store instanceof Map) {
    fail('option "cache" must be true, false, or an object with get(key), set(key, value, ttlMs) and delete(key)');
  }
  return store as TokenCache;
}
