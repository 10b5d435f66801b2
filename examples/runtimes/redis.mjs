// The token cache in Redis, for a site that runs several instances: the recipe in docs/backend.md, run against a
// real redis-server by test/node/server-redis.test.mjs.

// #region recipe
import { createClient } from 'redis';
import { createWidgetAuthHandler, redisTokenCache } from 'returning-ai-widget/server';

// Your own client, connected once at start-up; protect this Redis like your session store.
export const redis = await createClient({ url: process.env.REDIS_URL }).connect();

export const widgetAuth = createWidgetAuthHandler({
  apiKey: process.env.RETURNING_AI_API_KEY,
  communityId: process.env.RETURNING_AI_COMMUNITY_ID,
  getUserEmail: (_request, { req }) => req.user?.email,
  cache: redisTokenCache(redis), // every instance shares the users' tokens
});
// #endregion
