// The package in real apps, in headless Chromium: plain HTML pages that load the CDN files with no build step
// (ES module and classic script), and Vue 3, Angular, React 18 and React 19 apps that import it by name, bundled
// with esbuild or, for Angular, built by its CLI (support/build-apps.mjs). Each page signs the fake widget in (test/support/fake-widget.html, on another
// loopback origin) through the auth endpoint of support/app-server.mjs, and shows the rai-auth-success it got. The
// framework apps also show the status from rai-status-change, and give the element's slots content.
// Needs `npm run build` first: the apps and pages use dist/ and dist/cdn/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../support/find-chrome.mjs';
import { startFixtureServers } from '../support/fixture-server.mjs';
import { startAppServer } from './support/app-server.mjs';
import { buildApps } from './support/build-apps.mjs';
import { openWatchedPage } from './support/watched-page.mjs';

/** Each check: its page, how the element gets its token there, and whether the app shows the status and fills slots. */
const APPS = [
  { name: 'plain HTML with the CDN ES module (auth-endpoint)', path: '/plain/esm.html' },
  { name: 'plain HTML with the CDN classic script (auth-endpoint)', path: '/plain/classic.html' },
  { name: 'Vue 3 (tokenProvider as a property, @rai-auth-success, @rai-status-change, slots)', path: '/vue/', slots: true },
  {
    name: 'Angular 21.2, built ahead of time by `ng build` (CUSTOM_ELEMENTS_SCHEMA, [tokenProvider], (rai-auth-success), (rai-status-change), slots)',
    path: '/angular/',
    slots: true,
  },
  { name: 'React 19 (tokenProvider prop, onrai-auth-success)', path: '/react/' },
  // The React component (returning-ai-widget/react) under StrictMode, in development builds.
  { name: 'React 18.3.1, the component (tokenProvider, onAuthSuccess, onStatusChange, slots as children), StrictMode', path: '/react-18/', react: '18.3.1', slots: true },
  { name: 'React 19.3.1, the component (tokenProvider, onAuthSuccess, onStatusChange, slots as children), StrictMode', path: '/react-19/', react: '19.3.1', slots: true },
];

describe('the element in real apps (headless Chromium)', { timeout: 120_000 }, () => {
  let bundles;
  let fixtures;
  let server;
  let browser;

  before(async () => {
    assert.ok(existsSync('dist/cdn/returning-ai-widget.js') && existsSync('dist/index.js'), 'dist/ is missing: run `npm run build` first');
    bundles = mkdtempSync(join(tmpdir(), 'rai-framework-apps-'));
    [fixtures] = await Promise.all([startFixtureServers(), buildApps(bundles)]);
    server = await startAppServer({ bundles, widgetOrigin: fixtures.origins.WIDGET_ORIGIN });
    browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await fixtures?.close();
    if (bundles) rmSync(bundles, { recursive: true, force: true });
  });

  for (const { name, path, react, slots } of APPS) {
    test(name, { timeout: 30_000 }, async () => {
      const { context, page, problems } = await openWatchedPage(browser, { consoleTypes: ['error'] });
      try {
        await page.goto(`${server.url}${path}`);
        const status = page.locator('#status');
        // A wait that times out says what the page showed and what went wrong there (a blocked script, an error).
        const explain = async (error) => {
          const shown = await status.textContent({ timeout: 1000 }).catch(() => '(none)');
          assert.fail(`${error.message.split('\n')[0]}\n#status: ${shown}\n${problems.join('\n') || 'no page errors'}`);
        };
        // The app's own handler saw rai-auth-success and rendered it.
        await status.filter({ hasText: 'Signed in to widget w1' }).waitFor().catch(explain);
        const received = await (await page.waitForFunction(() => window.widgetTokens[0]).catch(explain)).jsonValue();

        const pageName = path.replace(/^\/|\/$/g, '').replaceAll('/', '-');
        assert.equal(received.widgetId, 'w1');
        assert.match(received.token, new RegExp(`^token-${pageName.replace('.', '\\.')}-\\d+$`), 'the widget got a token this page asked for');
        assert.ok(server.issued.includes(received.token), 'the token came from the auth endpoint');
        assert.equal(await page.locator('returning-ai-widget').getAttribute('status'), 'authenticated');
        // Every page's element changed status twice (once each: setting the same status again fires nothing).
        assert.deepEqual(await page.evaluate(() => window.statusChanges), [{ status: 'authenticating' }, { status: 'authenticated' }]);
        if (slots) {
          // The app's own rai-status-change handler rendered the last status.
          await page.locator('#widget-status').filter({ hasText: /^authenticated$/ }).waitFor().catch(explain);
          // Each child the app rendered in the tag reached the slot it names (the React component's own frame aside).
          const slotted = await page.evaluate(() =>
            [...document.querySelectorAll('returning-ai-widget > [slot]:not([slot=frame])')].map((node) => `${node.slot}:${node.assignedSlot?.name ?? 'none'}`),
          );
          assert.deepEqual(slotted, ['loading:loading', 'signed-out:signed-out']);
        }
        if (react) {
          assert.equal(await page.locator('#react-version').textContent(), react, 'the React the app runs');
          // StrictMode mounted the component twice: still one element, one iframe, one auth request.
          // (The component renders the frame as the element's child, in its `frame` slot, and the element adopts it.)
          const frames = await page.evaluate(() => [...document.querySelectorAll('returning-ai-widget')].map((el) => el.querySelectorAll('iframe').length + el.shadowRoot.querySelectorAll('iframe').length));
          assert.deepEqual(frames, [1], 'one element with one iframe');
          assert.deepEqual(server.issued.filter((token) => token.startsWith(`token-${pageName}-`)), [received.token], 'one auth request');
        }
        assert.deepEqual(await page.evaluate(() => window.authFailures), [], 'no rai-auth-failure on the way');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
