// What onError receives can be logged as-is: whatever a custom fetch or getUserEmail throws, nothing reachable from
// the reported error holds the API key. Imports the built module: run `npx tsc -p tsconfig.build.json` first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createWidgetAuthHandler } from '../../dist/server/index.js';

// Obviously fake, and new at every run, so no real key can ever end up in this file or its output.
const API_KEY = `fake-key-${randomBytes(12).toString('hex')}`;

/** Every string reachable from `value` through own properties (symbols and non-enumerables included), getters too. */
function reachableStrings(value, seen = new Set()) {
  if (typeof value === 'string') return [value];
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return [];
  seen.add(value);
  const found = [];
  if (value instanceof Headers || value instanceof Map) for (const entry of value) found.push(...reachableStrings(entry, seen));
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'string') found.push(key);
    let property;
    try {
      property = value[key];
    } catch {
      continue;
    }
    found.push(...reachableStrings(property, seen));
  }
  return found;
}

/** JSON.stringify, which calls toJSON; a cycle or a throwing toJSON gives ''. */
function jsonOf(value) {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** Fails when any way a host might log `error` shows the key. */
function assertKeyFree(error, label) {
  const views = [
    inspect(error, { depth: Infinity, showHidden: true }),
    inspect(error, { depth: Infinity, getters: true }),
    String(error.cause),
    jsonOf(error.cause),
    ...reachableStrings(error),
  ];
  for (const view of views) assert.ok(!view.includes(API_KEY), `${label}: the key is visible in ${JSON.stringify(view.slice(0, 200))}`);
}

/** The error onError got for a request whose upstream `fetch` throws `thrown`. */
async function reportedFor(thrown) {
  const reported = [];
  const handler = createWidgetAuthHandler({
    apiKey: API_KEY,
    communityId: 'community-1',
    getUserEmail: () => 'alice@example.com',
    fetch: async () => {
      throw thrown();
    },
    onError: (error) => reported.push(error),
  });
  const response = await handler(new Request('https://host.example/api/widget-auth', { method: 'POST' }));
  assert.equal(response.status, 502);
  assert.equal(reported.length, 1);
  return reported[0];
}

/** Error shapes real clients throw, and shapes built to trip a naive filter. Each carries the key somewhere. */
const SHAPES = {
  'axios-style: config.headers and request': () =>
    Object.assign(new Error('Request failed'), {
      code: 'ECONNREFUSED',
      config: { url: 'https://prod-widgets.returning.ai', headers: { 'returningai-api-key': API_KEY } },
      request: { _header: `POST / HTTP/1.1\r\nreturningai-api-key: ${API_KEY}\r\n` },
    }),
  'got-style: options.headers behind a non-enumerable property': () => {
    const error = new Error('Timeout awaiting response');
    Object.defineProperty(error, 'options', { value: { headers: { 'returningai-api-key': API_KEY } }, enumerable: false });
    return error;
  },
  'a Fetch Headers object': () => Object.assign(new TypeError('fetch failed'), { headers: new Headers({ 'returningai-api-key': API_KEY }) }),
  'a Map of headers': () => Object.assign(new Error('failed'), { headers: new Map([['returningai-api-key', API_KEY]]) }),
  'the key in a nested cause property': () => new Error('outer', { cause: Object.assign(new Error('inner'), { init: { headers: [['returningai-api-key', API_KEY]] } }) }),
  'the key in a string property': () => Object.assign(new Error('failed'), { curl: `curl -H 'returningai-api-key: ${API_KEY}'` }),
  'the key in a symbol-keyed property': () => Object.assign(new Error('failed'), { [Symbol('request')]: { key: API_KEY } }),
  'the key in the name and the stack': () => {
    const error = new Error('failed');
    error.name = `KeyError(${API_KEY})`;
    error.stack = `Error: ${API_KEY}\n    at somewhere`;
    return error;
  },
  'a getter that throws next to the key': () => {
    const error = Object.assign(new Error('failed'), { headers: { 'returningai-api-key': API_KEY } });
    Object.defineProperty(error, 'response', { get: () => { throw new Error('getter exploded'); }, enumerable: true });
    return error;
  },
  'a getter that returns the key': () => Object.defineProperty(new Error('failed'), 'secret', { get: () => API_KEY, enumerable: true }),
  'a cycle through cause and a property': () => {
    const error = Object.assign(new Error('cyclic'), { headers: { 'returningai-api-key': API_KEY } });
    error.cause = error;
    error.self = { error };
    return error;
  },
  'a cause chain deeper than any walk': () => {
    let error = Object.assign(new Error('bottom'), { key: API_KEY });
    for (let i = 0; i < 50; i++) error = new Error(`level ${i}`, { cause: error });
    return error;
  },
  'an AggregateError': () => new AggregateError([new Error('first'), Object.assign(new Error('second'), { key: API_KEY })], 'all failed'),
  'a custom inspect that prints the key': () =>
    Object.assign(new Error('failed'), { [Symbol.for('nodejs.util.inspect.custom')]: () => `headers: ${API_KEY}` }),
  'a toJSON that returns the key': () => Object.assign(new Error('failed'), { toJSON: () => ({ key: API_KEY }) }),
  'a plain object thrown': () => ({ message: 'not an Error', headers: { 'returningai-api-key': API_KEY } }),
  'a string thrown': () => `request failed with returningai-api-key=${API_KEY}`,
  'a Proxy whose every trap throws': () =>
    new Proxy(new Error(API_KEY), {
      get: () => { throw new Error('trap'); },
      getOwnPropertyDescriptor: () => { throw new Error('trap'); },
      ownKeys: () => { throw new Error('trap'); },
      getPrototypeOf: () => { throw new Error('trap'); },
    }),
  'the key URL-encoded in the message': () => new Error(`GET /?key=${encodeURIComponent(`${API_KEY}/+`)}`),
};

describe('onError: the reported error never shows the API key', () => {
  for (const [name, thrown] of Object.entries(SHAPES)) {
    it(name, async () => {
      const error = await reportedFor(thrown);
      assert.equal(error.code, 'upstream-unreachable');
      assertKeyFree(error, name);
    });
  }

  it('keeps what a log needs: class name, message, code and the cause chain', async () => {
    const error = await reportedFor(() =>
      Object.assign(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', port: 9 }) }), {
        config: { headers: { 'returningai-api-key': API_KEY } },
      }),
    );
    assert.ok(error.cause instanceof TypeError);
    assert.equal(error.cause.message, 'fetch failed');
    assert.match(error.cause.stack, /^TypeError: fetch failed\n/);
    assert.equal(error.cause.config, undefined);
    const root = error.cause.cause;
    assert.ok(root instanceof Error);
    assert.deepEqual(
      { message: root.message, code: root.code, errno: root.errno, syscall: root.syscall, port: root.port },
      { message: 'connect ECONNREFUSED 127.0.0.1:9', code: 'ECONNREFUSED', errno: -111, syscall: 'connect', port: 9 },
    );
  });

  it('replaces the key inside text, rather than dropping the whole message', async () => {
    const error = await reportedFor(() => new Error(`connect failed, headers: returningai-api-key=${API_KEY}`));
    assert.equal(error.cause.message, 'connect failed, headers: returningai-api-key=[redacted]');
  });

  it('the same holds for an error thrown by getUserEmail', async () => {
    const reported = [];
    const handler = createWidgetAuthHandler({
      apiKey: API_KEY,
      communityId: 'community-1',
      getUserEmail: () => {
        throw SHAPES['axios-style: config.headers and request']();
      },
      onError: (error) => reported.push(error),
    });
    const response = await handler(new Request('https://host.example/', { method: 'POST' }));
    assert.equal(response.status, 500);
    assert.equal(reported[0].cause.code, 'ECONNREFUSED');
    assertKeyFree(reported[0], 'getUserEmail');
  });
});
