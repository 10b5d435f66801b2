import type { TokenCache } from './token-cache.js';

/** What {@link redisTokenCache} uses of a node-redis 5 client (`createClient()` or `createCluster()` of `redis`). */
export interface NodeRedisClient {
  get(key: string): Promise<unknown>;
  pSetEx(key: string, milliseconds: number, value: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/** What {@link redisTokenCache} uses of an ioredis 5 client (`new Redis()` or `new Cluster()` of `ioredis`). */
export interface IoRedisClient {
  get(key: string): Promise<unknown>;
  psetex(key: string, milliseconds: number, value: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/**
 * A {@link TokenCache} in Redis, for a site that runs several server instances: a user's token is then fetched
 * once for all of them. It uses your own client, connected and configured by you (this package has no Redis
 * client of its own); `redis` 5 and `ioredis` 5 are tested. Each token is one key with a TTL (`PSETEX`).
 *
 * The values are bearer tokens: give this Redis the protection you give your session store (no public
 * network access, authentication, TLS across hosts).
 *
 * @param client - a connected `redis` (node-redis) or `ioredis` client
 * @throws {TypeError} when `client` has neither `pSetEx` (node-redis) nor `psetex` (ioredis)
 *
 * @example
 * ```ts
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const widgetAuth = createWidgetAuthHandler({ …, cache: redisTokenCache(redis) });
 * ```
 */
export function redisTokenCache(client: NodeRedisClient | IoRedisClient): TokenCache {
  const setWithTtl = commandSettingTtl(client);
  return {
    get: async (key) => {
      const value = await client.get(key);
      return typeof value === 'string' ? value : undefined;
    },
    set: (key, value, ttlMs) => setWithTtl(key, ttlMs, value),
    delete: (key) => client.del(key),
  };
}

/** node-redis names the command `pSetEx`, ioredis `psetex`; neither has the other's. */
function commandSettingTtl(client: NodeRedisClient | IoRedisClient): (key: string, ttlMs: number, value: string) => Promise<unknown> {
  if (typeof (client as NodeRedisClient | undefined)?.pSetEx === 'function') {
    return (key, ttlMs, value) => (client as NodeRedisClient).pSetEx(key, ttlMs, value);
  }
  if (typeof (client as IoRedisClient | undefined)?.psetex === 'function') {
    return (key, ttlMs, value) => (client as IoRedisClient).psetex(key, ttlMs, value);
  }
  throw new TypeError('redisTokenCache: expected a client of `redis` 5 (pSetEx) or `ioredis` 5 (psetex)');
}
