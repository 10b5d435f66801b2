// React 19: importing the package defines <returning-ai-widget> before the first render, so React sets
// `tokenProvider` as a property; `onrai-auth-success` becomes a listener for the `rai-auth-success` event.
// #region main
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'returning-ai-widget';
import type {} from 'returning-ai-widget/react';
import { baseUrl, tokenProvider } from '../token-provider.js';

function App() {
  const [status, setStatus] = useState('Signing in…');
  return (
    <>
      <returning-ai-widget
        widget-id="w1"
        base-url={baseUrl}
        storage="memory"
        tokenProvider={tokenProvider}
        onrai-auth-success={(event) => setStatus(`Signed in to widget ${event.detail.widgetId}`)}
        onrai-auth-failure={(event) => setStatus(`Sign-in failed: ${event.detail.reason}`)}
      />
      <p id="status">{status}</p>
    </>
  );
}

createRoot(document.querySelector('#app')!).render(<App />);
// #endregion main
