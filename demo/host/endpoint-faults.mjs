// The plain-tag page's "slow endpoint" and "failing endpoint" toggles: faults the host app injects in front of
// POST /api/widget-auth, so a visitor sees the element wait, retry and fail for real.
//
// Kept per host session, not per server: a toggle changes only the visitor's own endpoint (another tab or person on
// the same demo, and each e2e test, keeps a working one), and it ends with the session, like the sign-in it perturbs.
// Signed out there is nothing to perturb: the endpoint answers 401 either way.
import { readBody, sendJson } from '../lib/http.mjs';

const OFF = { slow: false, failing: false };

/** Resolves true after ms, or false as soon as the client goes away. */
function waitUnlessClosed(res, ms) {
  return new Promise((resolve) => {
    const gone = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', gone);
      resolve(true);
    }, ms);
    res.once('close', gone);
  });
}

/** sessions: the host session store; slowMs: how long the slow endpoint waits before answering. */
export function createEndpointFaults(sessions, { slowMs }) {
  const faultsOf = (req) => ({ ...OFF, ...sessions.settingsOf(req)?.endpointFaults });
  const describe = (req) => ({ signedIn: sessions.settingsOf(req) !== null, slowMs, ...faultsOf(req) });

  return {
    /** GET /api/demo-faults: the toggles; POST with JSON { slow?, failing? } (booleans) sets them. */
    async handleToggles(req, res) {
      if (req.method === 'GET') return sendJson(res, 200, describe(req));
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'GET or POST' }, { allow: 'GET, POST' });
      const settings = sessions.settingsOf(req);
      if (!settings) return sendJson(res, 401, { error: 'sign in first: the toggles belong to your session' });
      // JSON only: a cross-site form cannot send it, on top of the SameSite=Lax session cookie.
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendJson(res, 415, { error: 'send application/json' });
      }
      let change;
      try {
        change = JSON.parse(await readBody(req, 1024));
      } catch {
        return sendJson(res, 400, { error: 'not JSON' });
      }
      const next = faultsOf(req);
      for (const name of Object.keys(OFF)) if (typeof change?.[name] === 'boolean') next[name] = change[name];
      settings.endpointFaults = next;
      sendJson(res, 200, describe(req));
    },

    /**
     * Runs before the real auth handler: waits slowMs when "slow" is on, answers 503 when "failing" is on.
     * Resolves true when the request is done with (answered, or the client left while it waited).
     */
    async intercept(req, res) {
      const { slow, failing } = faultsOf(req);
      if (slow && !(await waitUnlessClosed(res, slowMs))) return true;
      if (!failing) return false;
      sendJson(res, 503, { error: 'the demo\'s "failing endpoint" toggle is on' }, { 'retry-after': '1' });
      return true;
    },
  };
}
