// A stand-in for Returning.AI on its own origin: the signin API the host's
// backend calls, a verify API the widget page calls, and the widget pages.
import { createServer } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { signJwt, verifyJwt } from './jwt.mjs';
import { render } from '../lib/template.mjs';
import { send, sendFile, sendHtml, sendJson, sendText } from '../lib/http.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ASSETS = { '/_widget/widget.js': 'widget.js', '/_widget/widget.css': 'widget.css' };
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const SEGMENT = /^[A-Za-z0-9_-]{1,100}$/;

// The widget page may be framed by any site; it only ever loads its own files.
const WIDGET_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors *";

function sameSecret(given, expected) {
  const a = Buffer.from(String(given ?? ''));
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// A stable, opaque user id, like a real account id would be.
function subjectOf(email) {
  return `user_${createHash('sha256').update(email).digest('hex').slice(0, 16)}`;
}

/**
 * config: { apiKey, communityId, jwtSecret, tokenTtlSeconds }
 * log: optional (line) => void
 */
export function createFakeReturningServer(config, log = () => {}) {
  let pageTemplate;

  function signin(req, res, communityId) {
    if (communityId !== config.communityId) return sendJson(res, 404, { error: 'Unknown community' });
    if (!sameSecret(req.headers['returningai-api-key'], config.apiKey)) {
      log(`fake Returning.AI: signin refused (bad API key)`);
      return sendJson(res, 401, { error: 'Invalid API key' });
    }
    const email = String(req.headers.email ?? '').trim().toLowerCase();
    if (!EMAIL.test(email)) return sendJson(res, 400, { error: 'Missing or invalid email header' });

    const iat = Math.floor(Date.now() / 1000);
    const token = signJwt({ sub: subjectOf(email), email, iat, exp: iat + config.tokenTtlSeconds }, config.jwtSecret);
    log(`fake Returning.AI: minted a ${config.tokenTtlSeconds}s token for ${email}`);
    sendJson(res, 200, { token });
  }

  function verify(req, res) {
    const header = String(req.headers.authorization ?? '');
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const result = verifyJwt(token, config.jwtSecret);
    if (!result.ok) return sendJson(res, 401, { error: result.reason });
    const { email, sub, iat, exp } = result.payload;
    sendJson(res, 200, { email, sub, iat, exp });
  }

  async function widgetPage(res, type, id, color) {
    pageTemplate ??= await readFile(`${HERE}widget-page.html`, 'utf8');
    const theme = color === 'dark' ? 'dark' : 'light';
    sendHtml(res, 200, render(pageTemplate, { WIDGET_TYPE: type, WIDGET_ID: id, THEME: theme }), {
      'content-security-policy': WIDGET_CSP,
    });
  }

  async function route(req, res) {
    const url = new URL(req.url, 'http://fake.invalid');
    const parts = url.pathname.split('/').filter(Boolean);

    if (req.method === 'POST' && parts.length === 3 && parts[0] === 'widget' && parts[2] === 'signin') {
      return signin(req, res, decodeURIComponent(parts[1]));
    }
    if (req.method === 'POST' && url.pathname === '/widget/verify') return verify(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');

    if (ASSETS[url.pathname]) {
      if (await sendFile(res, `${HERE}${ASSETS[url.pathname]}`)) return;
    }
    if (url.pathname === '/favicon.ico') return send(res, 204, '');
    if (parts.length === 2 && parts[0] !== '_widget' && parts.every((p) => SEGMENT.test(p))) {
      return widgetPage(res, parts[0], parts[1], url.searchParams.get('color'));
    }
    sendText(res, 404, 'Not found');
  }

  return createServer((req, res) => {
    route(req, res).catch((error) => {
      log(`fake Returning.AI: ${error.stack ?? error}`);
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.destroy();
    });
  });
}
