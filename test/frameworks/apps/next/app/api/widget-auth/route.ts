// The widget's auth endpoint: exchanges the signed-in user's email for a widget token, with the API key kept on
// the server. The framework test points RETURNING_AI_BASE_URL at a fake signin API on loopback; leave it unset
// in a real app.
// #region route
import { createWidgetAuthHandler } from 'returning-ai-widget/server';

export const POST = createWidgetAuthHandler({
  apiKey: process.env.RETURNING_AI_API_KEY!,
  communityId: process.env.RETURNING_AI_COMMUNITY_ID!,
  baseUrl: process.env.RETURNING_AI_BASE_URL,
  getUserEmail: async () => (await auth())?.user.email,
});
// #endregion route

/**
 * Stands in for the app's authentication (Auth.js, Clerk, a session cookie…): who is signed in. The email must
 * come from there, never from anything the browser sends.
 */
async function auth(): Promise<{ user: { email: string } } | null> {
  return { user: { email: 'ada@example.com' } };
}
