// The "customer site": serves the demo pages, a tiny sign-in, and mounts the
// package's backend helper at POST /api/widget-auth.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createEndpointFaults } from './endpoint-faults.mjs';
import { createSessionStore } from './sessions.mjs';
import { createWidgetAuth } from './widget-auth.mjs';
import { BUNDLE_PATH, PAGES, renderPage } from './pages.mjs';
import { readBody, redirect, safeJoin, send, sendFile, sendHtml, sendJson, sendText } from '../lib/http.mjs';

const ASSETS_DIR = fileURLToPath(new URL('../pages/assets/', import.meta.url));
const CDN_DIR = fileURLToPath(new URL('../../dist/cdn/', import.meta.url));
const VUE_PATH = fileURLToPath(new URL('../../node_modules/vue/dist/vue.esm-browser.prod.js', import.meta.url));

// Strict CSP, as a careful customer site would have: the widget origin must be
// allowed in frame-src. Vue's in-browser template compiler needs 'unsafe-eval'.
function cspFor(baseUrl, page) {
  const script = page === 'vue.html' ? "'self' 'unsafe-eval'" : "'self'";
  return [
    "default-src 'self'",
    `script-src ${script}`,
    "style-src 'self'",
    "connect-src 'self'",
    `frame-src ${new URL(baseUrl).origin}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

// Only same-site paths: never let ?next= bounce the user to another site.
function safeNext(value) {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')
    ? value
    : '/';
}

/** config: loaded demo config with baseUrl set. Resolves an http.Server (not listening). */
export async function createHostServer(config, log = () => {}) {
  const sessions = createSessionStore();
  const faults = createEndpointFaults(sessions, { slowMs: config.slowEndpointMs });
  const widgetAuth = await createWidgetAuth(config, sessions, log, { intercept: faults.intercept });

  async function page(res, file, extra) {
    const html = await renderPage(file, config, extra);
    sendHtml(res, 200, html, { 'content-security-policy': cspFor(config.baseUrl, file) });
  }

  async function signIn(req, res) {
    const form = new URLSearchParams(await readBody(req));
    const email = String(form.get('email') ?? '').toLowerCase();
    if (!config.users.includes(email)) return sendText(res, 400, 'Unknown demo user');
    sessions.destroy(req); // switching users must not keep the old session alive
    log(`host: signed in as ${email}`);
    redirect(res, safeNext(form.get('next')), { 'set-cookie': sessions.create(email) });
  }

  function signOut(req, res) {
    const email = sessions.emailOf(req);
    const cookie = sessions.destroy(req);
    if (email) log(`host: signed out ${email}`);
    // fetch() callers ask for JSON; a plain form post gets a redirect.
    if (String(req.headers.accept ?? '').includes('application/json')) {
      return sendJson(res, 200, { signedOut: true }, { 'set-cookie': cookie });
    }
    redirect(res, '/signin', { 'set-cookie': cookie });
  }

  async function route(req, res) {
    const url = new URL(req.url, 'http://host.invalid');
    const path = url.pathname;

    if (path === '/api/widget-auth') return widgetAuth.handle(req, res);
    if (path === '/api/demo-faults') return faults.handleToggles(req, res);
    if (req.method === 'POST' && path === '/signin') return signIn(req, res);
    if (req.method === 'POST' && path === '/signout') return signOut(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');

    if (path === '/api/me') return sendJson(res, 200, { email: sessions.emailOf(req) });
    if (path === '/api/stats') return sendJson(res, 200, { widgetAuthRequests: widgetAuth.stats(req) });
    if (path === '/signin') {
      const email = sessions.emailOf(req);
      return page(res, PAGES[path], {
        NEXT: safeNext(url.searchParams.get('next')),
        CURRENT_USER: email ? `Currently signed in as ${email}; picking a user switches.` : 'Nobody is signed in.',
      });
    }
    if (PAGES[path]) return page(res, PAGES[path]);

    if (path === '/vendor/vue.js' && (await sendFile(res, VUE_PATH))) return;
    if (path === '/cdn/returning-ai-widget.js') {
      if (await sendFile(res, BUNDLE_PATH)) return;
      return sendText(res, 404, '// dist/cdn/returning-ai-widget.js is missing: run npm run build', {
        'content-type': 'text/javascript; charset=utf-8',
      });
    }
    if (path.startsWith('/cdn/')) {
      const file = safeJoin(CDN_DIR, path.slice('/cdn/'.length));
      if (file && (await sendFile(res, file))) return;
    }
    if (path.startsWith('/assets/')) {
      const file = safeJoin(ASSETS_DIR, path.slice('/assets/'.length));
      if (file && (await sendFile(res, file))) return;
    }
    if (path === '/favicon.ico') return send(res, 204, '');
    sendText(res, 404, 'Not found');
  }

  return createServer((req, res) => {
    route(req, res).catch((error) => {
      log(`host: ${error.stack ?? error}`);
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.destroy();
    });
  });
}
