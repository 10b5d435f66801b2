// The Express 5 example (examples/express), end to end in headless Chromium: log in with a session, the page
// loads the element from node_modules with no bundler, the widget signs in through the example's auth endpoint
// and the real backend helper (against a fake signin API on loopback), a signed-out request gets 401 (which the
// element reports as `unauthorized`), and sign-out ends the session (and forgets the user's token on the server)
// before it drops the widget's token in the browser.
// Needs `npm run build` first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { createApp } from '../../examples/express/server.mjs';
import { CHROME_ARGS, findChrome } from '../support/find-chrome.mjs';
import { startFixtureServers } from '../support/fixture-server.mjs';
import { API_KEY, COMMUNITY_ID, startFakeUpstream } from './support/fake-upstream.mjs';
import { openWatchedPage } from './support/watched-page.mjs';

const EXPRESS_VERSION = JSON.parse(readFileSync('node_modules/express/package.json', 'utf8')).version;
const TOKEN_KEY = 'returning-ai-widget-token';

describe(`Express ${EXPRESS_VERSION} example: session, 401 guard, the element from node_modules, sign-out (headless Chromium)`, { timeout: 90_000 }, () => {
  let upstream;
  let fixtures;
  let site;
  let url;
  let browser;

  before(async () => {
    assert.ok(existsSync('dist/cdn/returning-ai-widget.js') && existsSync('dist/server/index.js'), 'dist/ is missing: run `npm run build` first');
    [upstream, fixtures, browser] = await Promise.all([
      startFakeUpstream(),
      startFixtureServers(),
      chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, timeout: 30_000 }),
    ]);
    const app = createApp({
      apiKey: API_KEY,
      communityId: COMMUNITY_ID,
      widgetId: 'w1',
      sessionSecret: 'test-session-secret',
      baseUrl: upstream.baseUrl,
      widgetBaseUrl: fixtures.origins.WIDGET_ORIGIN,
    });
    await new Promise((resolve) => {
      site = app.listen(0, '127.0.0.1', resolve);
    });
    url = `http://127.0.0.1:${site.address().port}`;
  });

  after(async () => {
    await browser?.close();
    if (site) {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    }
    await fixtures?.close();
    await upstream?.close();
  });

  async function logIn(page, email) {
    await page.goto(`${url}/`);
    assert.equal(new URL(page.url()).pathname, '/login', 'the page guard sends a visitor to the login page');
    await page.fill('input[name=email]', email);
    await Promise.all([page.waitForURL(`${url}/`), page.click('button')]);
  }

  test('signed out, the auth endpoint answers 401, not a redirect', async () => {
    const response = await fetch(`${url}/api/widget-auth`, { method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { error: 'unauthenticated' });
  });

  test('the element is served from node_modules as a JavaScript module', async () => {
    const response = await fetch(`${url}/vendor/returning-ai-widget/returning-ai-widget.js`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/javascript/);
    assert.equal(await response.text(), readFileSync('dist/cdn/returning-ai-widget.js', 'utf8'));
  });

  test('log in, the widget signs in; sign out ends the session and forgets the token first, then drops it in the browser', async () => {
    const { context, page, problems } = await openWatchedPage(browser);
    try {
      await logIn(page, 'grace@example.com');
      const widget = page.locator('returning-ai-widget');
      await page.waitForFunction(() => window.widgetTokens.length === 1);
      const [received] = await page.evaluate(() => window.widgetTokens);
      const calls = upstream.calls.filter((call) => call.email === 'grace@example.com');
      assert.equal(calls.length, 1, 'one signin, for the session user');
      assert.deepEqual(received, { token: calls[0].token, widgetId: 'w1' }, 'the widget got the token the signin API issued');
      assert.equal(await widget.getAttribute('status'), 'authenticated');
      // The page came with the widget's iframe in its HTML (renderWidget), and the element adopted it: no frame of its own.
      const frames = await page.evaluate(() => {
        const el = document.querySelector('returning-ai-widget');
        return { rendered: el.querySelectorAll(':scope > iframe[slot="frame"]').length, own: el.shadowRoot.querySelectorAll('iframe').length };
      });
      assert.deepEqual(frames, { rendered: 1, own: 0 });
      assert.notEqual(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY), null, 'the token is stored');

      // Watch the auth requests from here on: after /logout, every one must be refused.
      const seen = [];
      page.on('response', (response) => {
        const { pathname } = new URL(response.url());
        if (pathname === '/logout' || pathname === '/api/widget-auth') seen.push(`${pathname} ${response.status()}`);
      });
      await Promise.all([page.waitForURL(`${url}/login`), page.click('#sign-out')]);
      assert.equal(seen[0], '/logout 204');
      assert.deepEqual(seen.slice(1).filter((entry) => !entry.endsWith(' 401')), [], 'no token after the session ended');
      assert.equal(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY), null, 'the token is gone');
      assert.equal(upstream.calls.filter((call) => call.email === 'grace@example.com').length, 1, 'no second signin');
      // Logging in again gets a new token: the server forgot the old one at sign-out.
      await page.evaluate(() => (window.widgetTokens = []));
      await logIn(page, 'grace@example.com');
      await page.waitForFunction(() => window.widgetTokens.length === 1);
      const again = upstream.calls.filter((call) => call.email === 'grace@example.com');
      assert.equal(again.length, 2, 'a second signin after signing in again');
      assert.deepEqual(await page.evaluate(() => window.widgetTokens), [{ token: again[1].token, widgetId: 'w1' }]);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a page whose session ended hears `unauthorized` from the element', async () => {
    const { context, page, problems } = await openWatchedPage(browser);
    try {
      await logIn(page, 'alan@example.com');
      await page.waitForFunction(() => window.widgetTokens.length === 1);
      // The session ends elsewhere (another tab signed out, or it expired); this page still shows the widget.
      const reason = await page.evaluate(async () => {
        await fetch('/logout', { method: 'POST' });
        const widget = document.querySelector('returning-ai-widget');
        const failure = new Promise((resolve) => widget.addEventListener('rai-auth-failure', (event) => resolve(event.detail.reason), { once: true }));
        const ok = await widget.authenticate();
        return { ok, reason: await failure };
      });
      assert.deepEqual(reason, { ok: false, reason: 'unauthorized' });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
