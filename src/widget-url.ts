/** The vendor's widget host. */
export const DEFAULT_BASE_URL = 'https://prod-widgets.returning.ai';

// Plain http is accepted only for development on this machine.
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

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
    throw new Error(`base-url "${baseUrl}" is not an absolute URL.`);
  }
  if (!(base.protocol === 'https:' || (base.protocol === 'http:' && LOOPBACK_HOST.test(base.hostname)))) {
    throw new Error(`base-url must use https: (http: only on localhost), not "${base.protocol}".`);
  }
  if (base.username || base.password || base.search || base.hash) {
    throw new Error('base-url must not contain credentials, a query or a fragment.');
  }
  if (!/^[\w-]+$/.test(type)) throw new Error(`widget-type "${type}" may contain only letters, digits, "-" and "_".`);
  // "." and ".." would be resolved away as path segments; whitespace and control characters are mistakes.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (!id || id === '.' || id === '..' || /[\s\0-\x1f]/.test(id)) throw new Error(`widget-id "${id}" is missing or invalid.`);
  if (theme && theme !== 'light' && theme !== 'dark') throw new Error(`theme must be "light" or "dark", not "${theme}".`);
  const url = new URL(`${base.href.replace(/\/?$/, '/')}${type}/${encodeURIComponent(id)}`);
  if (theme) url.searchParams.set('color', theme);
  return url;
}
