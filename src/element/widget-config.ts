import type { StorageKind } from '../core/environment.js';
import type { TokenProvider, TokenSource } from '../core/token-fetch.js';

/** The vendor's widget host. */
export const DEFAULT_BASE_URL = 'https://prod-widgets.returning.ai';

/** The vendor snippet's storage key, so that its logout (removing the key) signs our widgets out too. */
export const DEFAULT_STORAGE_KEY = 'returning-ai-widget-token';

/** The widget type of the vendor's documented example. */
export const DEFAULT_WIDGET_TYPE = 'store';

/** The iframe's accessible title. */
export const DEFAULT_LABEL = 'Returning.AI widget';

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
// setTimeout fires at once beyond this many milliseconds.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Throws unless `value` is one of `allowed`, naming the attribute. */
export function oneOf(name: string, value: unknown, allowed: unknown[]): void {
  if (!allowed.includes(value)) throw new Error(`${name} must be ${allowed.join(' or ')}, not "${value}"`);
}

/**
 * Builds the widget page URL `{baseUrl}/{type}/{id}?color={theme}` and so the origin that token messages are
 * exchanged with. Throws an Error whose message names the offending attribute. Every value is checked or
 * encoded so that no attribute can move the frame to another host, path, query or fragment.
 */
export function widgetUrl(baseUrl: string, type: string, id: string, theme: string | undefined): URL {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new Error('base-url must be an absolute URL');
  }
  // http: is for development on this machine only.
  oneOf('base-url protocol', base.protocol, LOOPBACK_HOST.test(base.hostname) ? ['https:', 'http:'] : ['https:']);
  if (base.username || base.password || base.search || base.hash) throw new Error('base-url has credentials, query or fragment');
  if (!/^[\w-]+$/.test(type)) throw new Error('widget-type must match [A-Za-z0-9_-]+');
  // "." and ".." would be resolved away as path segments; whitespace and control characters are mistakes.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (!id || id === '.' || id === '..' || /[\s\0-\x1f]/.test(id)) throw new Error('widget-id is missing or invalid');
  if (theme) oneOf('theme', theme, ['light', 'dark']);
  const url = new URL(`${base.href.replace(/\/?$/, '/')}${type}/${encodeURIComponent(id)}`);
  if (theme) url.searchParams.set('color', theme);
  return url;
}

/** The element's settings, as its attributes and properties give them. */
export interface WidgetSettings {
  widgetId: string;
  widgetType: string;
  baseUrl: string;
  theme?: string | undefined;
  authEndpoint: string;
  storage: string;
  storageKey: string;
  loading: string;
  timeout: number;
  tokenProvider?: TokenProvider | undefined;
}

/** A valid configuration: the widget page, the token source, where its token is kept, and the request timeout. */
export interface WidgetConfig {
  url: URL;
  source: TokenSource;
  kind: StorageKind;
  key: string;
  timeoutMs: number;
}

/** Validates the settings; throws an Error that names the attribute at fault. */
export function readConfig(settings: WidgetSettings, baseURI: string): WidgetConfig {
  const url = widgetUrl(settings.baseUrl, settings.widgetType, settings.widgetId, settings.theme || undefined);
  oneOf('storage', settings.storage, ['local', 'session', 'memory']);
  oneOf('loading', settings.loading, ['eager', 'lazy']);
  // Frameworks may set the property to a string ("5000"): Lit converts attributes only.
  const timeoutMs = +settings.timeout;
  if (!(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) throw new Error(`timeout must be 1 to ${MAX_TIMEOUT_MS} (ms)`);
  const provider: unknown = settings.tokenProvider;
  // A framework that cannot set properties may set it as a string: never mistake that for an endpoint.
  if (provider != null && typeof provider !== 'function') throw new Error('tokenProvider must be a function');
  return { url, source: settings.tokenProvider ?? endpoint(settings.authEndpoint, baseURI), kind: settings.storage as StorageKind, key: settings.storageKey, timeoutMs };
}

function endpoint(authEndpoint: string, baseURI: string): string {
  if (!authEndpoint) throw new Error('auth-endpoint or tokenProvider is required');
  const url = new URL(authEndpoint, baseURI);
  oneOf('auth-endpoint protocol', url.protocol, ['https:', 'http:']);
  return url.href;
}
