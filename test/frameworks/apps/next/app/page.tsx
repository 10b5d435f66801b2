// A server component: the page is rendered on the server (per request: it is behind the user's session) and
// hydrated in the browser.
// #region page
import { RewardsWidget } from './rewards-widget';

export const dynamic = 'force-dynamic';

export default function Page() {
  // RETURNING_AI_WIDGET_URL: the test's fake widget. Unset in a real app, so the widget's own host is used.
  return <RewardsWidget widgetId="w1" baseUrl={process.env.RETURNING_AI_WIDGET_URL} />;
}
// #endregion page
