// The React component, returning-ai-widget/react, as the React 18 and React 19 apps use it (react-18/, react-19/):
// camelCase props, the tokenProvider as a prop, and typed event props.
// #region app
import { useState } from 'react';
import { ReturningAiWidget } from 'returning-ai-widget/react';
import { baseUrl, tokenProvider } from './token-provider.js';

export function App() {
  const [status, setStatus] = useState('Signing in…');
  return (
    <>
      <ReturningAiWidget
        widgetId="w1"
        baseUrl={baseUrl}
        storage="memory"
        tokenProvider={tokenProvider}
        onAuthSuccess={(event) => setStatus(`Signed in to widget ${event.detail.widgetId}`)}
        onAuthFailure={(event) => setStatus(`Sign-in failed: ${event.detail.reason}`)}
      />
      <p id="status">{status}</p>
    </>
  );
}
// #endregion app
