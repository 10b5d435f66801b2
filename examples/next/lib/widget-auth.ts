// The widget's auth endpoint, in lib/ so that both app/api/widget-auth/route.ts (which serves it) and
// app/api/sign-out/route.ts (which calls forgetToken) use this one handler and its token cache.
// #region handler
import { createWidgetAuthHandler } from 'returning-ai-widget/server';
import { readSession } from './session';

export const widgetAuth = createWidgetAuthHandler({
  apiKey: process.env.RETURNING_AI_API_KEY!, // secret: server-only, no NEXT_PUBLIC_ prefix
  communityId: process.env.RETURNING_AI_COMMUNITY_ID!,
  baseUrl: process.env.RETURNING_AI_BASE_URL, // unset: Returning.AI's own host
  // The email comes from your session, never from the request.
  getUserEmail: async () => (await readSession())?.email,
  onError: (error) => console.error('widget auth failed:', error.code, error.upstreamStatus ?? ''),
});
// #endregion handler
