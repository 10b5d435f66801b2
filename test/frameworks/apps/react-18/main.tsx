// React 18 with the React component, under StrictMode: the same app as react-19/, bundled with `react` and
// `react-dom` mapped to the npm aliases `react-18` and `react-dom-18` (support/build-apps.mjs). React 18 alone
// would set `tokenProvider` as a string attribute and never listen to the events; the component does both.
import { StrictMode, version } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../react-component.js';

createRoot(document.querySelector('#app')!).render(
  <StrictMode>
    <App />
    <p id="react-version">{version}</p>
  </StrictMode>,
);
