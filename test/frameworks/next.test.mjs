// The Next.js example (examples/next, App Router), built and started as in production (support/next-app.mjs):
// a cookie session with sign-in and sign-out, the widget page (a server component rendering the React component
// through a client component, with slot content and a note driven by rai-status-change), and the route handlers:
// lib/widget-auth.ts runs the backend helper (returning-ai-widget/server) against a fake signin API on loopback,
// and sign-out ends the session and forgets the user's token there before the page calls logout().
// Checked here: the server-rendered HTML (the tag, the widget's iframe in it, the slot content), hydration with no
// warning (the element adopts the server's iframe: one widget document), the route handler's answers, and in
// Chromium sign-in (the fake widget, on another loopback origin, gets the token the fake API issued) and sign-out.
// Needs `npm run build` first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../support/find-chrome.mjs';
import { startFixtureServers } from '../support/fixture-server.mjs';
import { API_KEY, COMMUNITY_ID, startFakeUpstream } from './support/fake-upstream.mjs';
import { buildNextApp, startNextApp } from './support/next-app.mjs';
import { openWatchedPage } from './support/watched-page.mjs';

const NEXT_VERSION = JSON.parse(readFileSync('node_modules/next/package.json', 'utf8')).version;
const TOKEN_KEY = 'returning-ai-widget-token';

/** The example's slot content, as the server renders it. */
const SLOT_CONTENT =
  '<p slot="loading">Loading your rewards…</p><div slot="error"><p>Your rewards could not be loaded.</p>' +
  '<button type="button">Try again</button></div><a slot="signed-out" href="/sign-in">Sign in to collect rewards</a>';
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * What the server renders for the widget: the tag without attributes (its props are set in the browser), the
 * widget's iframe in its `frame` slot (so the widget page loads while the HTML is parsed), then the slot content.
 */
const SERVER_RENDERED_WIDGET = new RegExp(
  `<returning-ai-widget><iframe slot="frame" src="http://127\\.0\\.0\\.1:\\d+/store/w1" [^>]*></iframe>${escapeRegExp(SLOT_CONTENT)}</returning-ai-widget>`,
);
const WIDGET_PAGE = '/store/w1';

describe(`Next.js ${NEXT_VERSION} example: next build, next start, sign-in, the widget, sign-out (headless Chromium)`, { timeout: 360_000 }, () => {
  let upstream;
  let fixtures;
  let app;
  let browser;

  before(async () => {
    assert.ok(existsSync('dist/frameworks/react.js') && existsSync('dist/server/index.js'), 'dist/ is missing: run `npm run build` first');
    [upstream, fixtures] = await Promise.all([startFakeUpstream(), startFixtureServers()]);
    const env = {
      RETURNING_AI_API_KEY: API_KEY,
      RETURNING_AI_COMMUNITY_ID: COMMUNITY_ID,
      RETURNING_AI_WIDGET_ID: 'w1',
      SESSION_SECRET: 'a-test-session-secret-of-32-characters-or-more',
      RETURNING_AI_BASE_URL: upstream.baseUrl,
      RETURNING_AI_WIDGET_URL: fixtures.origins.WIDGET_ORIGIN,
    };
    await buildNextApp(env);
    [app, browser] = await Promise.all([startNextApp(env), chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, timeout: 30_000 })]);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    await fixtures?.close();
    await upstream?.close();
  });

  /**
   * A page that fails on an uncaught error or a console error or warning (React reports hydration mismatches
   * there), except the browser's own line for the auth endpoint's 401, which a signed-out visitor gets by design.
   */
  const openPage = () =>
    openWatchedPage(browser, {
      timeout: 20_000,
      consoleTypes: ['error', 'warning'],
      expected: (message) => message.text().includes('status of 401') && message.location().url.endsWith('/api/widget-auth'),
    });

  /** Fails with what the page and `next start` said, for a wait that timed out. */
  const explain = (problems) => (error) =>
    assert.fail(`${error.message.split('\n')[0]}\n${problems.join('\n') || 'no page errors'}\nnext start said:\n${app.output()}`);

  /** Signs in through the sign-in page, from the widget page's own link, and waits for the widget page again. */
  async function signIn(page, email) {
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${app.url}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await Promise.all([page.waitForURL(`${app.url}/`), page.getByRole('button', { name: 'Sign in' }).click()]);
  }

  const tokensOf = (email) => upstream.calls.filter((call) => call.email === email).map((call) => call.token);

  test('signed out: the server renders the tag with the widget’s iframe and the slot content; the auth endpoint answers 401', async () => {
    const response = await fetch(`${app.url}/`, { signal: AbortSignal.timeout(15_000) });
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, SERVER_RENDERED_WIDGET);
    assert.match(html, /<p id="widget-status" role="status">Loading your rewards…<\/p>/);
    assert.match(html, /<a href="\/sign-in">Sign in<\/a>/);
    assert.doesNotMatch(html, new RegExp(API_KEY), 'the API key stays on the server');

    const auth = await fetch(`${app.url}/api/widget-auth`, { method: 'POST', signal: AbortSignal.timeout(15_000) });
    assert.equal(auth.status, 401);
    assert.deepEqual(await auth.json(), { error: 'unauthenticated' });
  });

  test('before the element is defined, the server-rendered page shows the widget’s frame and the loading slot only, in its box', async () => {
    // Without JavaScript the page stays as the server sent it: what a visitor sees until hydration.
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const widgetPagesBefore = fixtures.requests(WIDGET_PAGE);
      await page.goto(`${app.url}/`);
      assert.equal(fixtures.requests(WIDGET_PAGE) - widgetPagesBefore, 1, 'the widget page is requested with no script run at all');
      const shown = await page.evaluate(() =>
        Object.fromEntries([...document.querySelectorAll('returning-ai-widget > [slot]')].map((node) => [node.slot, node.checkVisibility()])),
      );
      assert.deepEqual(shown, { frame: true, loading: true, error: false, 'signed-out': false });
      assert.equal(await page.evaluate(() => document.querySelector('returning-ai-widget').getBoundingClientRect().height), 600);
    } finally {
      await context.close();
    }
  });

  test('sign in: the page hydrates without a warning, the route handler signs the widget in, the note says so', { timeout: 90_000 }, async () => {
    const { context, page, problems } = await openPage();
    try {
      const widgetPagesBefore = fixtures.requests(WIDGET_PAGE);
      await page.goto(`${app.url}/`);
      const note = page.locator('#widget-status');
      // A signed-out visitor: one 401, the widget's signed-out view with the page's sign-in link over it.
      await note.filter({ hasText: 'Sign in to see your rewards.' }).waitFor().catch(explain(problems));
      assert.deepEqual(await page.evaluate(() => window.statusChanges), [{ status: 'authenticating' }, { status: 'logged-out', reason: 'unauthorized' }]);
      const slotted = await page.evaluate(() =>
        [...document.querySelectorAll('returning-ai-widget > [slot]')].map((node) => `${node.slot}:${node.assignedSlot?.name ?? 'none'}`),
      );
      assert.deepEqual(slotted, ['frame:frame', 'loading:loading', 'error:error', 'signed-out:signed-out'], 'each child reached its slot');
      assert.ok(await page.locator('returning-ai-widget > [slot="signed-out"]').isVisible(), 'the sign-in link shows while signed out');
      // The element adopted the server's iframe: one frame, in its light DOM, none of its own, one widget document.
      assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('returning-ai-widget iframe')].map((frame) => frame.slot)), ['frame']);
      assert.equal(await page.evaluate(() => document.querySelector('returning-ai-widget').shadowRoot.querySelectorAll('iframe').length), 0);
      assert.equal(fixtures.requests(WIDGET_PAGE) - widgetPagesBefore, 1, 'the widget page was loaded once');

      const widgetPagesSignedOut = fixtures.requests(WIDGET_PAGE);
      await page.evaluate(() => (window.signedOutView = true));
      await signIn(page, 'ada@example.com');
      await note.filter({ hasText: 'Signed in to your rewards.' }).waitFor().catch(explain(problems));
      const received = await (await page.waitForFunction(() => window.widgetTokens.at(-1)).catch(explain(problems))).jsonValue();
      assert.deepEqual(tokensOf('ada@example.com'), [received.token], 'one signin, for the session user, and the widget got its token');
      assert.equal(received.widgetId, 'w1');
      assert.deepEqual(await page.evaluate(() => window.statusChanges), [{ status: 'authenticating' }, { status: 'authenticated' }]);
      assert.equal(await page.locator('returning-ai-widget').getAttribute('status'), 'authenticated');
      assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('returning-ai-widget iframe')].map((frame) => frame.slot)), ['frame']);
      assert.equal(await page.evaluate(() => document.querySelector('returning-ai-widget').shadowRoot.querySelectorAll('iframe').length), 0);
      assert.ok(!(await page.locator('returning-ai-widget > [slot="signed-out"]').isVisible()), 'no sign-in link once signed in');
      assert.equal(fixtures.requests(WIDGET_PAGE) - widgetPagesSignedOut, 1, 'a widget document for the signed-in user, loaded once');
      assert.deepEqual(await page.evaluate(() => window.authFailures), [], 'no failure');
      assert.equal(await page.evaluate(() => window.signedOutView), undefined, 'the sign-in ended with a page load');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('sign out: the session ends and the token is forgotten on the server, then logout(); signing in again gets a new token', { timeout: 90_000 }, async () => {
    const { context, page, problems } = await openPage();
    try {
      await page.goto(`${app.url}/sign-in`);
      await page.getByLabel('Email').fill('grace@example.com');
      await Promise.all([page.waitForURL(`${app.url}/`), page.getByRole('button', { name: 'Sign in' }).click()]);
      const note = page.locator('#widget-status');
      await note.filter({ hasText: 'Signed in to your rewards.' }).waitFor().catch(explain(problems));
      const [first] = tokensOf('grace@example.com');
      await page.waitForFunction((token) => window.widgetTokens.some((received) => received.token === token), first);
      assert.notEqual(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY), null, 'the token is stored');

      // From the click on, every auth request must be refused: the session ends before the widget lets go.
      const seen = [];
      page.on('response', (response) => {
        const { pathname } = new URL(response.url());
        if (pathname === '/api/sign-out' || pathname === '/api/widget-auth') seen.push(`${pathname} ${response.status()}`);
      });
      await page.evaluate(() => (window.statusChanges = []));
      await page.getByRole('button', { name: 'Sign out' }).click();
      await note.filter({ hasText: 'You signed out of your rewards.' }).waitFor().catch(explain(problems));
      assert.deepEqual(await page.evaluate(() => window.statusChanges), [{ status: 'logged-out', reason: 'logout' }]);
      assert.equal(await page.locator('returning-ai-widget').getAttribute('status'), 'logged-out');
      assert.equal(await page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY), null, 'the token is gone');
      // The page rendered again for a signed-out visitor; the widget element stayed, signed out.
      await page.locator('#account').getByRole('link', { name: 'Sign in' }).waitFor().catch(explain(problems));
      assert.equal(seen[0], '/api/sign-out 204');
      assert.deepEqual(seen.slice(1).filter((entry) => !entry.endsWith(' 401')), [], 'no token after the session ended');
      const status = await page.evaluate(() => fetch('/api/widget-auth', { method: 'POST' }).then((response) => response.status));
      assert.equal(status, 401, 'the session cookie is gone');

      // Signing in again reaches the signin API again: the handler forgot the token it had cached for grace.
      await signIn(page, 'grace@example.com');
      await note.filter({ hasText: 'Signed in to your rewards.' }).waitFor().catch(explain(problems));
      const tokens = tokensOf('grace@example.com');
      assert.equal(tokens.length, 2, 'a second signin: forgetToken reached the cache the auth endpoint uses');
      await page.waitForFunction((token) => window.widgetTokens.at(-1)?.token === token, tokens[1]);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
