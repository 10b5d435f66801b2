// The widget page, a server component: rendered on the server for each request (it reads the session cookie) and
// hydrated in the browser. Signed out, the widget shows its signed-out view and the page's sign-in link.
// #region page
import Link from 'next/link';
import { readSession } from '../lib/session';
import { RewardsWidget } from './rewards-widget';
import { SignOutButton } from './sign-out-button';

export default async function Page() {
  const session = await readSession();
  return (
    <main>
      <p id="account">
        {session ? <>Signed in as {session.email}. <SignOutButton /></> : <Link href="/sign-in">Sign in</Link>}
      </p>
      {/* RETURNING_AI_WIDGET_URL: the test's fake widget. Unset in a real app, so the widget's own host is used. */}
      <RewardsWidget widgetId={process.env.RETURNING_AI_WIDGET_ID!} baseUrl={process.env.RETURNING_AI_WIDGET_URL} />
    </main>
  );
}
// #endregion page
