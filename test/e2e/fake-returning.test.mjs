// The demo's fake Returning.AI server on its own: signin API, verify API and
// widget pages behave like the documented real ones (no browser needed).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeReturningServer } from '../../demo/fake-returning/server.mjs';
import { signJwt } from '../../demo/fake-returning/jwt.mjs';
import { close, listen } from '../../demo/lib/http.mjs';

const config = { apiKey: 'test-key', communityId: 'c1', jwtSecret: 'test-secret', tokenTtlSeconds: 60 };
let server;
let origin;

before(async () => {
  server = createFakeReturningServer(config);
  origin = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
});
after(() => close(server));

const signin = (headers, community = 'c1') =>
  fetch(`${origin}/widget/${community}/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    signal: AbortSignal.timeout(5000),
  });
const verify = (token) =>
  fetch(`${origin}/widget/verify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
  });

describe('fake Returning.AI', () => {
  test('signin mints a JWT that verify accepts', async () => {
    const res = await signin({ 'returningai-api-key': 'test-key', email: 'ada@example.com' });
    assert.equal(res.status, 200);
    const { token } = await res.json();
    assert.match(token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(claims.email, 'ada@example.com');
    assert.equal(claims.exp - claims.iat, 60);
    assert.match(claims.sub, /^user_/);

    const checked = await verify(token);
    assert.equal(checked.status, 200);
    assert.equal((await checked.json()).email, 'ada@example.com');
  });

  test('signin refuses a wrong API key, a missing email and an unknown community', async () => {
    assert.equal((await signin({ 'returningai-api-key': 'wrong', email: 'ada@example.com' })).status, 401);
    assert.equal((await signin({ email: 'ada@example.com' })).status, 401);
    assert.equal((await signin({ 'returningai-api-key': 'test-key' })).status, 400);
    assert.equal((await signin({ 'returningai-api-key': 'test-key', email: 'ada@example.com' }, 'other')).status, 404);
  });

  test('verify rejects expired, forged and malformed tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = signJwt({ sub: 'u', email: 'a@b.c', iat: now - 120, exp: now - 60 }, config.jwtSecret);
    const forged = signJwt({ sub: 'u', email: 'a@b.c', iat: now, exp: now + 60 }, 'other-secret');
    assert.deepEqual(await (await verify(expired)).json(), { error: 'expired' });
    assert.deepEqual(await (await verify(forged)).json(), { error: 'bad-signature' });
    assert.deepEqual(await (await verify('nope')).json(), { error: 'malformed' });
  });

  test('serves themed widget pages with a strict CSP', async () => {
    const res = await fetch(`${origin}/leaderboard/w-1?color=dark`, { signal: AbortSignal.timeout(5000) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy'), /script-src 'self'/);
    const html = await res.text();
    assert.match(html, /data-theme="dark"/);
    assert.match(html, /data-widget-id="w-1"/);
    assert.match(html, /data-widget-type="leaderboard"/);
    assert.equal((await fetch(`${origin}/store/<script>`)).status, 404);
  });
});
