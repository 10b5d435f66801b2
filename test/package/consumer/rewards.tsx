// The React component as a strict app uses it: slot content as children, a typed status event.
import { useRef, useState } from 'react';
import type { StatusChangeDetail, WidgetStatus } from 'returning-ai-widget';
import { ReturningAiWidget, ReturningAiWidgetElement, type ReturningAiWidgetComponentProps } from 'returning-ai-widget/react';

const NOTES: Record<WidgetStatus, string> = {
  idle: '',
  authenticating: 'Signing you in…',
  authenticated: 'Signed in.',
  error: 'Rewards are unavailable.',
  'logged-out': 'Signed out.',
};

export function Rewards(props: ReturningAiWidgetComponentProps) {
  const ref = useRef<ReturningAiWidgetElement>(null);
  const [change, setChange] = useState<StatusChangeDetail>({ status: 'idle' });
  return (
    <>
      <ReturningAiWidget {...props} ref={ref} widgetId="w1" authEndpoint="/api/widget-auth" onStatusChange={(event) => setChange(event.detail)}>
        <p slot="loading">Loading your rewards…</p>
        <div slot="error">
          <button onClick={() => ref.current?.retry()}>Try again</button>
        </div>
        <a slot="signed-out" href="/sign-in">
          Sign in
        </a>
      </ReturningAiWidget>
      <p>
        {NOTES[change.status]} {change.reason === 'logout' ? 'Goodbye.' : change.reason}
      </p>
      <button onClick={() => ReturningAiWidgetElement.logout()}>Sign out</button>
    </>
  );
}
