// Mounts the package's own backend helper (dist/server) as the host app's
// POST /api/widget-auth, and counts the requests so the demo can show them.
import { access } from 'node:fs/promises';
import { sendJson } from '../lib/http.mjs';

const HELPER_URL = new URL('../../dist/server/index.js', import.meta.url);

/**
 * config: { apiKey, communityId, baseUrl }; sessions: the host session store; intercept(req, res): runs
 * before the helper on each counted POST and resolves true when it dealt with the request (the demo's faults).
 * Resolves { handle(req, res), stats(req), isReady() }. Until the helper is
 * built, the endpoint answers 503 with a hint instead of crashing the demo.
 */
export async function createWidgetAuth(config, sessions, log = () => {}, { intercept = async () => false } = {}) {
  const counts = { total: 0, bySession: new Map() };
  let nodeHandler = null;

  // Loaded lazily so `npm run build` can run while the demo is already up.
  async function loadHelper() {
    if (nodeHandler) return nodeHandler;
    try {
      await access(HELPER_URL);
    } catch {
      return null;
    }
    const { createWidgetAuthHandler, toNodeHandler } = await import(HELPER_URL.href);
    const handler = createWidgetAuthHandler({
      apiKey: config.apiKey,
      communityId: config.communityId,
      baseUrl: config.baseUrl,
      // The email comes from the host's own session, never from the browser.
      getUserEmail: (_request, { req }) => sessions.emailOf(req),
      // Upstream failures (502/504) are worth a line in the terminal; the helper never logs the key.
      onError: (error) => log(`host: widget auth failed: ${error?.message ?? error}`),
    });
    nodeHandler = toNodeHandler(handler);
    return nodeHandler;
  }

  if (!(await loadHelper())) {
    log('warning: dist/server/index.js is missing; run `npm run build`. /api/widget-auth answers 503 until then.');
  }

  async function handle(req, res) {
    const session = sessions.get(req);
    if (req.method === 'POST') {
      counts.total += 1;
      if (session) counts.bySession.set(session.id, (counts.bySession.get(session.id) ?? 0) + 1);
    }

    res.on('finish', () => log(`host: ${req.method} /api/widget-auth -> ${res.statusCode} (${session?.email ?? 'signed out'})`));
    if (req.method === 'POST' && (await intercept(req, res))) return;

    const helper = await loadHelper();
    if (!helper) return sendJson(res, 503, { error: 'Server helper not built: run npm run build' });
    // The adapter only calls next(err) when something broke between Node and the handler.
    await helper(req, res, (error) => {
      log(`host: widget auth adapter error: ${error?.message ?? error}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal' });
    });
  }

  function stats(req) {
    const session = sessions.get(req);
    return { total: counts.total, session: session ? counts.bySession.get(session.id) ?? 0 : 0 };
  }

  return { handle, stats, isReady: () => nodeHandler !== null };
}
