// A client component: the React component sets the element's properties and listens to its events in the browser.
// The server still renders the tag, with its slot content, into the page's HTML.
// #region widget
'use client';

import Link from 'next/link';
import { useRef, useState } from 'react';
import { ReturningAiWidget, ReturningAiWidgetElement, type StatusChangeDetail } from 'returning-ai-widget/react';

/** What the page says about the widget, from its status (and why, for an error or a sign-out). */
function note({ status, reason }: StatusChangeDetail): string {
  switch (status) {
    case 'authenticating':
      return 'Signing you in to your rewards…';
    case 'authenticated':
      return 'Signed in to your rewards.';
    case 'error':
      return `Your rewards are unavailable right now (${reason}).`;
    case 'logged-out':
      return reason === 'logout' ? 'You signed out of your rewards.' : 'Sign in to see your rewards.';
    default:
      return 'Loading your rewards…';
  }
}

export function RewardsWidget({ widgetId, baseUrl }: { widgetId: string; baseUrl?: string }) {
  const widget = useRef<ReturningAiWidgetElement>(null);
  const [status, setStatus] = useState<StatusChangeDetail>({ status: 'idle' });
  return (
    <section>
      <ReturningAiWidget
        ref={widget}
        widgetId={widgetId}
        baseUrl={baseUrl}
        authEndpoint="/api/widget-auth"
        onStatusChange={(event) => setStatus(event.detail)}
      >
        <p slot="loading">Loading your rewards…</p>
        <div slot="error">
          <p>Your rewards could not be loaded.</p>
          <button type="button" onClick={() => widget.current?.retry()}>
            Try again
          </button>
        </div>
        <Link slot="signed-out" href="/sign-in">
          Sign in to collect rewards
        </Link>
      </ReturningAiWidget>
      <p id="widget-status" role="status">
        {note(status)}
      </p>
    </section>
  );
}
// #endregion widget
