// #region provider
import type { TokenProvider } from 'returning-ai-widget';

/**
 * What the apps pass as `tokenProvider`: the app's own request to its auth endpoint. Created once, outside any
 * render: a new function is a new token source, and the element signs in again whenever the source changes.
 */
export const tokenProvider: TokenProvider = async ({ signal }) => {
  const response = await fetch('/api/widget-auth', { method: 'POST', credentials: 'include', signal });
  if (!response.ok) throw new Error(`widget auth failed: HTTP ${response.status}`);
  const { token } = (await response.json()) as { token: string };
  return token;
};
// #endregion provider

/** The fake widget's origin, set by the test server (a real app leaves base-url at its default). */
export const baseUrl = document.documentElement.dataset.widgetOrigin!;
