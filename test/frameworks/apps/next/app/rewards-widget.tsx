// A client component: the React component sets properties and listens to events in the browser, so it is used
// from a client component; the server still renders the tag into the page's HTML.
// #region widget
'use client';

import { useState } from 'react';
import { ReturningAiWidget } from 'returning-ai-widget/react';

export function RewardsWidget({ widgetId, baseUrl }: { widgetId: string; baseUrl?: string }) {
  const [status, setStatus] = useState('Signing in…');
  return (
    <>
      <ReturningAiWidget
        widgetId={widgetId}
        baseUrl={baseUrl}
        authEndpoint="/api/widget-auth"
        onAuthSuccess={(event) => setStatus(`Signed in to widget ${event.detail.widgetId}`)}
        onAuthFailure={(event) => setStatus(`Sign-in failed: ${event.detail.reason}`)}
      />
      <p id="status">{status}</p>
    </>
  );
}
// #endregion widget
