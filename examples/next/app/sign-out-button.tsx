// #region sign-out-button
'use client';

import { useRouter } from 'next/navigation';
import { ReturningAiWidgetElement } from 'returning-ai-widget/react';

export function SignOutButton() {
  const router = useRouter();
  const signOut = async () => {
    // 1. End the session on the server, which also forgets the user's widget token: from now on the auth
    //    endpoint answers 401.
    const response = await fetch('/api/sign-out', { method: 'POST' });
    if (!response.ok) throw new Error(`sign-out failed: HTTP ${response.status}`);
    // 2. Then drop the widget's token here and in the user's other tabs. In the other order, a widget that asks
    //    in between (a tab opening, a refresh falling due) could still get a token for the user who is leaving.
    ReturningAiWidgetElement.logout();
    // 3. Render the page again for a signed-out visitor: the widget stays, signed out.
    router.refresh();
  };
  return (
    <button type="button" onClick={signOut}>
      Sign out
    </button>
  );
}
// #endregion sign-out-button
