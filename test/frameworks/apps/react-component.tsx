// The React component, returning-ai-widget/react, as the React 18 and React 19 apps use it (react-18/, react-19/):
// camelCase props, the tokenProvider as a prop, typed event props, and slot content as children.
// #region app
import { useState } from 'react';
import { ReturningAiWidget } from 'returning-ai-widget/react';
import { baseUrl, tokenProvider } from './token-provider.js';

export function App() {
  const [status, setStatus] = useState('Signing in…');
  const [widgetStatus, setWidgetStatus] = useState('idle');
  return (
    <>
      <ReturningAiWidget
        widgetId="w1"
        baseUrl={baseUrl}
        storage="memory"
        tokenProvider={tokenProvider}
        onAuthSuccess={(event) => setStatus(`Signed in to widget ${event.detail.widgetId}`)}
        onStatusChange={({ detail }) => setWidgetStatus(detail.reason ? `${detail.status} (${detail.reason})` : detail.status)}
      >
        <p slot="loading">Loading your rewards…</p>
        <a slot="signed-out" href="/sign-in">
          Sign in to collect rewards
        </a>
      </ReturningAiWidget>
      <p id="status">{status}</p>
      <p id="widget-status">{widgetStatus}</p>
    </>
  );
}
// #endregion app
