// One refresh per token lifetime across real Chromium tabs (each page its own renderer process, so a localStorage
// write reaches the others asynchronously). Every tab of the site shows a widget on one `local` slot; the widget asks
// for a token on load and again when its token expires, as Returning.AI's does. Tokens live LIFETIME_S seconds. The
// loopback auth endpoint counts, for each token it minted, the requests that replaced it: a request replaces the
// newest token due for refresh when it arrives (one at least half a lifetime old; nobody refreshes a token sooner).
// A second request for one token (two tabs refreshing at once) counts 2 in that token's round.
//
// Two cases run side by side, each in its own browser context: two tabs, and three tabs whose leader (the tab that
// refreshes) is closed at the end, so the lock passes on and the rounds go on from another tab.
// Needs `npm run build` first (dist/cdn).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../support/find-chrome.mjs';

const CDN = new URL('../../dist/cdn/returning-ai-widget.js', import.meta.url);
const LIFETIME_S = 2;
const ROUNDS = 30;
const AFTER_HANDOVER = 5; // rounds after the leader's tab closed
const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

// The widget's side: asks on load, and again once its token expires (a refreshed token pushed to it counts too).
const WIDGET = `<!doctype html><script>
  let timer;
  const ask = () => parent.postMessage({ type: 'RETURNINGAI_WIDGET_REQUEST_TOKEN' }, '*');
  addEventListener('message', (event) => {
    const { type, value } = event.data ?? {};
    if (event.source !== parent || (type !== 'RETURNINGAI_WIDGET_TOKEN' && type !== 'RETURNINGAI_WIDGET_REFRESH')) return;
    const exp = JSON.parse(atob(value.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp;
    clearTimeout(timer);
    timer = setTimeout(ask, exp * 1000 - Date.now());
  });
  ask();
</script>`;

/** The site's page: the CDN build and one widget on the case's endpoint and storage key. */
const page = (name, widgetOrigin) => `<!doctype html><body><script type="module">
  import '/cdn.js';
  const el = document.createElement('returning-ai-widget');
  const attributes = { 'base-url': '${widgetOrigin}', 'widget-id': 'w', 'auth-endpoint': '/auth/${name}', 'storage-key': 'key-${name}' };
  for (const [attribute, value] of Object.entries(attributes)) el.setAttribute(attribute, value);
  document.body.append(el);
</script></body>`;

/** A case's endpoint: what it minted, and every request (when, from which tab). */
const cases = new Map();

function mint(name, tab) {
  const state = cases.get(name);
  const now = Date.now();
  state.requests.push({ at: now, tab });
  // Claims in seconds, fractional: a lifetime of exactly LIFETIME_S from now.
  const token = `${part({ alg: 'none' })}.${part({ iat: now / 1000, exp: now / 1000 + LIFETIME_S, n: state.minted.length })}.x`;
  state.minted.push({ at: now, token });
  const waiting = [...state.waiters];
  state.waiters.clear();
  waiting.forEach((poll) => poll());
  return token;
}

/** Requests per round: round k counts the requests that replaced token k (see the top of the file). */
function rounds(name) {
  const { minted, requests } = cases.get(name);
  const counts = minted.map(() => 0);
  for (const { at } of requests.slice(1)) {
    const due = minted.findLastIndex((token) => token.at <= at - (LIFETIME_S * 1000) / 2);
    // Before the first token was due: a second request for it.
    counts[Math.max(due, 0)]++;
  }
  return counts;
}

let site;
let widgetHost;
let browser;

before(async () => {
  if (!existsSync(CDN)) throw new Error('run `npm run build` first: dist/cdn/returning-ai-widget.js is missing');
  widgetHost = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(WIDGET));
  await new Promise((resolve) => widgetHost.listen(0, '127.0.0.1', resolve));
  const widgetOrigin = `http://127.0.0.1:${widgetHost.address().port}`;
  site = createServer((request, response) => {
    const url = new URL(request.url, 'http://site');
    if (url.pathname === '/cdn.js') return response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(CDN));
    const [, kind, name] = url.pathname.split('/');
    if (kind === 'page') return response.writeHead(200, { 'content-type': 'text/html' }).end(page(name, widgetOrigin));
    if (kind === 'auth' && request.method === 'POST') {
      const tab = new URL(request.headers.referer).searchParams.get('tab');
      return response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ token: mint(name, tab) }));
    }
    response.writeHead(404).end();
  });
  await new Promise((resolve) => site.listen(0, 'localhost', resolve));
  browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS, timeout: 15_000 });
});

after(async () => {
  await Promise.allSettled([browser?.close(), new Promise((resolve) => site?.close(resolve)), new Promise((resolve) => widgetHost?.close(resolve))]);
});

/** Resolves once `check()` holds, checking after each token the case's endpoint mints; fails after `seconds`. */
function when(name, check, seconds) {
  const state = cases.get(name);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      state.waiters.clear();
      reject(new Error(`${name}: ${state.minted.length} tokens after ${seconds} s; rounds so far ${JSON.stringify(rounds(name))}`));
    }, seconds * 1000);
    const poll = () => (check() ? (clearTimeout(timer), resolve()) : state.waiters.add(poll));
    poll();
  });
}

/** Opens `tabs` pages of the site on the case's slot, the first alone (it makes the first request), and runs rounds. */
async function runCase(name, tabs, { closeLeader }) {
  const state = { minted: [], requests: [], waiters: new Set() };
  cases.set(name, state);
  const context = await browser.newContext();
  try {
    const origin = `http://localhost:${site.address().port}`;
    const pages = [];
    for (let i = 0; i < tabs; i++) {
      const tab = await context.newPage();
      await tab.goto(`${origin}/page/${name}?tab=${i}`);
      // The first tab's widget has its token (and the token is stored) before the others open.
      if (i === 0) await tab.waitForFunction((key) => localStorage.getItem(key), `key-${name}`, { polling: 50 });
      pages.push(tab);
    }
    // Each tab its own renderer process: Chromium gives a page opened without an opener one of its own.
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    await cdp.detach();
    assert.ok(processInfo.filter((process) => process.type === 'renderer').length >= tabs, `${tabs} renderer processes`);
    // A round takes three quarters of a lifetime; twice as long is more than enough on a busy machine.
    await when(name, () => state.minted.length > ROUNDS + 1, ROUNDS * LIFETIME_S * 1.5);
    const withAll = rounds(name).slice(0, ROUNDS);
    let afterHandover = [];
    if (closeLeader) {
      // Close the tab that made the last refresh once its token reached another tab, then run more rounds.
      const leader = Number(state.requests.at(-1).tab);
      const newest = state.minted.at(-1).token;
      const other = pages.find((_, i) => i !== leader);
      await other.waitForFunction(([key, token]) => localStorage.getItem(key)?.includes(token), [`key-${name}`, newest], { polling: 50 });
      await pages[leader].close();
      const from = state.minted.length - 1;
      await when(name, () => state.minted.length > from + AFTER_HANDOVER + 1, AFTER_HANDOVER * LIFETIME_S * 1.5 + 5);
      afterHandover = rounds(name).slice(from, from + AFTER_HANDOVER);
    }
    return { withAll, afterHandover, tabsOf: state.requests.map((request) => request.tab).join('') };
  } finally {
    await context.close();
  }
}

test(`${ROUNDS} rounds with two tabs and ${ROUNDS} with three: one request per token lifetime in every round`, { timeout: 150_000 }, async (t) => {
  const [two, three] = await Promise.all([runCase('two', 2, { closeLeader: false }), runCase('three', 3, { closeLeader: true })]);
  t.diagnostic(`two tabs, requests per round: ${JSON.stringify(two.withAll)}; requesting tabs: ${two.tabsOf}`);
  t.diagnostic(`three tabs: ${JSON.stringify(three.withAll)}; after the leader's tab closed: ${JSON.stringify(three.afterHandover)}; requesting tabs: ${three.tabsOf}`);
  const ones = (n) => Array(n).fill(1);
  assert.deepEqual(two.withAll, ones(ROUNDS), 'two tabs');
  assert.deepEqual(three.withAll, ones(ROUNDS), 'three tabs');
  assert.deepEqual(three.afterHandover, ones(AFTER_HANDOVER), 'after the leader’s tab closed');
});
