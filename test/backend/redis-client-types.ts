// Never run: type-checked by `npm run lint` (tsc), so that redisTokenCache keeps accepting the clients of `redis` 5
// and `ioredis` 5 as they are typed, with no cast in the host's code.
import { createClient, createCluster } from 'redis';
import { Cluster, Redis } from 'ioredis';
import { redisTokenCache, type TokenCache } from '../../src/server/index.js';

export function acceptsTheRealClients(): TokenCache[] {
  return [
    redisTokenCache(createClient()),
    redisTokenCache(createCluster({ rootNodes: [] })),
    redisTokenCache(new Redis({ lazyConnect: true })),
    redisTokenCache(new Cluster([], { lazyConnect: true })),
  ];
}
