// Removed elements are garbage-collected, in Chromium, with the CDN build, on a page no service worker controls (a
// service worker between the page and the network holds requests differently). Ten widgets share one request,
// get their tokens, and are removed; after forced collections, a FinalizationRegistry must have seen all ten go.
// It caught a listener left on a signal that never fired, which kept the request, and every element that had
// waited on it, alive.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../support/find-chrome.mjs';
import { startFixtureServers } from '../support/fixture-server.mjs';

const CDN = new URL('../../dist/cdn/returning-ai-widget.js', import.meta.url);
const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
let fixtures;
let server;
let browser;
let calls = 0;

before(async () => {
  fixtures = await startFixtureServers();
  server = createServer((request, response) => {
    if (request.url === '/cdn.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      return response.end(readFileSync(CDN));
    }
    if (request.url === '/auth' && request.method === 'POST') {
      calls++;
      const now = Math.floor(Date.now() / 1000);
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(JSON.stringify({ token: `${part({ alg: 'none' })}.${part({ iat: now, exp: now + 3600 })}.x` }));
    }
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><body><script type="module" src="/cdn.js"></script></body>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, timeout: 15_000 });
});

after(async () => {
  await Promise.allSettled([browser?.close(), new Promise((resolve) => server?.close(resolve)), fixtures?.close()]);
});

test('removed elements are garbage-collected after their widgets were signed in by a shared request', { timeout: 30_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`http://localhost:${server.address().port}/`);
  await page.waitForFunction(() => customElements.get('returning-ai-widget'));
  await page.evaluate(async (origin) => {
    window.collected = 0;
    // Kept on window: a registry that is itself collected never reports.
    window.registry = new FinalizationRegistry(() => window.collected++);
    const elements = [];
    for (let i = 0; i < 10; i++) {
      const el = document.createElement('returning-ai-widget');
      for (const [name, value] of Object.entries({ 'base-url': origin, 'widget-id': `w${i}`, 'auth-endpoint': '/auth', 'storage-key': 'memory-test' })) {
        el.setAttribute(name, value);
      }
      window.registry.register(el);
      document.body.append(el);
      elements.push(el);
    }
    let signedIn = 0;
    await new Promise((resolve) => elements.forEach((el) => el.addEventListener('rai-auth-success', () => ++signedIn === 10 && resolve(), { once: true })));
    for (const el of elements) el.remove();
    elements.length = 0; // what Playwright keeps of this function must not keep them
  }, fixtures.origins.WIDGET_ORIGIN);
  assert.equal(calls, 1, 'one request for the ten widgets');
  const cdp = await page.context().newCDPSession(page);
  // Finalizers run in tasks after a collection: collect until all ten have run, a bounded number of times.
  let collected = 0;
  for (let round = 0; round < 20 && collected < 10; round++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await sleep(100);
    collected = await page.evaluate(() => window.collected);
  }
  assert.equal(collected, 10);
});
