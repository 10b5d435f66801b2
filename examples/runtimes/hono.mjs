// Hono with returning-ai-widget/server, served on Node by @hono/node-server: the recipe in docs/backend.md,
// started on loopback and exercised by test/node/server-runtime-hono.test.mjs.
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { createWidgetAuthHandler } from 'returning-ai-widget/server';
import { emailFromCookie } from './sessions.mjs';

/** Stands in for your auth middleware: it sets the context's `user` from the session, or answers 401. */
const requireLogin = createMiddleware(async (c, next) => {
  const email = emailFromCookie(c.req.header('cookie'));
  if (!email) return c.json({ error: 'unauthenticated' }, 401);
  c.set('user', { email });
  await next();
});

export const app = new Hono();

// #region recipe
const widgetAuth = createWidgetAuthHandler({
  apiKey: process.env.RETURNING_AI_API_KEY, // secret: keep it on the server
  communityId: process.env.RETURNING_AI_COMMUNITY_ID,
  // The second argument is what you pass below: here the Hono context.
  getUserEmail: (_request, c) => c.get('user')?.email,
});

app.post('/api/widget-auth', requireLogin, (c) => widgetAuth(c.req.raw, c));
// #endregion
