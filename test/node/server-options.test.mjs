// The options of createWidgetAuthHandler are checked once, at creation: a misconfigured deployment fails at start-up,
// with a TypeError that names the option and never shows its value. What each accepted option does is tested where
// its behaviour is (server-handler, server-cache, server-cross-site). Imports the built module: run
// `npx tsc -p tsconfig.build.json` first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWidgetAuthHandler } from '../../dist/server/index.js';

const API_KEY = 'test-api-key-DO-NOT-LEAK';
const COMMUNITY = 'community-1';

describe('createWidgetAuthHandler: creation-time validation', () => {
  const valid = { apiKey: API_KEY, communityId: COMMUNITY, getUserEmail: () => null };
  // [option, override, what the message says beyond the option's name]
  const CASES = [
    ['apiKey', { apiKey: undefined }, /is required/],
    ['apiKey', { apiKey: '' }, /is required/],
    ['apiKey', { apiKey: '   ' }, /is required/],
    ['apiKey', { apiKey: 42 }, /is required/],
    ['apiKey', { apiKey: `${API_KEY}\r\nx: y` }, /contains control characters/],
    ['apiKey', { apiKey: `${API_KEY}\u0000` }, /contains control characters/],
    // Read from a file or a secret mount with its line ending: refused at start-up, not at the first request.
    ['apiKey', { apiKey: `${API_KEY}\n` }, /ends with a newline/],
    ['apiKey', { apiKey: `${API_KEY}\r\n` }, /ends with a newline/],
    ['apiKey', { apiKey: `\r\n${API_KEY}` }, /starts or ends with a newline/],
    ['apiKey', { apiKey: `\n${API_KEY}` }, /starts or ends with a newline/],
    ['communityId', { communityId: undefined }, /is required/],
    ['communityId', { communityId: '' }, /is required/],
    ['communityId', { communityId: '   ' }, /is required/],
    ['getUserEmail', { getUserEmail: 'alice@example.com' }],
    ['getUserEmail', { getUserEmail: undefined }],
    ['baseUrl', { baseUrl: 'not a url' }],
    ['baseUrl', { baseUrl: 'ftp://prod-widgets.returning.ai' }],
    ['baseUrl', { baseUrl: 'javascript:alert(1)' }],
    ['baseUrl', { baseUrl: 'https://user:pass@prod-widgets.returning.ai' }],
    ['baseUrl', { baseUrl: 'https://user@prod-widgets.returning.ai' }],
    ['baseUrl', { baseUrl: 'https://:pass@prod-widgets.returning.ai' }],
    // Not a string, even one that would turn into a URL as text.
    ['baseUrl', { baseUrl: ['https://prod-widgets.returning.ai'] }],
    // The key would cross the network in clear.
    ['baseUrl', { baseUrl: 'http://prod-widgets.returning.ai' }],
    ['baseUrl', { baseUrl: 'http://example.com' }],
    ['baseUrl', { baseUrl: 'http://127.0.0.1.example.com' }],
    ['baseUrl', { baseUrl: 'http://localhost.example.com' }],
    ['baseUrl', { baseUrl: 'ftp://localhost' }],
    ['baseUrl', { baseUrl: 'http://notlocalhost:8080' }],
    ['baseUrl', { baseUrl: 'https://prod-widgets.returning.ai/?x=1' }],
    ['baseUrl', { baseUrl: 'https://prod-widgets.returning.ai/#x' }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: -5 }],
    ['timeoutMs', { timeoutMs: Number.NaN }],
    ['timeoutMs', { timeoutMs: '100' }],
    // setTimeout fires at once beyond 2^31 - 1 ms.
    ['timeoutMs', { timeoutMs: 2_147_483_648 }],
    ['fetch', { fetch: 'fetch' }],
    ['onError', { onError: 'console.error' }],
    ['allowedOrigins', { allowedOrigins: 'https://partner.example' }, /must be an array of origins/],
    ['cache', { cache: null }],
    ['cache', { cache: 'redis' }],
    ['cache', { cache: {} }],
    ['cache', { cache: { get() {}, set() {} } }, /get\(key\), set\(key, value, ttlMs\) and delete\(key\)/],
    ['cache', { cache: { get() {}, delete() {} } }],
    ['cache', { cache: { set() {}, delete() {} } }],
    // A Map has get, set and delete, but set(key, value, ttlMs) would keep tokens forever.
    ['cache', { cache: new Map() }],
  ];
  for (const [option, override, says] of CASES) {
    const shown = override[option] instanceof Map ? 'a Map' : JSON.stringify(override[option]) ?? 'undefined';
    it(`throws at creation naming "${option}" for ${shown}`, () => {
      assert.throws(
        () => createWidgetAuthHandler({ ...valid, ...override }),
        (error) => {
          assert.ok(error instanceof TypeError);
          assert.match(error.message, new RegExp(`^createWidgetAuthHandler: option "${option}"`));
          if (says) assert.match(error.message, says);
          assert.ok(!error.message.includes(API_KEY), 'message contains the key');
          return true;
        },
      );
    });
  }

  it('says how to fix a key that ends with a newline, without showing it', () => {
    assert.throws(() => createWidgetAuthHandler({ ...valid, apiKey: `${API_KEY}\n` }), (error) => {
      assert.match(error.message, /newline/);
      assert.ok(!error.message.includes(API_KEY));
      return true;
    });
  });

  for (const baseUrl of ['https://tenant.returning.ai', 'http://localhost:8080', 'http://127.0.0.1:9000/prefix', 'http://127.10.200.1:9000', 'http://[::1]:3000']) {
    it(`accepts the baseUrl ${baseUrl} (http only on loopback)`, () => {
      assert.equal(typeof createWidgetAuthHandler({ ...valid, baseUrl }), 'function');
    });
  }

  for (const options of [undefined, null, 'options']) {
    it(`throws without an options object (${JSON.stringify(options) ?? 'undefined'})`, () => {
      assert.throws(() => createWidgetAuthHandler(options), { name: 'TypeError', message: 'createWidgetAuthHandler: an options object is required' });
    });
  }

  it('takes a timeoutMs up to 2^31 - 1 ms, the most setTimeout can wait', () => {
    assert.equal(typeof createWidgetAuthHandler({ ...valid, timeoutMs: 2_147_483_647 }), 'function');
  });

  it('needs a fetch option where there is no global fetch, and only there', () => {
    const realFetch = globalThis.fetch;
    globalThis.fetch = undefined;
    try {
      assert.throws(() => createWidgetAuthHandler(valid), { name: 'TypeError', message: 'createWidgetAuthHandler: option "fetch" is required in a runtime without a global fetch' });
      assert.equal(typeof createWidgetAuthHandler({ ...valid, fetch: async () => Response.json({ token: 't' }) }), 'function');
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('accepts valid options and returns a function with forgetToken', () => {
    const handler = createWidgetAuthHandler(valid);
    assert.equal(typeof handler, 'function');
    assert.equal(typeof handler.forgetToken, 'function');
  });

  for (const cache of [undefined, true, false, { get() {}, set() {}, delete() {} }]) {
    it(`accepts cache ${JSON.stringify(cache) ?? 'undefined'}`, () => {
      assert.equal(typeof createWidgetAuthHandler({ ...valid, cache }), 'function');
    });
  }
});
