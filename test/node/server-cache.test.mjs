// One upstream call per user: concurrent requests share one call, and a token with a known expiry is reused until
// shortly before an element would refresh it ahead of its expiry, through the `cache` option. Time is Node's mocked Date.
// Imports the built module: run `npx tsc -p tsconfig.build.json` first.
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWidgetAuthHandler, MemoryTokenCache, redisTokenCache } from '../../dist/server/index.js';
import { refreshDelay } from '../../dist/core/jwt.js';
import { ForgottenSince } from '../../dist/server/forgotten-since.js';
import { TokenSource } from '../../dist/server/token-source.js';

const API_KEY = `fake-key-${randomBytes(12).toString('hex')}`;
const T0 = Date.UTC(2026, 0, 1);
const SECOND = 1000;

/**
 * An unsigned JWT (the handler only reads its claims), valid for `lifetime` seconds from now; `iat` is now, absent
 * (`false`), or that many seconds from now.
 */
function jwt({ lifetime, iat = true, sub = 'user' }) {
  const now = Math.floor(Date.now() / SECOND);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const issued = iat === true ? now : iat === false ? undefined : now + iat;
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub, exp: now + lifetime, iat: issued })}.sig-${randomBytes(4).toString('hex')}`;
}

/**
 * A handler whose upstream mints `mint(email)` after `delayMs`, or once `gate(email)` settles; `upstream` lists the
 * emails it was asked for. The user is the handler's second argument.
 */
function setup({ mint = (email) => jwt({ lifetime: 3600, sub: email }), delayMs = 0, gate = () => {}, ...options } = {}) {
  const upstream = [];
  const reported = [];
  const handler = createWidgetAuthHandler({
    apiKey: API_KEY,
    communityId: 'community-1',
    getUserEmail: (_request, user) => user ?? 'alice@example.com',
    fetch: async (_url, init) => {
      const email = new Headers(init.headers).get('email');
      upstream.push(email);
      if (delayMs) await sleep(delayMs);
      await gate(email);
      return Response.json({ token: mint(email) });
    },
    onError: (error) => reported.push(error),
    ...options,
  });
  const ask = async (user) => {
    const response = await handler(new Request('https://shop.example/api/widget-auth', { method: 'POST' }), user);
    return { status: response.status, ...(await response.json()) };
  };
  return { handler, ask, upstream, reported };
}

/** A fresh JWT (as `jwt` makes) exactly `length` characters long: its signature part pads it. */
function jwtOfLength(length) {
  const [header, payload] = jwt({ lifetime: 3600 }).split('.');
  return `${header}.${payload}.${'s'.repeat(length - header.length - payload.length - 2)}`;
}

/** A promise and its resolve function: a step the test releases itself. */
function deferred() {
  let resolve;
  const promise = new Promise((done) => (resolve = done));
  return { promise, resolve };
}

/** A store that records every call; `impl` overrides any method. */
function spyStore(impl = {}) {
  const map = new Map();
  const calls = [];
  return {
    calls,
    map,
    get: async (key) => (calls.push(['get', key]), impl.get ? impl.get(key) : map.get(key)),
    set: async (key, value, ttlMs) => (calls.push(['set', key, ttlMs]), impl.set ? impl.set(key, value, ttlMs) : void map.set(key, value)),
    delete: async (key) => (calls.push(['delete', key]), impl.delete ? impl.delete(key) : void map.delete(key)),
  };
}

beforeEach(() => mock.timers.enable({ apis: ['Date'], now: T0 }));
afterEach(() => mock.timers.reset());

describe('one upstream call per user: concurrent requests', () => {
  it('50 concurrent requests of one user share one upstream call and one token', async () => {
    const { ask, upstream } = setup({ delayMs: 20, mint: () => `opaque-${randomBytes(4).toString('hex')}` });
    const answers = await Promise.all(Array.from({ length: 50 }, () => ask('alice@example.com')));
    assert.deepEqual(upstream, ['alice@example.com']);
    assert.equal(new Set(answers.map((a) => a.token)).size, 1);
    assert.ok(answers.every((a) => a.status === 200));
  });

  it('concurrent requests of 10 users make 10 calls, each user getting their own token', async () => {
    const { ask, upstream } = setup({ delayMs: 20 });
    const users = Array.from({ length: 10 }, (_, i) => `user${i}@example.com`);
    const answers = await Promise.all(users.flatMap((user) => [ask(user), ask(user), ask(user)]));
    assert.equal(upstream.length, 10);
    assert.deepEqual(new Set(upstream), new Set(users));
    for (const [i, answer] of answers.entries()) {
      const claims = JSON.parse(Buffer.from(answer.token.split('.')[1], 'base64url'));
      assert.equal(claims.sub, users[Math.floor(i / 3)]);
    }
  });

  it('a failed call is shared by the requests waiting on it, and the next request tries again', async () => {
    let fail = true;
    const { ask, upstream, reported } = setup({ delayMs: 20, mint: () => (fail ? '' : jwt({ lifetime: 3600 })) });
    const answers = await Promise.all([ask(), ask(), ask()]);
    assert.deepEqual(answers.map((a) => a.status), [502, 502, 502]);
    assert.equal(upstream.length, 1);
    assert.equal(reported.length, 3);
    fail = false;
    assert.equal((await ask()).status, 200);
    assert.equal(upstream.length, 2);
  });

  it('with cache: false, concurrent requests still share one call', async () => {
    const { ask, upstream } = setup({ delayMs: 20, cache: false });
    await Promise.all([ask(), ask(), ask()]);
    assert.equal(upstream.length, 1);
  });
});

describe('one upstream call per user: tokens reused until shortly before expiry', () => {
  it('reuses a 1-hour token for later requests of the same user', async () => {
    const { ask, upstream } = setup();
    const first = await ask();
    mock.timers.tick(60 * SECOND);
    const second = await ask();
    assert.equal(second.token, first.token);
    assert.equal(upstream.length, 1);
  });

  // Until an element would refresh it (src/core/jwt.ts: a quarter of the lifetime before expiry, at most 60 s; 60 s
  // without iat), less half that again (at most 30 s) for a browser clock ahead of the server's.
  for (const [lifetime, margin, iat] of [[3600, 90, true], [120, 45, true], [60, 22.5, true], [4, 1.5, true], [3600, 90, false], [120, 90, false]]) {
    it(`a ${lifetime} s token${iat ? '' : ' without iat'} is reused until ${margin} s before it expires`, async () => {
      const { ask, upstream } = setup({ mint: () => jwt({ lifetime, iat }) });
      const first = await ask();
      if (lifetime - margin <= 0) return;
      mock.timers.tick((lifetime - margin) * SECOND - 1);
      assert.equal((await ask()).token, first.token);
      mock.timers.tick(1);
      assert.notEqual((await ask()).token, first.token);
      assert.equal(upstream.length, 2);
    });
  }

  // An iat at or after exp gives no lifetime: it is ignored, as if absent (src/core/jwt.ts; issue 17, finding 8).
  for (const iat of [3600, 3601, 7200]) {
    it(`a 3600 s token whose iat is ${iat - 3600} s after its exp is reused until 90 s before it expires, never after`, async () => {
      const store = spyStore();
      const { ask, upstream } = setup({ cache: store, mint: () => jwt({ lifetime: 3600, iat }) });
      const first = await ask();
      assert.equal(store.calls.find(([method]) => method === 'set')?.[2], 3510 * SECOND);
      mock.timers.tick(3510 * SECOND - 1);
      assert.equal((await ask()).token, first.token);
      mock.timers.tick(1);
      assert.notEqual((await ask()).token, first.token);
      assert.equal(upstream.length, 2);
    });
  }

  it('agrees with the element: a token is never served again once an element holding it would refresh it', async () => {
    for (const [lifetime, iat] of [[4, true], [59, true], [119, true], [121, true], [3600, true], [45, false], [400, false], [3600, false]]) {
      mock.timers.setTime(T0);
      const { ask } = setup({ mint: () => jwt({ lifetime, iat }) });
      const token = (await ask()).token;
      // For a token with iat, delivered when issued: served until the refresh less half its lead (at most 30 s), so
      // that a browser clock that far ahead of the server's still gets a new token.
      if (iat) {
        const lead = lifetime * SECOND - refreshDelay(token, T0);
        const skew = Math.min(30 * SECOND, lead / 2);
        mock.timers.setTime(Math.ceil(T0 + refreshDelay(token, T0) - skew) - 1);
        assert.equal((await ask()).token, token, `lifetime ${lifetime} s: served up to the refresh, less the skew allowed`);
        mock.timers.setTime(Math.ceil(T0 + refreshDelay(token, T0) - skew));
        assert.notEqual((await ask()).token, token, `lifetime ${lifetime} s: a browser ${skew} ms ahead refreshes`);
        mock.timers.setTime(T0);
      }
      // Delivered to an element at any moment it is still served, the element's refresh comes when it is no longer.
      for (let i = 0; i < 10; i++) {
        const delivered = T0 + Math.floor((lifetime * SECOND * i) / 10);
        mock.timers.setTime(delivered);
        if ((await ask()).token !== token) break;
        const refresh = delivered + refreshDelay(token, delivered);
        mock.timers.setTime(Math.ceil(refresh));
        assert.notEqual((await ask()).token, token, `lifetime ${lifetime} s, iat ${iat}: served again at the refresh of +${delivered - T0} ms`);
        mock.timers.setTime(T0);
      }
    }
  });


  it('never caches a token without a known expiry (opaque, or a JWT without exp)', async () => {
    const store = spyStore();
    for (const mint of [() => 'opaque-token', () => `${Buffer.from('{}').toString('base64url')}.${Buffer.from('{"sub":"a"}').toString('base64url')}.sig`]) {
      const { ask, upstream } = setup({ mint, cache: store });
      await ask();
      await ask();
      assert.equal(upstream.length, 2);
    }
    assert.deepEqual(store.calls.filter(([method]) => method === 'set'), []);
  });

  // Without iat, reuse ends 90 s before exp: for a 90 s token that is the moment it arrives (a TTL of 0).
  for (const lifetime of [20, 90]) {
    it(`never caches a token whose reuse is already over when it arrives (${lifetime} s, no iat)`, async () => {
      const store = spyStore();
      const { ask, upstream } = setup({ mint: () => jwt({ lifetime, iat: false }), cache: store });
      await ask();
      await ask();
      assert.equal(upstream.length, 2);
      assert.deepEqual(store.calls.filter(([method]) => method === 'set'), []);
    });
  }

  it('with cache: false, every request calls upstream, and forgetToken has nothing to drop', async () => {
    const { handler, ask, upstream, reported } = setup({ cache: false });
    await ask();
    await ask();
    assert.equal(upstream.length, 2);
    await handler.forgetToken('alice@example.com');
    assert.deepEqual(reported, []);
  });
});

describe('the cache option: a store of your own', () => {
  it('gets and sets through the store, with a TTL that ends before an element would refresh the token (90 s before exp), and a key without the email', async () => {
    const store = spyStore();
    const { ask, upstream } = setup({ cache: store, mint: () => jwt({ lifetime: 3600 }) });
    const first = await ask('alice@example.com');
    const second = await ask('alice@example.com');
    assert.equal(second.token, first.token);
    assert.equal(upstream.length, 1);
    const [get, set] = store.calls;
    assert.equal(get[0], 'get');
    assert.deepEqual(set, ['set', get[1], 3510 * SECOND]);
    assert.match(get[1], /^returning-ai-widget:token:v1:[0-9a-f]{64}$/);
    assert.ok(![...store.calls.flat()].some((part) => String(part).includes('alice')));
  });

  it('keys differ by user and by community, and are the same across handlers of one community', async () => {
    const keys = [];
    for (const [communityId, user] of [['community-1', 'alice@example.com'], ['community-1', 'bob@example.com'], ['community-2', 'alice@example.com'], ['community-1', 'alice@example.com']]) {
      const store = spyStore();
      await setup({ cache: store, communityId }).ask(user);
      keys.push(store.calls[0][1]);
    }
    assert.equal(new Set(keys.slice(0, 3)).size, 3);
    assert.equal(keys[3], keys[0]);
  });

  it('accepts a synchronous store, and uses it without a timer', async (t) => {
    const map = new Map();
    const store = { get: (key) => map.get(key), set: (key, value) => void map.set(key, value), delete: (key) => void map.delete(key) };
    const { ask, upstream, reported } = setup({ cache: store });
    const timers = t.mock.method(globalThis, 'setTimeout');
    await ask();
    await ask();
    assert.equal(upstream.length, 1);
    assert.deepEqual(reported, []);
    assert.deepEqual(timers.mock.calls.filter((call) => call.arguments[1] === 1000), [], 'no store timer');
  });

  it('an asynchronous store is given a second, and that timer is cleared once it answers', async (t) => {
    const { ask, reported } = setup({ cache: spyStore() });
    const timers = t.mock.method(globalThis, 'setTimeout');
    const cleared = t.mock.method(globalThis, 'clearTimeout');
    await ask();
    await ask();
    const started = timers.mock.calls.filter((call) => call.arguments[1] === 1000).map((call) => call.result);
    assert.equal(started.length, 3); // get, set, get
    assert.deepEqual(started.filter((timer) => !cleared.mock.calls.some((call) => call.arguments[0] === timer)), []);
    assert.deepEqual(reported, []);
  });

  it('ignores what a store hands back that is not a token to reuse: junk, too long, or past the margin', async () => {
    const junks = [42, '', { token: 'x' }, new String(jwt({ lifetime: 3600 })), jwtOfLength(8193), jwt({ lifetime: 10, iat: false })];
    for (const junk of junks) {
      const { ask, upstream } = setup({ cache: spyStore({ get: () => junk }) });
      const answer = await ask();
      assert.equal(answer.status, 200);
      assert.notEqual(answer.token, junk);
      assert.equal(upstream.length, 1);
    }
  });

  it('reuses a stored token of 8,192 characters, the longest one relayed', async () => {
    const stored = jwtOfLength(8192);
    const { ask, upstream } = setup({ cache: spyStore({ get: () => stored }) });
    assert.equal((await ask()).token, stored);
    assert.equal(upstream.length, 0);
  });

  for (const [label, impl] of [
    ['get throws', { get: () => { throw new Error('store down'); } }],
    ['get rejects', { get: async () => { throw new Error('store down'); } }],
    ['set rejects', { set: async () => { throw new Error('store down'); } }],
  ]) {
    it(`a failing store (${label}) does not fail the request: served, and reported as cache-unavailable`, async () => {
      const { ask, reported } = setup({ cache: spyStore(impl) });
      const answer = await ask();
      assert.equal(answer.status, 200);
      assert.equal(reported.length, 1);
      assert.equal(reported[0].code, 'cache-unavailable');
      assert.equal(reported[0].message, 'the token cache failed; the request went on without it');
      assert.equal(reported[0].status, 200);
      assert.equal(reported[0].cause.message, 'store down');
    });
  }

  it('a store that never answers is given up on after a second, for get and for set', async () => {
    mock.timers.reset();
    mock.timers.enable({ apis: ['Date', 'setTimeout'], now: T0 }); // the handler's own timers too
    const asked = { get: deferred(), set: deferred() };
    const never = (method) => () => {
      asked[method].resolve();
      return new Promise(() => {});
    };
    const { ask, reported, upstream } = setup({ cache: spyStore({ get: never('get'), set: never('set') }) });
    const pending = ask();
    await asked.get.promise;
    mock.timers.tick(999);
    await new Promise(setImmediate); // one turn: enough for the request to move on if the store had been given up on
    assert.deepEqual(upstream, []);
    mock.timers.tick(1);
    await asked.set.promise;
    mock.timers.tick(1000);
    const answer = await pending;
    assert.equal(answer.status, 200);
    assert.deepEqual(reported.map((error) => [error.code, error.cause.message]), [
      ['cache-unavailable', 'the token cache did not answer within 1000 ms'],
      ['cache-unavailable', 'the token cache did not answer within 1000 ms'],
    ]);
  });

});

describe('forgetToken: dropping one user\'s cached token', () => {
  it('the next request of that user calls upstream; other users keep theirs', async () => {
    const { handler, ask, upstream } = setup();
    const alice = await ask('alice@example.com');
    const bob = await ask('bob@example.com');
    await handler.forgetToken('alice@example.com');
    assert.notEqual((await ask('alice@example.com')).token, alice.token);
    assert.equal((await ask('bob@example.com')).token, bob.token);
    assert.deepEqual(upstream, ['alice@example.com', 'bob@example.com', 'alice@example.com']);
  });

  it('deletes from a store of your own, by the same key', async () => {
    const store = spyStore();
    const { handler, ask } = setup({ cache: store });
    await ask('alice@example.com');
    await handler.forgetToken('alice@example.com');
    const [, key] = store.calls[0];
    assert.deepEqual(store.calls.at(-1), ['delete', key]);
    assert.equal(store.map.size, 0);
  });

  it('a token being fetched while the user is forgotten is not stored', async () => {
    const { handler, ask, upstream } = setup({ delayMs: 30 });
    const pending = ask('alice@example.com');
    await sleep(5);
    await handler.forgetToken('alice@example.com');
    const before = (await pending).token;
    assert.notEqual((await ask('alice@example.com')).token, before);
    assert.equal(upstream.length, 2);
  });

  // A sign-out while another request of the same user is still reading the session (issue 17, finding 7).
  it('a request still reading the session when its user is forgotten gets a token, but does not store it', async () => {
    const session = deferred();
    const store = spyStore();
    const { handler, ask, upstream } = setup({ cache: store, getUserEmail: (_request, user) => user ?? session.promise });
    const pending = ask();
    await handler.forgetToken('alice@example.com');
    session.resolve('alice@example.com');
    const stale = await pending;
    assert.equal(stale.status, 200);
    assert.deepEqual(store.calls.filter(([method]) => method === 'set'), []);
    const next = await ask('alice@example.com');
    assert.notEqual(next.token, stale.token);
    assert.deepEqual(upstream, ['alice@example.com', 'alice@example.com']);
  });

  // Without the fix, the request after the forget waits for the held call: the timeout makes that a failure.
  it('nor is its call shared with a request that began after the forget', { timeout: 5_000 }, async () => {
    const session = deferred();
    const called = deferred();
    const held = deferred();
    const { handler, ask, upstream } = setup({
      getUserEmail: (_request, user) => user ?? session.promise,
      // The first call (the stale request's) is held until the end; the others answer at once.
      gate: () => {
        if (upstream.length > 1) return undefined;
        called.resolve();
        return held.promise;
      },
    });
    const pending = ask();
    await handler.forgetToken('alice@example.com');
    session.resolve('alice@example.com');
    await called.promise;
    const fresh = await ask('alice@example.com');
    held.resolve();
    const stale = await pending;
    assert.notEqual(fresh.token, stale.token);
    assert.deepEqual(upstream, ['alice@example.com', 'alice@example.com']);
    assert.equal((await ask('alice@example.com')).token, fresh.token);
  });

  it('reaches the requests in progress only, not those that have their answer or failed (which are no longer kept)', async () => {
    const since = new ForgottenSince();
    const sets = {};
    await since.follow(async (forgotten) => void (sets.answered = forgotten));
    await assert.rejects(since.follow(async (forgotten) => {
      sets.failed = forgotten;
      throw new Error('session store down');
    }), /session store down/);
    const answer = deferred();
    const running = since.follow((forgotten) => ((sets.running = forgotten), answer.promise));
    since.forget('alice@example.com');
    assert.deepEqual(Object.fromEntries(Object.entries(sets).map(([name, set]) => [name, [...set]])), {
      answered: [],
      failed: [],
      running: ['alice@example.com'],
    });
    answer.resolve('token');
    assert.equal(await running, 'token');
  });

  it('a call that lands after its user was forgotten does not unshare the call that replaced it', async () => {
    const started = [deferred(), deferred()];
    const held = [];
    const { handler, ask, upstream } = setup({
      cache: false,
      // The first two calls are held until the test lets them answer; later ones answer at once.
      gate: () => {
        if (held.length === 2) return undefined;
        const call = deferred();
        started[held.length].resolve();
        held.push(call);
        return call.promise;
      },
    });
    const first = ask('alice@example.com');
    await started[0].promise;
    await handler.forgetToken('alice@example.com');
    const second = ask('alice@example.com');
    await started[1].promise;
    held[0].resolve();
    await first; // the forgotten call has landed, while its replacement is in flight
    const third = ask('alice@example.com');
    await new Promise(setImmediate); // one turn: the key is remembered, so `third` has joined a call or started one
    held[1].resolve();
    const [replacing, joining] = await Promise.all([second, third]);
    assert.equal(joining.token, replacing.token);
    assert.equal(upstream.length, 2);
  });

  it('rejects when the store fails, so the host knows the token was not dropped', async () => {
    const { handler } = setup({ cache: spyStore({ delete: async () => { throw new Error('store down'); } }) });
    await assert.rejects(handler.forgetToken('alice@example.com'), /store down/);
  });
});

// Against a real redis-server with both clients: test/node/server-redis.test.mjs. Here, what it sends them.
describe('redisTokenCache: a store over your own Redis client', () => {
  /** A client with node-redis's command names (`pSetEx`) or ioredis's (`psetex`) over a Map; `sent` lists the commands. */
  function fakeRedis(setCommand) {
    const data = new Map();
    const sent = [];
    return {
      sent,
      data,
      get: async (key) => (sent.push(['get', key]), data.get(key) ?? null),
      del: async (key) => (sent.push(['del', key]), Number(data.delete(key))),
      [setCommand]: async (key, ms, value) => (sent.push([setCommand, key, ms, value]), data.set(key, value), 'OK'),
    };
  }

  for (const [client, setCommand] of [['redis (node-redis)', 'pSetEx'], ['ioredis', 'psetex']]) {
    it(`with ${client}: sets a token with its TTL in milliseconds (${setCommand}), reads it back, deletes it`, async () => {
      const redis = fakeRedis(setCommand);
      const cache = redisTokenCache(redis);
      await cache.set('k', 'a-token', 3_540_000);
      assert.equal(await cache.get('k'), 'a-token');
      await cache.delete('k');
      assert.equal(await cache.get('k'), undefined);
      assert.deepEqual(redis.sent, [[setCommand, 'k', 3_540_000, 'a-token'], ['get', 'k'], ['del', 'k'], ['get', 'k']]);
    });
  }

  it('reads anything but a string (a missing key, a Buffer) as no token', async () => {
    const redis = fakeRedis('pSetEx');
    redis.data.set('buffer', Buffer.from('a-token'));
    const cache = redisTokenCache(redis);
    assert.equal(await cache.get('missing'), undefined);
    assert.equal(await cache.get('buffer'), undefined);
  });

  it('serves a user once per token lifetime through the handler', async () => {
    const redis = fakeRedis('psetex');
    const { ask, upstream } = setup({ cache: redisTokenCache(redis) });
    const first = await ask();
    assert.equal((await ask()).token, first.token);
    assert.equal(upstream.length, 1);
    assert.deepEqual([...redis.data.values()], [first.token]);
  });

  for (const [label, client] of [['an object that is not a redis or ioredis client', { get() {}, set() {}, del() {} }], ['nothing', undefined]]) {
    it(`refuses ${label}, naming the two commands it looks for`, () => {
      assert.throws(() => redisTokenCache(client), (error) => error instanceof TypeError && /pSetEx.*psetex/.test(error.message));
    });
  }
});

describe('MemoryTokenCache: the default store, bounded in entries', () => {
  it('keeps at most maxEntries tokens, dropping the least recently used', async () => {
    const { ask, upstream } = setup({ cache: new MemoryTokenCache({ maxEntries: 3 }) });
    for (const user of ['a', 'b', 'c']) await ask(`${user}@example.com`);
    await ask('a@example.com'); // a is now the most recently used
    await ask('d@example.com'); // evicts b
    upstream.length = 0;
    for (const user of ['a', 'c', 'd', 'b']) await ask(`${user}@example.com`);
    assert.deepEqual(upstream, ['b@example.com']);
  });

  it('forgets an entry when its TTL has passed', () => {
    const cache = new MemoryTokenCache();
    cache.set('k', 'v', 1000);
    mock.timers.tick(999);
    assert.equal(cache.get('k'), 'v');
    mock.timers.tick(1);
    assert.equal(cache.get('k'), undefined);
  });

  it('defaults to 10,000 entries, takes 1, and refuses a bound that is not a positive integer', () => {
    assert.equal(new MemoryTokenCache().maxEntries, 10_000);
    assert.equal(new MemoryTokenCache({ maxEntries: 1 }).maxEntries, 1);
    for (const maxEntries of [0, -1, 1.5, Number.NaN, '10']) {
      assert.throws(() => new MemoryTokenCache({ maxEntries }), (error) => error instanceof TypeError && /"maxEntries" must be a positive integer/.test(error.message));
    }
  });

  it('a TTL that is not positive stores nothing (and so evicts nothing), and drops the key\'s earlier value', () => {
    const cache = new MemoryTokenCache({ maxEntries: 1 });
    cache.set('a', 'kept', 1000);
    for (const ttlMs of [0, -1, Number.NaN]) cache.set('b', 'never', ttlMs);
    assert.equal(cache.get('a'), 'kept');
    assert.equal(cache.get('b'), undefined);
    cache.set('a', 'gone', 0);
    assert.equal(cache.get('a'), undefined);
  });
});

describe('TokenSource: the memory of store keys', () => {
  const settings = { apiKey: API_KEY, signinUrl: 'https://returning.example/widget/c/signin', timeoutMs: 1000, fetch: async () => Response.json({ token: 'opaque' }) };

  it('hashes a returning user once, remembering up to maxRememberedKeys users, then starts over', async (t) => {
    const digest = t.mock.method(crypto.subtle, 'digest');
    const source = new TokenSource(settings, new MemoryTokenCache(), { maxRememberedKeys: 2 });
    const ask = (user) => source.tokenFor(`${user}@example.com`, new Set(), () => {});
    const hashes = [];
    for (const user of ['a', 'a', 'b', 'a', 'c', 'a']) {
      await ask(user);
      hashes.push(digest.mock.callCount());
    }
    // a, (a remembered), b, (a remembered), c empties the memory of 2 first, then a again.
    assert.deepEqual(hashes, [1, 1, 2, 2, 3, 4]);
  });
});
