// Stands in for your Hono auth middleware in examples/runtimes/hono.mjs: it sets the context's `user` from the
// session, or answers 401.
import { createMiddleware } from 'hono/factory';
import { emailFromCookie } from './sessions.mjs';

export const requireLogin = createMiddleware(async (c, next) => {
  const email = emailFromCookie(c.req.header('cookie'));
  if (!email) return c.json({ error: 'unauthenticated' }, 401);
  c.set('user', { email });
  await next();
});
