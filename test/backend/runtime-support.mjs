// Shared by the runtime tests (test/node/server-runtime-*.test.mjs): the settings the examples read, the fake
// Returning.AI they talk to, and the round trip every runtime must pass.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setupServer } from 'msw/node';
import { http, passthrough } from 'msw';
import { DEFAULT_BASE_URL } from '../../dist/server/index.js';
import { createFakeSignin, subjectOf } from './fake-upstream.mjs';

/** The settings an example reads from its environment; the key is fake and new at every run. */
export function exampleSettings() {
  return { RETURNING_AI_API_KEY: `fake-key-${randomBytes(12).toString('hex')}`, RETURNING_AI_COMMUNITY_ID: 'community-1' };
}

/** A fake signin API for `settings`, with 1-hour JWTs. */
export function fakeReturningAi(settings) {
  return createFakeSignin({ apiKey: settings.RETURNING_AI_API_KEY, communityId: settings.RETURNING_AI_COMMUNITY_ID });
}

/**
 * Routes this process's calls to Returning.AI (the examples use the default base URL) to `fake`, and lets calls
 * to loopback through. Resolves the msw server to close after the test.
 */
export function interceptReturningAi(fake) {
  const server = setupServer(
    http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
    http.all(`${DEFAULT_BASE_URL}/*`, ({ request }) => fake.handle(request)),
  );
  server.listen({ onUnhandledRequest: 'error' });
  return server;
}

/**
 * The round trip: a signed-in page of the site gets a token for its user from the fake, a second request reuses
 * it, a signed-out request gets 401 and a page of another site 403, with no more upstream calls.
 *
 * @param endpoint - the absolute URL of the example's /api/widget-auth on loopback
 * @param fake - the fake signin API it talks to
 * @param cookie - a Cookie header naming the session of alice@example.com
 */
export async function assertRoundTrip(endpoint, fake, cookie) {
  const origin = new URL(endpoint).origin;
  const fromTheSite = { cookie, origin, 'sec-fetch-site': 'same-origin' };
  const post = (headers) => fetch(endpoint, { method: 'POST', headers });

  const first = await post(fromTheSite);
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('cache-control'), 'no-store');
  const { token } = await first.json();
  assert.equal(subjectOf(token), 'alice@example.com');

  const second = await post(fromTheSite);
  assert.equal((await second.json()).token, token, 'the token is reused');

  assert.equal((await post({ origin, 'sec-fetch-site': 'same-origin' })).status, 401);
  const crossSite = await post({ cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
  assert.equal(crossSite.status, 403);
  assert.deepEqual(await crossSite.json(), { error: 'cross-site' });

  assert.deepEqual(fake.calls, ['alice@example.com'], 'one upstream call');
}
