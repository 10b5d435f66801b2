/** The vendor's widget host. */
export const DEFAULT_BASE_URL = 'https://prod-widgets.returning.ai';

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

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
