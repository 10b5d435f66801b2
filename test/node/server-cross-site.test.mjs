// The cross-site guard of createWidgetAuthHandler: a browser request from another site gets 403 and costs
// nothing (no session lookup, no upstream call); same-origin, same-site and server-to-server requests are served.
// Imports the built module: run `npx tsc -p tsconfig.build.json` first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createWidgetAuthHandler } from '../../dist/server/index.js';

const API_KEY = `fake-key-${randomBytes(12).toString('hex')}`;
const ENDPOINT = 'https://api.shop.example/api/widget-auth';

/** A handler whose upstream is a counter; `calls` records getUserEmail, fetch and onError. */
function guarded(options = {}) {
  const calls = { getUserEmail: 0, fetch: 0, onError: 0 };
  const handler = createWidgetAuthHandler({
    apiKey: API_KEY,
    communityId: 'community-1',
    getUserEmail: () => {
      calls.getUserEmail++;
      return 'alice@example.com';
    },
    fetch: async () => {
      calls.fetch++;
      return Response.json({ token: `opaque-${calls.fetch}` });
    },
    onError: () => calls.onError++,
    cache: false,
    ...options,
  });
  return { handler, calls };
}

function post(headers = {}) {
  return new Request(ENDPOINT, { method: 'POST', headers });
}

const REFUSED = [
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: cross-site with an Origin', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
  ['an Origin of another site, without Sec-Fetch-Site (older browsers)', { origin: 'https://evil.example' }],
  ['an Origin of another port', { origin: 'https://api.shop.example:8443' }],
  ['an Origin of another scheme', { origin: 'http://api.shop.example' }],
  ['Origin: null (sandboxed frame, data: URL)', { origin: 'null' }],
  ['an unknown Sec-Fetch-Site value with a foreign Origin', { 'sec-fetch-site': 'bogus', origin: 'https://evil.example' }],
];

const SERVED = [
  ['no browser headers (server to server)', {}],
  ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin', origin: 'https://api.shop.example' }],
  ['Sec-Fetch-Site: same-site, from a sibling subdomain', { 'sec-fetch-site': 'same-site', origin: 'https://www.shop.example' }],
  ['Sec-Fetch-Site: none (user-initiated)', { 'sec-fetch-site': 'none' }],
  // The browser's verdict is trusted over the Origin whenever it gives one.
  ['Sec-Fetch-Site: none, with the Origin of another site', { 'sec-fetch-site': 'none', origin: 'https://elsewhere.example' }],
  ['Sec-Fetch-Site: same-site, with the Origin of another site', { 'sec-fetch-site': 'same-site', origin: 'https://elsewhere.example' }],
  ['its own Origin, without Sec-Fetch-Site', { origin: 'https://api.shop.example' }],
  // Behind a proxy that rewrites Host the URL's origin differs; the browser's own verdict is trusted.
  ['Sec-Fetch-Site: same-origin with an Origin the proxied URL does not match', { 'sec-fetch-site': 'same-origin', origin: 'https://www.shop.example' }],
];

describe('createWidgetAuthHandler: cross-site guard', () => {
  for (const [label, headers] of REFUSED) {
    it(`${label} → 403 cross-site, no session lookup, no upstream call, no onError`, async () => {
      const { handler, calls } = guarded();
      const response = await handler(post(headers));
      assert.equal(response.status, 403);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await response.json(), { error: 'cross-site' });
      assert.deepEqual(calls, { getUserEmail: 0, fetch: 0, onError: 0 });
    });
  }

  for (const [label, headers] of SERVED) {
    it(`${label} → served`, async () => {
      const { handler, calls } = guarded();
      const response = await handler(post(headers));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { token: 'opaque-1' });
      assert.equal(calls.fetch, 1);
    });
  }

  it('an origin listed in allowedOrigins is served, even cross-site', async () => {
    const { handler } = guarded({ allowedOrigins: ['https://partner.example', 'http://localhost:5173/'] });
    for (const origin of ['https://partner.example', 'http://localhost:5173']) {
      const response = await handler(post({ 'sec-fetch-site': 'cross-site', origin }));
      assert.equal(response.status, 200, origin);
    }
    const other = await handler(post({ 'sec-fetch-site': 'cross-site', origin: 'https://partner.example.evil.example' }));
    assert.equal(other.status, 403);
  });

  it('the method is checked first: a cross-site GET is 405', async () => {
    const { handler } = guarded();
    const response = await handler(new Request(ENDPOINT, { headers: { 'sec-fetch-site': 'cross-site' } }));
    assert.equal(response.status, 405);
  });

  const NOT_ORIGIN_LISTS = [
    'https://partner.example',
    42,
    ['*'],
    ['null'],
    ['data:text/html,hi'],
    ['https://partner.example/path'],
    ['https://partner.example?x'],
    ['partner.example'],
    [42],
    // Strings only, even for a value that would turn into an origin as text.
    [new URL('https://partner.example')],
  ];
  for (const allowedOrigins of NOT_ORIGIN_LISTS) {
    it(`allowedOrigins ${JSON.stringify(allowedOrigins)} throws at creation naming the option`, () => {
      assert.throws(() => guarded({ allowedOrigins }), (error) => {
        assert.ok(error instanceof TypeError);
        assert.equal(error.message, 'createWidgetAuthHandler: option "allowedOrigins" must be an array of origins such as "https://shop.example"');
        return true;
      });
    });
  }
});
