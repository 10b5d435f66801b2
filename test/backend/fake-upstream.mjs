// A stand-in for Returning.AI's signin API on a loopback port, for the runtime tests and the backend bench.
// It checks the API key, mints an unsigned JWT per call (the handler only reads its claims) and counts calls.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';

const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT-shaped token for `email`, issued now and valid for `lifetimeSeconds`. */
export function mintToken(email, lifetimeSeconds) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub: email, iat: now, exp: now + lifetimeSeconds, jti: randomBytes(6).toString('hex') };
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.fake-signature`;
}

/** The `sub` (email) of a token minted here. */
export function subjectOf(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url')).sub;
}

/**
 * The same fake as a Fetch handler, for msw (Node runtimes) and miniflare's outboundService (workerd): it answers
 * POST {any origin}/widget/{communityId}/signin. Resolves `{ handle(request), calls }`.
 */
export function createFakeSignin({ apiKey, communityId = 'community-1', lifetimeSeconds = 3600 }) {
  if (!apiKey) throw new Error('createFakeSignin: apiKey is required');
  const calls = [];
  const signinPath = `/widget/${encodeURIComponent(communityId)}/signin`;
  return {
    calls,
    handle(request) {
      if (request.method !== 'POST' || new URL(request.url).pathname !== signinPath) return new Response(null, { status: 404 });
      if (request.headers.get('returningai-api-key') !== apiKey) return new Response('{"message":"bad key"}', { status: 401 });
      const email = request.headers.get('email');
      calls.push(email);
      return Response.json({ token: mintToken(email, lifetimeSeconds) });
    },
  };
}

/**
 * Starts the fake on 127.0.0.1. Options: `apiKey` (required: the key to expect), `communityId`,
 * `lifetimeSeconds` (default 3600), `delayMs` (before answering), `bodyBytes` (answer a `{"token":"aaaa…"}` of about
 * this size instead, streamed in 64 KiB chunks). Resolves `{ baseUrl, calls, close }`; `calls` lists the emails asked
 * for, in order.
 */
export async function startFakeUpstream({ apiKey, communityId = 'community-1', lifetimeSeconds = 3600, delayMs = 0, bodyBytes } = {}) {
  if (!apiKey) throw new Error('startFakeUpstream: apiKey is required');
  const calls = [];
  const signinPath = `/widget/${encodeURIComponent(communityId)}/signin`;
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== signinPath) return void res.writeHead(404).end();
    if (req.headers['returningai-api-key'] !== apiKey) return void res.writeHead(401).end('{"message":"bad key"}');
    const email = req.headers.email;
    calls.push(email);
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (bodyBytes) return streamHugeToken(res, bodyBytes);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: mintToken(email, lifetimeSeconds) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    calls,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Writes `{"token":"aaaa…"}` of about `bytes` bytes, respecting backpressure, until done or the client hangs up. */
async function streamHugeToken(res, bytes) {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"token":"');
  for (let sent = 0; sent < bytes && !res.destroyed; sent += chunk.length) {
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end('"}');
}

/** Resolves when `res` can take more data or has closed, leaving no listener behind. */
function drainedOrClosed(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
