// A real Next.js app (App Router, apps/next), built and started as in production (support/next-app.mjs): a server
// component page renders the widget through a client component, and app/api/widget-auth/route.ts runs the
// backend helper (returning-ai-widget/server) against a fake signin API on loopback. The server-rendered HTML
// has the tag; in Chromium the page hydrates with no warning or error, and the fake widget (another loopback
// origin) receives the token the fake API issued. Needs `npm run build` first.
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

describe(`Next.js ${NEXT_VERSION}: next build, next start, server rendering and hydration (headless Chromium)`, { timeout: 360_000 }, () => {
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
      RETURNING_AI_BASE_URL: upstream.baseUrl,
      RETURNING_AI_WIDGET_URL: fixtures.origins.WIDGET_ORIGIN,
    };
    await buildNextApp(env);
    [app, browser] = await Promise.all([
      startNextApp(env),
      chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, timeout: 30_000 }),
    ]);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    await fixtures?.close();
    await upstream?.close();
  });

  test('the server-rendered HTML has the tag, with the widget’s iframe in it', async () => {
    const response = await fetch(`${app.url}/`, { signal: AbortSignal.timeout(15_000) });
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /<returning-ai-widget><iframe slot="frame" src="http:\/\/127\.0\.0\.1:\d+\/store\/w1" [^>]*><\/iframe><\/returning-ai-widget><p id="status">Signing in…<\/p>/);
  });

  test('the page hydrates without a warning, and the widget is signed in through the route handler', { timeout: 60_000 }, async () => {
    // React reports hydration mismatches on the console (as errors, or warnings in development).
    const { context, page, problems } = await openWatchedPage(browser, { timeout: 20_000, consoleTypes: ['error', 'warning'] });
    try {
      await page.goto(`${app.url}/`);
      const explain = (error) => assert.fail(`${error.message.split('\n')[0]}\n${problems.join('\n') || 'no page errors'}\nnext start said:\n${app.output()}`);
      await page.locator('#status').filter({ hasText: 'Signed in to widget w1' }).waitFor().catch(explain);
      const received = await (await page.waitForFunction(() => window.widgetTokens[0]).catch(explain)).jsonValue();

      assert.deepEqual(received, { token: 'upstream-token-1', widgetId: 'w1' }, 'the widget got the token the signin API issued');
      assert.deepEqual(upstream.calls, [{ email: 'ada@example.com', token: 'upstream-token-1' }], 'one signin, for the session user');
      assert.equal(await page.locator('returning-ai-widget').getAttribute('status'), 'authenticated');
      // The element adopted the server's iframe: one frame, in its light DOM, and none of its own.
      assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('returning-ai-widget iframe')].map((frame) => frame.slot)), ['frame']);
      assert.equal(await page.evaluate(() => document.querySelector('returning-ai-widget').shadowRoot.querySelectorAll('iframe').length), 0);
      assert.deepEqual(await page.evaluate(() => window.authFailures), [], 'no rai-auth-failure on the way');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
