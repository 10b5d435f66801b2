// React 19 with the React component, under StrictMode. The app is bundled as a development build, where StrictMode
// mounts, unmounts and mounts again: the page must still have one iframe and make one auth request.
import { StrictMode, version } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../react-component.js';

createRoot(document.querySelector('#app')!).render(
  <StrictMode>
    <App />
    <p id="react-version">{version}</p>
  </StrictMode>,
);
