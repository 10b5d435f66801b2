// The framework checks' web servers on loopback. The app server serves the pages, the built apps and a real
// auth endpoint that answers { token }. A second origin plays the CDN: it serves the package's CDN files at
// the path jsDelivr uses (/npm/returning-ai-widget@<version>/dist/cdn/…), with CORS as jsDelivr sends it.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const APPS = join(ROOT, 'test/frameworks/apps');
const CDN_FILES = join(ROOT, 'dist/cdn');
const { name, version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
const CDN_PATH = `/npm/${name}@${version}/dist/cdn/`;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };

/** A file under `base`, or undefined when `path` would leave it or no such file exists. */
async function fileUnder(base, path) {
  const file = normalize(join(base, path));
  if (!file.startsWith(base)) return undefined;
  return readFile(file).catch(() => undefined);
}

function send(response, status, body, headers = {}) {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(body);
}

function listen(handler) {
  const server = createServer((request, response) =>
    handler(request, response).catch((error) => send(response, 500, String(error))),
  );
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Starts both servers. In the pages, the jsDelivr URL of this version's CDN files is pointed at the CDN server,
 * `sha384-HASH-OF-<file in dist/cdn>` becomes that file's hash, %WIDGET_ORIGIN% the fake widget's origin, and a
 * plain `<returning-ai-widget widget-id=… auth-endpoint=…>` tag gets the test's `base-url` (the fake widget) and
 * `storage="memory"`: the plain pages stay exactly what the docs show.
 * `issued` lists the tokens the auth endpoint handed out, each named after the page that asked.
 */
export async function startAppServer({ bundles, widgetOrigin }) {
  const issued = [];

  const cdn = await listen(async (request, response) => {
    const url = new URL(request.url, 'http://cdn');
    const body = url.pathname.startsWith(CDN_PATH) ? await fileUnder(CDN_FILES, url.pathname.slice(CDN_PATH.length)) : undefined;
    if (body === undefined) return send(response, 404, 'not found');
    send(response, 200, body, { 'content-type': TYPES[extname(url.pathname)], 'access-control-allow-origin': '*' });
  });
  const cdnBase = `http://127.0.0.1:${cdn.address().port}${CDN_PATH}`;

  const fillIn = async (html) => {
    let page = html
      .replaceAll(`https://cdn.jsdelivr.net${CDN_PATH}`, cdnBase)
      .replaceAll('%WIDGET_ORIGIN%', widgetOrigin)
      .replaceAll('auth-endpoint="/api/widget-auth">', `auth-endpoint="/api/widget-auth" base-url="${widgetOrigin}" storage="memory">`);
    for (const [placeholder, file] of page.matchAll(/sha384-HASH-OF-([\w.-]+)/g)) {
      const hash = createHash('sha384').update(await readFile(join(CDN_FILES, file))).digest('base64');
      page = page.replaceAll(placeholder, `sha384-${hash}`);
    }
    return page;
  };

  const app = await listen(async (request, response) => {
    const url = new URL(request.url, 'http://app');
    if (url.pathname === '/api/widget-auth') {
      if (request.method !== 'POST') return send(response, 405, 'POST only');
      const referer = new URL(request.headers.referer ?? 'http://app/unknown');
      const token = `token-${referer.pathname.replace(/^\/|\/$/g, '').replaceAll('/', '-')}-${issued.length + 1}`;
      issued.push(token);
      return send(response, 200, JSON.stringify({ token }), { 'content-type': 'application/json' });
    }
    if (request.method !== 'GET') return send(response, 405, 'GET only');
    if (url.pathname === '/favicon.ico') return send(response, 204, '');

    const path = url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname;
    // What the builds wrote (bundles, and the Angular CLI's whole page) first, then the apps' own files.
    let body = (await fileUnder(bundles, path)) ?? (await fileUnder(APPS, path));
    if (body === undefined) return send(response, 404, 'not found');
    if (path.endsWith('.html')) body = await fillIn(String(body));
    send(response, 200, body, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
  });

  const close = (server) =>
    new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    });
  return {
    url: `http://127.0.0.1:${app.address().port}`,
    issued,
    close: () => Promise.all([close(app), close(cdn)]),
  };
}
