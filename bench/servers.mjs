// The bench's loopback servers: the host site (pages, the CDN bundle, the auth endpoint) on `localhost`, and a
// fake widget host on `127.0.0.1`, a second origin and site, like the real widget's.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const WIDGET_PAGE = readFileSync(new URL('./widget.html', import.meta.url));
const HARNESS = readFileSync(new URL('./harness.js', import.meta.url));
const VENDOR_SNIPPET = readFileSync(new URL('./vendor-snippet.js', import.meta.url), 'utf8');
const NO_STORE = { 'cache-control': 'no-store' };

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const jsonInScript = (value) => JSON.stringify(value).replace(/</g, '\\u003c');
const attributeList = (attributes) =>
  Object.entries(attributes)
    .filter(([, value]) => value)
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('');

/**
 * A token as a signin API would issue it. `jwt`: a JWT with integer `iat`/`exp` (the element reads them; the
 * signature is not checked by anyone here). `opaque`: no claims the element can read; the bench widget reads its
 * expiry from the `_<epoch ms>` suffix, as a real widget would learn it from its own API.
 */
export function mintToken(kind, ttlMs, serial) {
  const now = Date.now();
  if (kind === 'opaque') return `opaque_${serial}_${now + ttlMs}`;
  const iat = Math.floor(now / 1000);
  const header = b64url({ alg: 'HS256', typ: 'JWT' });
  const payload = b64url({ sub: 'bench', jti: serial, iat, exp: iat + Math.round(ttlMs / 1000) });
  return `${header}.${payload}.${Buffer.from(`sig${serial}`).toString('base64url')}`;
}

/** The vendor's Step 2 snippet, pointed at the local auth endpoint and widget origin, for one widget id. */
export function vendorSnippet({ authUrl, widgetOrigin, widgetId }) {
  return VENDOR_SNIPPET.replace(/^\/\/.*\n/gm, '')
    .replace("'/api/widget-auth'", JSON.stringify(authUrl))
    .replace("'https://prod-widgets.returning.ai'", JSON.stringify(widgetOrigin))
    .replace("'YOUR_WIDGET_ID'", JSON.stringify(widgetId));
}

/**
 * A bench page. cfg: { impl: 'ours' | 'ours-ssr' | 'vendor' | 'vendor-shared' | 'none', ids: string[], auth: string
 * (URL), widgetBase: string (base-url), type, seed?: token to store first, instrument?: wrap timers/fetch and keep no
 * reports, keeper?: a silent widget-origin frame for the page's life, storage?, storageKey? }.
 * 'ours-ssr': the tags come from renderWidget() (dist/ssr), as a site's server renders them: the widget's iframe is
 * in the HTML. Both kinds of ours load the CDN module by its own request, as a site does.
 */
function renderPage(cfg, widgetOrigin, renderWidget) {
  const { impl, ids = [], auth, widgetBase, type = 'store' } = cfg;
  const head = [`<script>window.__cfg = ${jsonInScript(cfg)};</script>`, '<script src="/harness.js"></script>'];
  const body = [];
  if (impl === 'ours' || impl === 'ours-ssr') {
    head.push('<script type="module" src="/cdn/returning-ai-widget.js"></script>');
    for (const id of ids) {
      const attributes = { 'widget-id': id, 'widget-type': type, 'base-url': widgetBase, 'auth-endpoint': auth, storage: cfg.storage };
      if (impl === 'ours-ssr') body.push(renderWidget(attributes));
      else body.push(`<returning-ai-widget${attributeList(attributes)}></returning-ai-widget>`);
    }
  } else if (impl === 'vendor' || impl === 'vendor-shared') {
    // 'vendor': one copy of the snippet per widget (it hard-codes one widget id); 'vendor-shared': one copy
    // for the page, answering every widget with the first id.
    const copies = impl === 'vendor' ? ids : ids.slice(0, 1);
    for (const widgetId of copies) head.push(`<script>\n${vendorSnippet({ authUrl: auth, widgetOrigin, widgetId })}</script>`);
    ids.forEach((id, i) => {
      const src = `${widgetBase.replace(/\/?$/, '/')}${type}/${encodeURIComponent(id)}`;
      body.push(`<iframe id="returningAiWidgetIframe${i ? i : ''}" src="${escapeHtml(src)}" title="Returning.AI widget"></iframe>`);
    });
  }
  // A widget-origin frame that stays for the page's life keeps that site's renderer process alive between mounts.
  if (cfg.keeper) body.push(`<iframe id="keeper" src="${escapeHtml(`${widgetOrigin}/mode-silent/keeper/keeper`)}" title="keeper"></iframe>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench ${escapeHtml(impl)}</title>
<style>returning-ai-widget, iframe { display: block; width: 320px; height: 120px; border: 0; }</style>
${head.join('\n')}
</head><body>
<div id="mount">${body.join('\n')}</div>
<div id="parked" hidden></div>
</body></html>`;
}

function listen(handler) {
  const server = createServer(handler);
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Starts both servers. Auth endpoint: `POST /auth?run=ID&delay=MS&kind=jwt|opaque&ttl=MS`, counted per run
 * (received, answered, aborted by the client). Widget pages: `GET /…/delay-MS/…/{type}/{id}` on the widget
 * origin, answered after MS; with a `run-ID` segment, the time each request was received is kept for that run.
 */
export async function startServers({ cdnModule }) {
  // Imported here, not at the top: dist/ is built after this module is loaded. The server-side half of the library,
  // run in Node as a site's server would.
  const { renderWidget } = await import('../dist/ssr/index.js');
  const timers = new Set();
  const later = (ms, fn) => {
    if (!(ms > 0)) return fn();
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const runs = new Map();
  const widgetRequests = new Map();
  const runStats = (id) => {
    if (!runs.has(id)) runs.set(id, { requests: 0, answered: 0, aborted: 0, log: [] });
    return runs.get(id);
  };
  let serial = 0;
  let widgetOrigin;

  const host = await listen((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/auth') {
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST', ...NO_STORE });
        return res.end();
      }
      const stats = runStats(url.searchParams.get('run') ?? '');
      stats.requests++;
      const entry = { receivedAt: Date.now() };
      stats.log.push(entry);
      let done = false;
      res.on('close', () => {
        if (!done) {
          stats.aborted++;
          entry.abortedAt = Date.now();
        }
      });
      req.resume();
      const ttl = Number(url.searchParams.get('ttl') ?? 3_600_000);
      return later(Number(url.searchParams.get('delay') ?? 0), () => {
        if (res.destroyed) return;
        done = true;
        stats.answered++;
        entry.serial = ++serial;
        entry.answeredAt = Date.now();
        const token = mintToken(url.searchParams.get('kind') ?? 'jwt', ttl, entry.serial);
        res.writeHead(200, { 'content-type': 'application/json', ...NO_STORE });
        res.end(JSON.stringify({ token }));
      });
    }
    if (url.pathname === '/page') {
      const cfg = JSON.parse(Buffer.from(url.searchParams.get('cfg') ?? '', 'base64url').toString('utf8'));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...NO_STORE });
      return res.end(renderPage(cfg, widgetOrigin, renderWidget));
    }
    if (url.pathname === '/harness.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', ...NO_STORE });
      return res.end(HARNESS);
    }
    if (url.pathname === '/cdn/returning-ai-widget.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', ...NO_STORE });
      return res.end(cdnModule);
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    res.writeHead(404, NO_STORE);
    res.end();
  });

  const widget = await listen((req, res) => {
    const run = /\/run-([\w-]+)(\/|$)/.exec(req.url)?.[1];
    if (run) widgetRequests.set(run, [...(widgetRequests.get(run) ?? []), Date.now()]);
    const delay = Number(/\/delay-(\d+)(\/|$)/.exec(req.url)?.[1] ?? 0);
    later(delay, () => {
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...NO_STORE });
      res.end(WIDGET_PAGE);
    });
  });

  const hostOrigin = `http://localhost:${host.address().port}`;
  widgetOrigin = `http://127.0.0.1:${widget.address().port}`;
  const pageUrl = (cfg) => `${hostOrigin}/page?cfg=${Buffer.from(JSON.stringify(cfg)).toString('base64url')}`;

  return {
    hostOrigin,
    widgetOrigin,
    pageUrl,
    /** Counters of one run; `log: true` adds each request's times and token serial. */
    stats: (run, { log = false } = {}) => {
      const { log: entries, ...counts } = runStats(run);
      return log ? { ...counts, log: entries.map((e) => ({ ...e })) } : counts;
    },
    /** When (Date.now()) the widget server received each page request with the segment `run-ID`. */
    widgetRequests: (run) => [...(widgetRequests.get(run) ?? [])],
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(
        [host, widget].map(
          (server) =>
            new Promise((resolve) => {
              server.close(resolve);
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
