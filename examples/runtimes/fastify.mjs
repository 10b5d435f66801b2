// Fastify 5 with returning-ai-widget/server (through toNodeHandler): the recipe in docs/backend.md, started on
// loopback and exercised by test/node/server-runtime-fastify.test.mjs.

// #region recipe
import Fastify from 'fastify';
import { createWidgetAuthHandler, toNodeHandler } from 'returning-ai-widget/server';
import { emailFromCookie } from './sessions.mjs'; // your session store

export const app = Fastify();

const widgetAuth = toNodeHandler(
  createWidgetAuthHandler({
    apiKey: process.env.RETURNING_AI_API_KEY, // secret: keep it on the server
    communityId: process.env.RETURNING_AI_COMMUNITY_ID,
    // The Fetch Request carries the browser's cookies: look the user up in your session store.
    getUserEmail: (request) => emailFromCookie(request.headers.get('cookie')),
  }),
);

app.post('/api/widget-auth', async (request, reply) => {
  reply.hijack(); // the adapter writes the answer to the Node response itself
  await widgetAuth(request.raw, reply.raw);
});
// #endregion
