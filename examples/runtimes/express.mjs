// Express 5 with returning-ai-widget/server: the recipe in docs/backend.md and the README, started on loopback and
// exercised by test/node/server-runtime-express.test.mjs.

// #region imports
import express from 'express';
import { createWidgetAuthHandler, toNodeHandler } from 'returning-ai-widget/server';
import { endSession, requireLogin } from './sessions.mjs'; // your auth: requireLogin sets req.user
// #endregion

export const app = express();

// #region recipe
const widgetAuth = createWidgetAuthHandler({
  apiKey: process.env.RETURNING_AI_API_KEY, // secret: keep it on the server
  communityId: process.env.RETURNING_AI_COMMUNITY_ID,
  // The second argument is { req, res }: read the user your auth middleware attached.
  getUserEmail: (_request, { req }) => req.user?.email,
  onError: (error) => console.error('widget auth failed', error.code, error.upstreamStatus),
});

app.post('/api/widget-auth', requireLogin, toNodeHandler(widgetAuth));
// #endregion

// #region sign-out
app.post('/sign-out', requireLogin, async (req, res) => {
  endSession(req); // your own sign-out
  // The next sign-in gets a new widget token rather than the one this session was given.
  await widgetAuth.forgetToken(req.user.email);
  res.status(204).end();
});
// #endregion
