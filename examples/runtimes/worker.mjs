// A Cloudflare Worker with returning-ai-widget/server: the recipe in docs/backend.md, bundled with esbuild and run
// in workerd (through miniflare) by test/node/server-runtime-workers.test.mjs. Sessions live in a KV namespace
// bound as SESSIONS (session id → email), standing in for your own session store.

// #region recipe
import { createWidgetAuthHandler } from 'returning-ai-widget/server';

// Created at the first request, when `env` is known, then reused: its token cache lives as long as the isolate.
let widgetAuth;

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname !== '/api/widget-auth') return new Response('Not found', { status: 404 });
    widgetAuth ??= createWidgetAuthHandler({
      apiKey: env.RETURNING_AI_API_KEY, // a secret: `wrangler secret put RETURNING_AI_API_KEY`
      communityId: env.RETURNING_AI_COMMUNITY_ID,
      // The second argument is what you pass below: here the Worker's env, for its KV binding.
      getUserEmail: async (request, env) => {
        const sid = sessionId(request); // your session cookie
        return sid ? env.SESSIONS.get(sid) : null;
      },
    });
    return widgetAuth(request, env);
  },
};
// #endregion

/** The session id from the `sid` cookie, or undefined. */
function sessionId(request) {
  return /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
}
