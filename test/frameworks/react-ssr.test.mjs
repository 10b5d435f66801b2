// The React component on the server, as Next.js renders a client component before hydration: importing
// returning-ai-widget/react in Node touches no DOM and defines nothing, and rendering it gives the tag with React's
// own attributes and, inside it, the widget's iframe exactly as `renderWidget()` (returning-ai-widget/ssr) makes it,
// so the widget page loads while the HTML is parsed, then the component's children (the slot content). The
// element's props are set as properties in the browser, so none leaks into the HTML (a function or a half
// configuration there would be upgraded before React hydrates it).
// Needs `npm run build` first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';

test('the React component imports and renders on the server', async () => {
  assert.equal(typeof globalThis.window, 'undefined');
  assert.equal(typeof globalThis.customElements, 'undefined');
  const { ReturningAiWidget } = await import('returning-ai-widget/react');
  const html = renderToString(
    createElement(ReturningAiWidget, {
      id: 'rewards',
      className: 'wide',
      widgetId: 'w1',
      theme: 'dark',
      tokenProvider: async () => 'token',
      onAuthSuccess: () => {},
      onStatusChange: () => {},
      children: [createElement('p', { slot: 'loading', key: 'loading' }, 'Loading…'), createElement('a', { slot: 'signed-out', href: '/sign-in', key: 'sign-in' }, 'Sign in')],
    }),
  );
  const { renderWidget } = await import('returning-ai-widget/ssr');
  const markup = renderWidget({ 'widget-id': 'w1', theme: 'dark' });
  assert.match(markup, /<iframe slot="frame" src="https:\/\/prod-widgets\.returning\.ai\/store\/w1\?color=dark" /);
  // renderWidget()'s frame (React spells `frameborder` as `frameBorder`: HTML attribute names ignore case).
  const frame = /<iframe[^>]*><\/iframe>/.exec(markup)[0];
  const children = '<p slot="loading">Loading…</p><a slot="signed-out" href="/sign-in">Sign in</a>';
  assert.equal(html.replace('frameBorder=', 'frameborder='), `<returning-ai-widget id="rewards" class="wide">${frame}${children}</returning-ai-widget>`);
  assert.equal(typeof globalThis.window, 'undefined', 'nothing defined a window');
});
