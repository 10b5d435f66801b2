/**
 * `returning-ai-widget/server`: the backend half of the Returning.AI token flow.
 *
 * A Fetch-standard handler that exchanges the signed-in user's email for a widget token while
 * keeping the API key on the server, plus an adapter for Node `http` and Express/Connect, and token
 * caches (in process, or in Redis through your own client).
 * No runtime dependencies and no DOM: safe to import in Node, Deno, Bun, Workers and edge runtimes.
 *
 * @module
 */
export { createWidgetAuthHandler, type WidgetAuthHandler } from './handler.js';
export { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, type UserEmailResult, type WidgetAuthHandlerOptions } from './options.js';
export { WidgetAuthError, type WidgetAuthErrorCode, type WidgetAuthErrorOptions } from './errors.js';
export { toNodeHandler, type NodeContext, type NodeHandler } from './node.js';
export { MemoryTokenCache, type MemoryTokenCacheOptions, type TokenCache } from './token-cache.js';
export { redisTokenCache, type IoRedisClient, type NodeRedisClient } from './redis-cache.js';
