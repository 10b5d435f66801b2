// redisTokenCache against a real redis-server (Debian's package) started on a loopback port for this file, with
// the clients users have: `redis` (node-redis) 5 and `ioredis` 5. Two handlers sharing one Redis stand for two
// instances of a site. Imports the built module: run `npx tsc -p tsconfig.build.json` first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import { createWidgetAuthHandler, redisTokenCache } from '../../dist/server/index.js';
import { startRedis } from '../backend/redis-server.mjs';
import { startFakeUpstream } from '../backend/fake-upstream.mjs';
import { exampleSettings, fakeReturningAi, interceptReturningAi } from '../backend/runtime-support.mjs';

const API_KEY = `fake-key-${randomBytes(12).toString('hex')}`;
const KEY_PATTERN = /^returning-ai-widget:token:v1:[0-9a-f]{64}$/;

let redis;
let upstream;
before(async () => {
  [redis, upstream] = await Promise.all([startRedis(), startFakeUpstream({ apiKey: API_KEY, lifetimeSeconds: 3600 })]);
});
after(async () => {
  await Promise.allSettled([upstream?.close(), redis?.stop()]);
});

/** How each client is connected and closed, and how the test reads Redis through it. */
const CLIENTS = {
  'redis (node-redis) 5': {
    connect: async () => {
      const client = createClient({ url: redis.url });
      client.on('error', () => {}); // reconnect attempts after the server stops are expected
      return client.connect();
    },
    close: (client) => client.destroy(),
    flush: (client) => client.flushAll(),
    keys: (client) => client.keys('*'),
    pttl: (client, key) => client.pTTL(key),
  },
  'ioredis 5': {
    connect: async () => {
      const client = new Redis(redis.url, { lazyConnect: true });
      client.on('error', () => {});
      await client.connect();
      return client;
    },
    close: (client) => client.disconnect(),
    flush: (client) => client.flushall(),
    keys: (client) => client.keys('*'),
    pttl: (client, key) => client.pttl(key),
  },
};

/** A handler (one "instance" of the site) whose cache is `client`; the user is the second argument. */
function instance(client, reported = []) {
  const handler = createWidgetAuthHandler({
    apiKey: API_KEY,
    communityId: 'community-1',
    baseUrl: upstream.baseUrl,
    getUserEmail: (_request, user) => user,
    cache: redisTokenCache(client),
    onError: (error) => reported.push(error),
  });
  return async (user) => {
    const response = await handler(new Request('https://shop.example/api/widget-auth', { method: 'POST' }), user);
    return { status: response.status, ...(await response.json()) };
  };
}

for (const [name, driver] of Object.entries(CLIENTS)) {
  describe(`redisTokenCache with ${name}`, () => {
    let clients;
    before(async () => {
      clients = await Promise.all([driver.connect(), driver.connect()]);
      await driver.flush(clients[0]); // the other client's describe ran first
    });
    after(() => clients.forEach((client) => driver.close(client)));

    it('two instances sharing one Redis make one upstream call per user', async () => {
      upstream.calls.length = 0;
      const [a, b] = clients.map((client) => instance(client));
      const first = await a('alice@example.com');
      const again = await b('alice@example.com');
      const bob = await b('bob@example.com');
      assert.deepEqual([first.status, again.status, bob.status], [200, 200, 200]);
      assert.equal(again.token, first.token);
      assert.notEqual(bob.token, first.token);
      assert.deepEqual(upstream.calls, ['alice@example.com', 'bob@example.com']);
    });

    it('stores each token under a hashed key, never the email, with a TTL ending before an element would refresh it (90 s before expiry)', async () => {
      const keys = await driver.keys(clients[0]);
      assert.equal(keys.length, 2);
      for (const key of keys) {
        assert.match(key, KEY_PATTERN);
        const ttl = await driver.pttl(clients[0], key);
        // 3,600 s lifetime minus the 60 s lead and the 30 s skew allowance, minus the second `exp` is rounded to and the time since.
        assert.ok(ttl > 3_500_000 && ttl <= 3_510_000, `PTTL ${ttl}`);
      }
    });

    it('forgetToken on one instance drops the token for all of them', async () => {
      upstream.calls.length = 0;
      const [a, b] = clients.map((client) => instance(client));
      const before = await a('alice@example.com');
      await createWidgetAuthHandler({
        apiKey: API_KEY,
        communityId: 'community-1',
        baseUrl: upstream.baseUrl,
        getUserEmail: () => null,
        cache: redisTokenCache(clients[1]),
      }).forgetToken('alice@example.com');
      assert.equal((await driver.keys(clients[0])).length, 1);
      const after = await b('alice@example.com');
      assert.notEqual(after.token, before.token);
      assert.deepEqual(upstream.calls, ['alice@example.com']);
    });
  });
}

describe('the Redis recipe of docs/backend.md (examples/runtimes/redis.mjs)', () => {
  it('shares one token per user through Redis', async () => {
    const settings = exampleSettings();
    Object.assign(process.env, settings, { REDIS_URL: redis.url }); // read by the example when it is imported
    const fake = fakeReturningAi(settings);
    const intercepted = interceptReturningAi(fake);
    const example = await import('../../examples/runtimes/redis.mjs');
    try {
      await example.redis.flushAll();
      const ask = async () => (await example.widgetAuth(new Request('https://shop.example/api/widget-auth', { method: 'POST' }), { req: { user: { email: 'dora@example.com' } } })).json();
      const first = await ask();
      assert.equal((await ask()).token, first.token);
      assert.deepEqual(fake.calls, ['dora@example.com']);
      assert.equal(await example.redis.get((await example.redis.keys('*'))[0]), first.token);
    } finally {
      intercepted.close();
      example.redis.destroy();
    }
  });
});

describe('redisTokenCache when Redis goes away', () => {
  it('requests are still served, each store failure reported as cache-unavailable', async () => {
    const connected = await Promise.all(Object.values(CLIENTS).map(async (driver) => ({ driver, client: await driver.connect() })));
    try {
      await redis.stop();
      const started = performance.now();
      const results = await Promise.all(
        connected.map(async ({ client }) => {
          const reported = [];
          const answer = await instance(client, reported)('carol@example.com');
          return { answer, codes: reported.map((error) => error.code) };
        }),
      );
      for (const { answer, codes } of results) {
        assert.equal(answer.status, 200);
        assert.deepEqual(codes, ['cache-unavailable', 'cache-unavailable']); // get, then set
      }
      assert.ok(performance.now() - started < 5_000);
    } finally {
      for (const { driver, client } of connected) driver.close(client);
    }
  });
});
