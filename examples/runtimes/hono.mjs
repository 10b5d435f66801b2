// Hono with returning-ai-widget/server, served on Node by @hono/node-server: the recipe in docs/backend.md,
// started on loopback and exercised by test/node/server-runtime-hono.test.mjs.

// #region recipe
import { Hono } from 'hono';
import { createWidgetAuthHandler } from 'returning-ai-widget/server';
import { requireLogin } from './hono-login.mjs'; // your auth middleware: sets c.get('user')

export const app = new Hono();

const widgetAuth = createWidgetAuthHandler({
  apiKey: process.env.RETURNING_AI_API_KEY, // secret: keep it on the server
  communityId: process.env.RETURNING_AI_COMMUNITY_ID,
  // The second argument is what you pass below: here the Hono context.
  getUserEmail: (_request, c) => c.get('user')?.email,
});

app.post('/api/widget-auth', requireLogin, (c) => widgetAuth(c.req.raw, c));
// #endregion
