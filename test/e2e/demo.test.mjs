// End-to-end: the demo's host app + fake Returning.AI + the built element in a
// real Chromium. Needs `npm run build` first (dist/cdn and dist/server).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { startDemo } from '../../demo/start.mjs';
import { CHROME_ARGS, findChrome } from '../support/find-chrome.mjs';

const TTL_SECONDS = 4; // short, so the test can watch one expiry and refresh
const SLOW_MS = 1500; // the "slow endpoint" toggle's delay: well above a loopback request, short for a test
const BUILT = ['../../dist/cdn/returning-ai-widget.js', '../../dist/server/index.js'].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);

let browser;
let demo; // short token lifetime: expiry and refresh
let steadyDemo; // long token lifetime: counting auth requests must not race a refresh
const problems = []; // uncaught page errors and CSP violations, checked per test

/** Polls read() until accept(value) holds; fails with the last value after timeout ms. */
async function waitFor(what, read, accept, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (error) {
      last = `error: ${error.message}`;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    }
    await sleep(100);
  }
}

/** The fake widget's state, read from <body data-*> inside its cross-origin frame. */
async function widgetState(page, origin, widgetId) {
  const frame = page.frames().find((f) => f.url().startsWith(origin) && new URL(f.url()).pathname.endsWith(`/${widgetId}`));
  if (!frame) return null;
  return frame.evaluate(() => ({ ...document.body.dataset }));
}

/** The page's event log as [{ event, text }], oldest first. */
function eventLog(page) {
  return page.$$eval('#log li', (items) =>
    items.map((li) => ({ event: li.dataset.event, text: li.textContent })).reverse(),
  );
}

function hasEvent(entries, event, fragment = '') {
  return entries.some((e) => e.event === event && e.text.includes(fragment));
}

/** The details of the element's `type` events in the page's log, oldest first. */
function eventDetails(page, type) {
  return page.$$eval(`#log li[data-event="${type}"]`, (items) => items.map((li) => JSON.parse(li.lastChild.textContent)).reverse());
}

/** Turns one of the plain-tag page's endpoint faults on or off; resolves once the host app holds the change. */
async function setFault(page, name, on) {
  const box = page.locator(`#faults input[name="${name}"]`);
  await (on ? box.check() : box.uncheck());
  await page.locator(`#faults[data-${name}="${on}"]`).waitFor();
}

/** How long each of the page's finished auth requests took (Resource Timing, ms), oldest first. */
function authRequestDurations(page) {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((entry) => new URL(entry.name).pathname === '/api/widget-auth')
      .map((entry) => entry.duration),
  );
}

async function newPage() {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
  });
  return page;
}

async function signIn(page, hostUrl, email, next) {
  await page.goto(`${hostUrl}/signin?next=${encodeURIComponent(next)}`);
  await page.getByRole('button', { name: email }).click();
  await page.waitForURL(`${hostUrl}${next}`);
}

const signedInAs = (email) => (s) => s?.state === 'signed-in' && s.email === email;

before(async () => {
  const missing = BUILT.filter((path) => !existsSync(path));
  if (missing.length > 0) throw new Error(`run \`npm run build\` first; missing: ${missing.join(', ')}`);
  [demo, steadyDemo] = await Promise.all([
    startDemo({ port: 0, widgetPort: 0, tokenTtlSeconds: TTL_SECONDS, env: {} }),
    startDemo({ port: 0, widgetPort: 0, tokenTtlSeconds: 300, slowEndpointMs: SLOW_MS, env: {} }),
  ]);
  browser = await chromium.launch({
    executablePath: findChrome(),
    args: CHROME_ARGS,
    timeout: 15_000,
  });
});

after(async () => {
  // Stop everything, whatever happened; one failure must not keep the rest running.
  await Promise.allSettled([browser?.close(), demo?.close(), steadyDemo?.close()]);
});

// The whole suite's bound: the sum of its tests on a loaded machine, with room to spare.
describe('npm start demo', { timeout: 75_000 }, () => {
  test('sign in, token refresh on expiry, logout, host sign-out', { timeout: 30_000 }, async () => {
    problems.length = 0;
    const { hostUrl, widgetOrigin } = demo;
    const page = await newPage();
    const widget = () => widgetState(page, widgetOrigin, 'demo-store-1');

    await signIn(page, hostUrl, 'ada@example.com', '/');
    const first = await waitFor('the widget to sign in as ada', widget, signedInAs('ada@example.com'));
    assert.equal(first.refreshes, '0');
    assert.equal(first.widgetType, 'store');
    await waitFor('status authenticated', () => page.getAttribute('#widget', 'status'), (s) => s === 'authenticated');
    assert.ok(hasEvent(await eventLog(page), 'rai-auth-success', '"widgetId":"demo-store-1"'));

    // The token expires; the widget asks again and must get a fresh one.
    const refreshed = await waitFor(
      'a refreshed token after expiry',
      widget,
      (s) => signedInAs('ada@example.com')(s) && Number(s.refreshes) >= 1,
      TTL_SECONDS * 1000 + 8_000,
    );
    assert.ok(Number(refreshed.expiresAt) > Number(first.expiresAt), 'the refreshed token expires later');
    await waitFor('a rai-auth-success with refreshed: true', () => eventLog(page), (log) =>
      hasEvent(log, 'rai-auth-success', '"refreshed":true'),
    );

    // logout(): the token is forgotten and the widget reloaded. A logout means signed out: the reloaded widget stays
    // without a token although the host session lives, until authenticate() signs it in again.
    const beforeLogout = await widget();
    await page.click('#btn-logout');
    await waitFor('the rai-logout event', () => eventLog(page), (log) => hasEvent(log, 'rai-logout', 'demo-store-1'));
    await waitFor('the reloaded widget without a token', widget, (s) => s?.state === 'no-token' && s.doc !== beforeLogout.doc);
    await waitFor('status logged-out', () => page.getAttribute('#widget', 'status'), (s) => s === 'logged-out');
    assert.equal(await page.locator('#widget a[slot="signed-out"]').isVisible(), true, 'the signed-out slot shows');
    await page.click('#btn-authenticate');
    const afterLogout = await waitFor('the widget signed in again with a new token', widget, (s) =>
      signedInAs('ada@example.com')(s) && s.doc !== beforeLogout.doc,
    );
    assert.ok(Number(afterLogout.expiresAt) >= Number(beforeLogout.expiresAt), 'a token minted after the logout');
    await waitFor('logged-out in the status history', () => page.getAttribute('#status', 'data-history'), (h) =>
      /logged-out authenticating authenticated/.test(h ?? ''),
    );

    // Signing out of the host app ends the session, then calls logout(): the widget is reloaded and stays without a
    // token, without even asking.
    const logoutsBefore = (await eventLog(page)).filter((e) => e.event === 'rai-logout').length;
    await page.click('#btn-signout');
    await waitFor('the host session to end', () => page.getAttribute('#session', 'data-email'), (e) => e === '');
    await waitFor('a second rai-logout', () => eventLog(page), (log) => log.filter((e) => e.event === 'rai-logout').length > logoutsBefore);
    await waitFor('the widget without a token', widget, (s) => s?.state === 'no-token' && s.doc !== afterLogout.doc);
    await waitFor('status logged-out', () => page.getAttribute('#widget', 'status'), (s) => s === 'logged-out');

    // authenticate() while signed out of the host: the endpoint answers 401, reported as unauthorized; false.
    await page.click('#btn-authenticate');
    await waitFor('authenticate() to resolve false', () => eventLog(page), (log) =>
      hasEvent(log, 'result', 'authenticate() resolved false'),
    );
    assert.ok(hasEvent(await eventLog(page), 'rai-auth-failure', '"reason":"unauthorized"'));
    assert.equal((await widget())?.state, 'no-token');
    assert.equal(await page.getAttribute('#widget', 'status'), 'logged-out');

    // A fresh page load while signed out ends the same way.
    await page.reload();
    await waitFor('an unauthorized failure after reload', () => eventLog(page), (log) =>
      hasEvent(log, 'rai-auth-failure', '"reason":"unauthorized"'),
    );
    await waitFor('the widget without a token after reload', widget, (s) => s?.state === 'no-token');

    const log = await eventLog(page);
    assert.ok(!log.some((e) => e.event === 'warning'), `warnings in the page log: ${JSON.stringify(log)}`);
    assert.deepEqual(problems, []);
  });

  test('two widgets on one page share one auth request', { timeout: 20_000 }, async () => {
    problems.length = 0;
    const { hostUrl, widgetOrigin } = steadyDemo;
    const page = await newPage();

    await signIn(page, hostUrl, 'grace@example.com', '/two.html');
    await Promise.all(
      ['demo-store-1', 'demo-leaderboard-1'].map((id) =>
        waitFor(`widget ${id} to sign in as grace`, () => widgetState(page, widgetOrigin, id), signedInAs('grace@example.com')),
      ),
    );
    const stats = await page.evaluate(async () => (await fetch('/api/stats')).json());
    assert.equal(stats.widgetAuthRequests.session, 1, 'one auth request served both widgets');
    await waitFor('the page to show the count', () => page.getAttribute('#stats', 'data-session'), (n) => n === '1');
    assert.deepEqual(problems, []);
  });

  test('switching users on the sign-in page does not keep the previous user in the widget', { timeout: 20_000 }, async () => {
    problems.length = 0;
    const { hostUrl, widgetOrigin } = steadyDemo;
    const page = await newPage();
    const widget = () => widgetState(page, widgetOrigin, 'demo-store-1');

    await signIn(page, hostUrl, 'ada@example.com', '/');
    await waitFor('the widget to sign in as ada', widget, signedInAs('ada@example.com'));
    await signIn(page, hostUrl, 'grace@example.com', '/'); // no sign-out in between
    await waitFor('the widget to sign in as grace', widget, signedInAs('grace@example.com'));
    assert.deepEqual(problems, []);
  });

  test('slow endpoint toggle: the request takes the delay, then the widget signs in', { timeout: 20_000 }, async () => {
    problems.length = 0;
    const { hostUrl, widgetOrigin } = steadyDemo;
    const page = await newPage();
    const widget = () => widgetState(page, widgetOrigin, 'demo-store-1');

    await signIn(page, hostUrl, 'ada@example.com', '/');
    const before = await waitFor('the widget to sign in as ada', widget, signedInAs('ada@example.com'));
    await setFault(page, 'slow', true);
    const earlier = (await authRequestDurations(page)).length;

    // logout() forgets the stored token, so after reload() the widget's request goes to the (slow) endpoint; the
    // loading cover shows meanwhile.
    await page.click('#btn-logout');
    await waitFor('status logged-out', () => page.getAttribute('#widget', 'status'), (s) => s === 'logged-out');
    await page.click('#btn-reload');
    await waitFor('the loading cover', () => page.getAttribute('#widget', 'aria-busy'), (busy) => busy === 'true');
    assert.equal(await page.locator('#widget [part="loading"]').isVisible(), true);
    await waitFor('the widget signed in again', widget, (s) => signedInAs('ada@example.com')(s) && s.doc !== before.doc, SLOW_MS + 10_000);
    await waitFor('the loading cover gone', () => page.getAttribute('#widget', 'aria-busy'), (busy) => busy === null);
    const durations = (await authRequestDurations(page)).slice(earlier);
    assert.ok(durations.length >= 1, 'the element asked the endpoint again');
    // 2 ms for timer and clock rounding between Node and Chromium.
    for (const ms of durations) assert.ok(ms >= SLOW_MS - 2, `an auth request took ${ms} ms, less than the ${SLOW_MS} ms delay`);
    assert.match(await page.getAttribute('#status', 'data-history'), /logged-out authenticating authenticated$/);

    await setFault(page, 'slow', false);
    assert.deepEqual(problems, []);
  });

  test('failing endpoint toggle: retries run out, the error panel shows, then off + its Try again signs in', { timeout: 25_000 }, async () => {
    problems.length = 0;
    const { hostUrl, widgetOrigin } = steadyDemo;
    const page = await newPage();
    const widget = () => widgetState(page, widgetOrigin, 'demo-store-1');

    await signIn(page, hostUrl, 'grace@example.com', '/');
    const before = await waitFor('the widget to sign in as grace', widget, signedInAs('grace@example.com'));
    await setFault(page, 'failing', true);

    await page.click('#btn-logout');
    await waitFor('status logged-out', () => page.getAttribute('#widget', 'status'), (s) => s === 'logged-out');
    await page.click('#btn-reload');
    const failures = await waitFor(
      'a final rai-auth-failure',
      () => eventDetails(page, 'rai-auth-failure'),
      (list) => list.some((d) => d.retrying === false),
      15_000,
    );
    const final = failures.at(-1);
    assert.equal(final.retrying, false, 'the final failure is the last one');
    assert.ok(failures.length >= 2 && failures.slice(0, -1).every((d) => d.retrying === true), JSON.stringify(failures));
    for (const d of failures) assert.deepEqual([d.reason, d.status], ['http', 503], JSON.stringify(d));
    await waitFor('status error', () => page.getAttribute('#widget', 'status'), (s) => s === 'error');
    const panel = page.locator('#widget [part="error"]');
    assert.equal(await panel.isVisible(), true, 'the error panel shows');
    assert.equal(await panel.locator('[part="message"]').textContent(), 'Signing in failed.');

    // The endpoint is back; the panel's Try again (retry()) signs the waiting widget in, and the panel goes.
    await setFault(page, 'failing', false);
    await page.locator('#widget [part="retry"]').click();
    await waitFor('the widget signed in again', widget, (s) => signedInAs('grace@example.com')(s) && s.doc !== before.doc);
    await waitFor('status authenticated', () => page.getAttribute('#widget', 'status'), (s) => s === 'authenticated');
    assert.equal(await panel.isVisible(), false);
    assert.deepEqual(problems, []);
  });

  test('the CDN and Vue pages sign in too, and Vue re-themes the widget', { timeout: 20_000 }, async () => {
    problems.length = 0;
    const { hostUrl, widgetOrigin } = steadyDemo;
    const page = await newPage();
    const widget = () => widgetState(page, widgetOrigin, 'demo-store-1');

    await signIn(page, hostUrl, 'grace@example.com', '/cdn.html');
    await waitFor('the CDN page widget to sign in', widget, signedInAs('grace@example.com'));

    await page.goto(`${hostUrl}/vue.html`);
    await waitFor('the Vue page widget to sign in', widget, signedInAs('grace@example.com'));
    await waitFor('the Vue handler to log rai-auth-success', () => eventLog(page), (log) =>
      hasEvent(log, 'rai-auth-success'),
    );
    await page.click('#theme-toggle');
    await waitFor('a dark, signed-in widget', widget, (s) => signedInAs('grace@example.com')(s) && s.theme === 'dark');
    assert.deepEqual(problems, []);
  });
});
