// `npm run bench`: size, token latency, cold start, refresh-ahead, requests per page and steady state of
// <returning-ai-widget>, each measured in the same run against a reference (Lit's floor, the vendor's
// Step 2 snippet, or the page's own baseline). Prints a table and writes bench/results/latest.json.
//
// Options: --no-build (never run `npm run build`), --build (always run it), --quick (fewer trials),
// --only=size,latency,cold,expiry,requests,steady (a subset), --strict (exit 1 when a verdict is FAIL).
// Everything runs on loopback: the host site on http://localhost:PORT, the fake widget on http://127.0.0.1:PORT2.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../test/support/find-chrome.mjs';
import { CDN_MODULE, FLOOR_ENTRY, LIB_ENTRY, bundleSizes, gzipBytes, litExternal, readBudget } from './size.mjs';
import { mintToken, startServers } from './servers.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = new Set(process.argv.slice(2));
const QUICK = argv.has('--quick');
const ONLY = new Set([...argv].filter((a) => a.startsWith('--only=')).flatMap((a) => a.slice(7).split(',')));
const wanted = (figure) => !ONLY.size || ONLY.has(figure);

// The knobs, all in one place (and recorded in the JSON).
const CONFIG = {
  delayMs: 300, // D: the auth endpoint's (and, for cold start, the widget page's) delay
  latencyTrials: QUICK ? 50 : 150, // per implementation, interleaved in blocks
  latencyBlock: 10,
  latencyWarmup: 10,
  coldTrials: QUICK ? 4 : 8, // per implementation, alternating
  // Refresh-ahead fires at 3/4 of the lifetime: 6 s tokens leave it 1.5 s, enough for a fetch delayed by D on a busy machine.
  expiry: { ttlMs: 6000, cycles: 2, pagesPerMode: QUICK ? 2 : 4 },
  widgetsPerPage: [1, 10, 50],
  // Rounds of 1,000 mount/unmount cycles: removed after the token was delivered, after render (widget still loading),
  // or mid-request. V8 keeps optimising for the first few hundred, so the heap verdict is on the second round.
  steady: {
    cycles: { delivered: 150, rendered: 750, midRequest: 100 },
    warmup: { delivered: 20, rendered: 60, midRequest: 20 },
    midRequestMs: 30,
    batch: 10,
  },
};
const D = CONFIG.delayMs;

const started = performance.now();
const log = (message) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(1)} s] ${message}`);
let runSerial = 0;
const runId = (name) => `${name}-${++runSerial}-${Date.now().toString(36)}`;

// ---------------------------------------------------------------------------------------------------------------
// Statistics and formatting

const sorted = (xs) => [...xs].sort((a, b) => a - b);
/** Nearest-rank percentile. */
const pct = (xs, p) => {
  const s = sorted(xs);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
};
const summary = (xs) => ({
  n: xs.length,
  median: pct(xs, 50),
  p95: pct(xs, 95),
  min: xs.length ? Math.min(...xs) : NaN,
  max: xs.length ? Math.max(...xs) : NaN,
});
const countBy = (xs, key) => xs.reduce((acc, x) => ({ ...acc, [key(x)]: (acc[key(x)] ?? 0) + 1 }), {});
const ms = (x) => (Number.isFinite(x) ? (x < 10 ? `${x.toFixed(2)} ms` : `${Math.round(x)} ms`) : 'n/a');
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

// ---------------------------------------------------------------------------------------------------------------
// Build

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  if (argv.has('--no-build')) {
    if (!existsSync(CDN_MODULE)) throw new Error('dist/cdn/returning-ai-widget.js is missing (and --no-build was given).');
    return 'skipped (--no-build)';
  }
  const stale =
    !existsSync(CDN_MODULE) ||
    !existsSync(LIB_ENTRY) ||
    newestMtime(join(ROOT, 'src')) > statSync(CDN_MODULE).mtimeMs ||
    statSync(join(ROOT, 'rollup.config.mjs')).mtimeMs > statSync(CDN_MODULE).mtimeMs;
  if (!stale && !argv.has('--build')) return 'up to date';
  log('running `npm run build` (dist/ missing or older than src/)…');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return 'rebuilt';
}

// ---------------------------------------------------------------------------------------------------------------
// Figure 1: size

async function measureSizes(cdnModule) {
  const budget = readBudget();
  const cdn = { raw: cdnModule.length, gzip: gzipBytes(cdnModule) };
  const floor = await bundleSizes(FLOOR_ENTRY);
  const lib = await bundleSizes(LIB_ENTRY, { external: litExternal });
  return {
    cdn,
    floor,
    aboveFloorGzip: cdn.gzip - floor.gzip,
    libLitExternal: lib,
    targetGzip: budget.cdnGzipTargetBytes ?? 7680,
    budgetGzip: budget.cdnGzipBytes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Browser helpers

const pageErrors = [];

async function openPage(browser, servers, cfg) {
  const context = await browser.newContext();
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${cfg.impl}: ${error.message}`));
  await page.goto(servers.pageUrl(cfg));
  return { context, page };
}

const authUrl = (run, { delay = 0, kind = 'jwt', ttl = 3_600_000 } = {}) => `/auth?run=${run}&delay=${delay}&kind=${kind}&ttl=${ttl}`;
const widgetBase = (servers, ...segments) => `${servers.widgetOrigin}/${segments.join('/')}`;
const LONG_LIVED = () => mintToken('jwt', 3_600_000, 0);

// ---------------------------------------------------------------------------------------------------------------
// Figure 2: token latency with a valid stored token (request → reply, in the widget frame)

async function tokenLatency(browser, servers) {
  const impls = ['ours', 'vendor'];
  const pages = {};
  const runs = {};
  try {
    for (const impl of impls) {
      runs[impl] = runId(`latency-${impl}`);
      const cfg = { impl, ids: ['latency'], auth: authUrl(runs[impl]), widgetBase: widgetBase(servers, 'delay-0', 'mode-once'), seed: LONG_LIVED() };
      pages[impl] = await openPage(browser, servers, cfg);
      await pages[impl].page.evaluate((warmup) => window.__bench.latencyTrials(0, warmup), CONFIG.latencyWarmup);
    }
    // Blocks of reloads, alternating between the two pages, so that a change in machine load hits both alike.
    const samples = { ours: [], vendor: [] };
    for (let done = 0; done < CONFIG.latencyTrials; done += CONFIG.latencyBlock) {
      for (const impl of impls) {
        samples[impl].push(...(await pages[impl].page.evaluate((n) => window.__bench.latencyTrials(n, 0), CONFIG.latencyBlock)));
      }
    }
    await sleep(100); // the widgets report surplus replies (none expected) 50 ms after the last one
    const extra = {};
    for (const impl of impls) extra[impl] = await pages[impl].page.evaluate(() => window.__bench.extraReplies());
    return Object.fromEntries(
      impls.map((impl) => [
        impl,
        {
          ...summary(samples[impl].map((s) => s.latency)),
          statuses: countBy(samples[impl], (s) => s.status),
          extraReplies: extra[impl].extra,
          authRequests: servers.stats(runs[impl]).requests,
        },
      ]),
    );
  } finally {
    for (const { context } of Object.values(pages)) await context.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Figure 3: cold start (navigation → first token in the widget), auth endpoint and widget page both delayed by D

async function coldStartTrial(browser, servers, impl) {
  const run = runId(`cold-${impl}`);
  const cfg = { impl, ids: ['cold'], auth: authUrl(run, { delay: D }), widgetBase: widgetBase(servers, `delay-${D}`, 'mode-once') };
  const { context, page } = await openPage(browser, servers, cfg);
  try {
    const first = await page.evaluate(() => window.__bench.waitFor(() => window.__bench.replies()[0], 15000, 'the first reply'));
    const { origin, loaded } = await page.evaluate(() => ({
      origin: performance.timeOrigin,
      loaded: window.__bench.reports.find((r) => r.event === 'loaded'),
    }));
    return {
      firstReplyMs: first.at - origin,
      status: first.status,
      widgetLoadedMs: loaded ? loaded.at - origin : NaN,
      authRequests: servers.stats(run).requests,
    };
  } finally {
    await context.close();
  }
}

function coldSummary(trials) {
  const valid = trials.filter((t) => t.status === 'valid');
  return {
    trials: trials.length,
    firstValidToken: summary(valid.map((t) => t.firstReplyMs)),
    // How long after the widget page itself arrived its token did: ≈ 0 when the fetch overlapped the page load,
    // ≈ D when it only started once the widget asked. Robust to a loaded machine, unlike the absolute figure.
    tokenAfterWidgetLoaded: summary(valid.map((t) => t.firstReplyMs - t.widgetLoadedMs)),
    firstReply: summary(trials.map((t) => t.firstReplyMs)),
    widgetLoaded: summary(trials.map((t) => t.widgetLoadedMs)),
    firstReplyStatuses: countBy(trials, (t) => t.status),
    authRequests: countBy(trials, (t) => t.authRequests),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Figure 4: the widget's expiry request, with refresh-ahead (JWT) and without (opaque tokens), auth delayed by D

/** Opens one expiry page; the returned function waits for its expiry requests, then closes it. */
async function expiryPage(browser, servers, { impl, kind, widgetDelay = 0, cycles }) {
  const run = runId(`expiry-${impl}-${kind}`);
  const cfg = {
    impl,
    ids: ['expiry'],
    auth: authUrl(run, { delay: D, kind, ttl: CONFIG.expiry.ttlMs }),
    widgetBase: widgetBase(servers, `delay-${widgetDelay}`, 'mode-expiry', `cycles-${cycles}`),
  };
  const { context, page } = await openPage(browser, servers, cfg);
  return async () => {
    try {
      // Every expiry request's first reply, unless the widget stops asking (no token, or not its own).
      const deadline = (cycles + 1) * (CONFIG.expiry.ttlMs + 1000) + 2 * D + 2000;
      await page.evaluate(
        ([cycles, deadline]) =>
          window.__bench
            .waitFor(() => {
              const firsts = window.__bench.replies().filter((r) => r.nth === 1);
              const last = firsts[firsts.length - 1];
              return firsts.filter((r) => r.reason === 'expiry').length >= cycles || (last && (last.status === 'null' || last.status === 'wrong-id'));
            }, deadline, 'the expiry requests')
            .catch(() => false),
        [cycles, deadline],
      );
      const replies = await page.evaluate(() => window.__bench.replies());
      const firsts = replies.filter((r) => r.nth === 1);
      const stats = servers.stats(run, { log: true });
      return {
        replies,
        load: firsts.find((r) => r.reason === 'load'),
        expiry: firsts.filter((r) => r.reason === 'expiry'),
        authRequests: stats.requests,
        authLog: stats.log,
      };
    } finally {
      await context.close();
    }
  };
}

function expirySummary(pages) {
  const expiry = pages.flatMap((p) => p.expiry);
  return {
    pages: pages.length,
    samples: expiry.length,
    latency: summary(expiry.map((r) => r.latency)),
    statuses: countBy(expiry, (r) => r.status),
    firstLoadStatuses: countBy(pages, (p) => p.load?.status ?? 'none'),
    authRequestsPerPage: pages.map((p) => p.authRequests),
    // Up to the widget's last expiry request: 1 + one per expiry either way (later ones are the next refresh-ahead).
    authRequestsByLastExpiry: pages.map((p) => {
      const last = p.expiry.at(-1);
      return last ? p.authLog.filter((e) => e.receivedAt <= last.at).length : p.authRequests;
    }),
    raw: pages.map((p) => ({
      authRequests: p.authRequests,
      authLog: p.authLog,
      replies: p.replies.map((r) => ({ reason: r.reason, nth: r.nth, latency: r.latency, status: r.status, token: r.token, at: r.at })),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Figure 5: N widgets sharing one auth endpoint → auth requests made

async function requestsPerPage(browser, servers, impl, n) {
  const run = runId(`requests-${impl}-${n}`);
  const ids = Array.from({ length: n }, (_, i) => `w${i + 1}`);
  const cfg = { impl, ids, auth: authUrl(run, { delay: D }), widgetBase: widgetBase(servers, `delay-${D}`, 'mode-once') };
  const t0 = performance.now();
  const { context, page } = await openPage(browser, servers, cfg);
  try {
    await page.evaluate(
      (n) => window.__bench.waitFor(() => new Set(window.__bench.replies().map((r) => r.widgetId)).size >= n, 20000, `${n} widgets' replies`),
      n,
    );
    await sleep(D + 200); // late requests and surplus replies
    const replies = await page.evaluate(() => window.__bench.replies());
    const extra = await page.evaluate(() => window.__bench.extraReplies());
    const firsts = replies.filter((r) => r.nth === 1);
    const all = { ...extra.statuses };
    for (const r of replies) all[r.status] = (all[r.status] ?? 0) + 1;
    return {
      widgets: n,
      ms: Math.round(performance.now() - t0),
      authRequests: servers.stats(run).requests,
      // Widgets that got a valid token with their own id in some reply (the first, or a later one).
      widgetsValid: new Set([...firsts.filter((r) => r.status === 'valid').map((r) => r.widgetId), ...extra.validWidgets]).size,
      replies: replies.length + extra.extra,
      maxRepliesPerRequest: extra.maxReplies,
      firstReplyStatuses: countBy(firsts, (r) => r.status),
      allReplyStatuses: all,
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Figure 6: steady state over mount/unmount cycles

async function probe(page, cdp) {
  for (let i = 0; i < 3; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await sleep(50);
  }
  const heap = await cdp.send('Runtime.getHeapUsage');
  const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
  const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
  await cdp.send('Runtime.releaseObject', { objectId: result.objectId });
  const dom = await cdp.send('Memory.getDOMCounters');
  const page_ = await page.evaluate(() => window.__bench.snapshot());
  return {
    heapUsedBytes: heap.usedSize,
    windowListeners: listeners.length,
    windowListenersByType: countBy(listeners, (l) => l.type),
    documents: dom.documents,
    nodes: dom.nodes,
    jsEventListeners: dom.jsEventListeners,
    ...page_,
  };
}

async function steadyState(browser, servers) {
  const run = runId('steady');
  const slowRun = runId('steady-mid-request');
  const base = widgetBase(servers, 'delay-0', 'mode-once');
  const cfg = { impl: 'ours', ids: [], auth: authUrl(run), widgetBase: base, seed: LONG_LIVED(), instrument: true, keeper: true };
  const stored = { 'base-url': base, 'auth-endpoint': authUrl(run) };
  // Memory storage that never gets a token, and an endpoint slower than the element lives: removed mid-request.
  // (3 s: an element that failed to abort would still have its fetch in flight at the probe, 1.2 s after the round.)
  const slow = { 'base-url': base, 'auth-endpoint': authUrl(slowRun, { delay: 3000 }), storage: 'memory', 'storage-key': 'bench-mid-request' };
  const s = CONFIG.steady;
  const { context, page } = await openPage(browser, servers, cfg);
  try {
    const cdp = await context.newCDPSession(page);
    await page.evaluate(() => customElements.whenDefined('returning-ai-widget'));
    const cycles = (total, until, attrs) => page.evaluate((args) => window.__bench.mountCycles(args), { total, batch: s.batch, until, attrs });
    const phaseMs = {};
    const timed = async (name, run) => {
      const t = performance.now();
      const result = await run();
      phaseMs[name] = Math.round(performance.now() - t);
      return result;
    };
    const round = async (counts) => {
      const a = await timed('delivered', () => cycles(counts.delivered, 'delivered', stored));
      const b = await timed('rendered', () => cycles(counts.rendered, 'rendered', stored));
      await timed('midRequest', () => cycles(counts.midRequest, s.midRequestMs, slow));
      return a.timeouts + b.timeouts;
    };

    const pristine = await probe(page, cdp); // module loaded, nothing mounted yet
    // A positive control: with 10 widgets holding tokens, the probe must see their listeners and refresh timers.
    await page.evaluate((args) => window.__bench.mountCycles(args), { total: 10, batch: 10, until: 'delivered', attrs: stored, keep: true });
    const mounted10 = await probe(page, cdp);
    await page.evaluate(() => window.__bench.unmountAll());
    await round(s.warmup);
    await sleep(1200);
    const baseline = await probe(page, cdp);
    const t0 = performance.now();
    let timeouts = await round(s.cycles);
    const cyclesMs = performance.now() - t0;
    await sleep(1200); // requests removed mid-flight settle on both sides
    const first = await probe(page, cdp);
    timeouts += await round(s.cycles);
    await sleep(1200);
    const after = await probe(page, cdp);
    return {
      pristine,
      mounted10,
      baseline,
      first, // after the first round
      after, // after the second round
      cycles: s.cycles.delivered + s.cycles.rendered + s.cycles.midRequest,
      warmupCycles: s.warmup.delivered + s.warmup.rendered + s.warmup.midRequest,
      cyclesMs,
      phaseMs,
      waitTimeouts: timeouts,
      midRequestEndpoint: servers.stats(slowRun), // requests started by elements removed mid-request; aborted = seen closed
      authRequestsWithStoredToken: servers.stats(run).requests,
      heapGrowthFirstRoundBytes: first.heapUsedBytes - baseline.heapUsedBytes,
      heapGrowthBytes: after.heapUsedBytes - first.heapUsedBytes, // the second round: the steady state
      heapGrowthVsPristineBytes: after.heapUsedBytes - pristine.heapUsedBytes,
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The table

const pass = (ok) => (ok ? 'PASS' : 'FAIL');
const statusList = (counts, n) =>
  Object.entries(counts)
    .map(([status, count]) => `${status} ${count}/${n}`)
    .join(', ');

function buildRows(r) {
  const rows = [];
  const add = (figure, ours, reference, target, verdict) => rows.push({ figure, ours, reference, target, verdict });

  if (r.size) {
    const s = r.size;
    add(
      '1. Size: CDN module, min + gzip -9',
      `${s.cdn.gzip} B (${kb(s.cdn.gzip)})`,
      `empty LitElement ${s.floor.gzip} B (${kb(s.floor.gzip)}); +${s.aboveFloorGzip} B`,
      `≤ ${kb(s.targetGzip)}; CI fails > ${kb(s.budgetGzip)}`,
      s.cdn.gzip <= s.targetGzip ? 'PASS' : s.cdn.gzip <= s.budgetGzip ? 'OVER TARGET' : 'FAIL (budget)',
    );
    add('1. Size: library, Lit external', `${s.libLitExternal.gzip} B (${kb(s.libLitExternal.gzip)})`, `${s.libLitExternal.raw} B minified`, '—', 'info');
  }

  if (r.latency) {
    const { ours: o, vendor: v } = r.latency;
    add(
      `2. Token latency, stored token (n=${o.n})`,
      `med ${ms(o.median)}, p95 ${ms(o.p95)}; ${o.authRequests} fetches`,
      `vendor: med ${ms(v.median)}, p95 ${ms(v.p95)}`,
      '1 message hop, no fetch',
      pass(o.authRequests === 0 && o.statuses.valid === o.n && o.extraReplies === 0 && o.median <= v.median + 2),
    );
  }

  if (r.coldStart) {
    const { ours: o, vendor: v } = r.coldStart;
    const vValid = v.firstReplyStatuses.valid ?? 0;
    add(
      `3. Cold start → valid token, D=${D} ms (n=${o.trials})`,
      `med ${ms(o.firstValidToken.median)} (page alone ${ms(o.widgetLoaded.median)}); +${ms(o.tokenAfterWidgetLoaded.median)}`,
      `vendor: ${vValid}/${v.trials} valid${vValid ? ` (med ${ms(v.firstValidToken.median)})` : ''}, ${v.firstReplyStatuses.null ?? 0}/${v.trials} null`,
      `+0, not +D, after the page`,
      pass((o.firstReplyStatuses.valid ?? 0) === o.trials && o.tokenAfterWidgetLoaded.median <= D / 2),
    );
  }

  if (r.refreshAhead) {
    const { jwt: j, opaque: q, vendor: v } = r.refreshAhead;
    add(
      `4. Expiry request, D=${D} ms (n=${j.samples}+${q.samples})`,
      `refresh-ahead (JWT): med ${ms(j.latency.median)}, p95 ${ms(j.latency.p95)}`,
      `without (opaque): med ${ms(q.latency.median)}, p95 ${ms(q.latency.p95)}`,
      '≪ D with refresh-ahead',
      pass(j.samples > 0 && (j.statuses.valid ?? 0) === j.samples && j.latency.median < D / 10),
    );
    add(
      '4. Expiry request: vendor snippet',
      '—',
      v.samples ? `vendor: ${ms(v.latency.median)}, ${statusList(v.statuses, v.samples)}` : 'vendor: never reached expiry',
      'a fresh token',
      'info',
    );
  }

  if (r.requestsPerPage) {
    for (const n of CONFIG.widgetsPerPage) {
      const o = r.requestsPerPage.ours[n];
      const v = r.requestsPerPage.vendor[n];
      const one = r.requestsPerPage.vendorShared[n];
      const valid = o.firstReplyStatuses.valid ?? 0;
      add(
        `5. Auth requests, ${n} widget${n > 1 ? 's' : ''}`,
        `${o.authRequests} (${o.widgetsValid}/${n} widgets valid)`,
        `vendor: ${v.authRequests} (${v.widgetsValid}/${n} valid` +
          (n > 1 ? `, ${v.maxRepliesPerRequest} replies per request); 1 copy: ${one.authRequests} (${one.widgetsValid}/${n} valid)` : ')'),
        '1',
        pass(o.authRequests === 1 && valid === n && o.widgetsValid === n && o.maxRepliesPerRequest === 1),
      );
    }
  }

  if (r.steadyState) {
    const st = r.steadyState;
    const { pristine: p, first: f, after: a } = st;
    const kbDelta = (bytes) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024).toFixed(1)} KB`;
    add(
      `6. Window listeners after 2×${st.cycles} cycles`,
      `${f.windowListeners}, then ${a.windowListeners}`,
      `before any mount: ${p.windowListeners}; 10 mounted: ${st.mounted10.windowListeners}`,
      '= baseline',
      pass(a.windowListeners === p.windowListeners && f.windowListeners === p.windowListeners),
    );
    add(
      '6. Live timers, intervals, fetches',
      `${a.timeouts}, ${a.intervals}, ${a.fetchesInFlight}`,
      `before any mount: ${p.timeouts}, ${p.intervals}, ${p.fetchesInFlight}; 10 mounted: ${st.mounted10.timeouts} timers`,
      '= baseline',
      pass(
        [f, a].every((x) => x.timeouts === p.timeouts && x.intervals === p.intervals && x.fetchesInFlight === p.fetchesInFlight),
      ),
    );
    add(
      '6. JS heap after forced GC, per round',
      `1st ${kbDelta(st.heapGrowthFirstRoundBytes)}, 2nd ${kbDelta(st.heapGrowthBytes)}`,
      `after warm-up: ${(st.baseline.heapUsedBytes / 1024).toFixed(0)} KB`,
      '2nd round < +50 KB',
      pass(st.heapGrowthBytes < 50 * 1024),
    );
    add(
      '6. Elements collected; DOM nodes',
      `${a.elementsMounted - a.elementsAlive}/${a.elementsMounted}; ${a.nodes} nodes`,
      `after warm-up: ${st.baseline.nodes} nodes`,
      'all; = baseline',
      pass(a.elementsAlive === 0 && a.nodes <= st.baseline.nodes),
    );
  }
  return rows;
}

function formatTable(rows) {
  const cols = [
    ['figure', 'Figure'],
    ['ours', '<returning-ai-widget>'],
    ['reference', 'Reference / baseline (same run)'],
    ['target', 'Target'],
    ['verdict', 'Verdict'],
  ];
  const width = cols.map(([key, title]) => Math.max(title.length, ...rows.map((row) => String(row[key]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(width[i])).join(' | ')} |`;
  return [line(cols.map(([, title]) => title)), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((row) => line(cols.map(([key]) => row[key])))].join('\n');
}

function notes(r) {
  const out = [];
  if (r.size) {
    out.push(
      `Size: the shipped dist/cdn/returning-ai-widget.js (build: ${r.build}); the floor is an empty LitElement ` +
        `(bench/fixtures/empty-lit-element.js) bundled with the CDN bundle's rollup plugins (from ${r.size.floor.plugins}). 1 KB = 1024 B.`,
    );
  }
  if (r.latency) {
    out.push(
      `Latency: measured in the widget frame, request → reply, over iframe reloads (${CONFIG.latencyWarmup} warm-ups, then blocks of ` +
        `${CONFIG.latencyBlock} alternating between the two pages). Vendor fetches during the run: ${r.latency.vendor.authRequests} (its page-load fetch).`,
    );
  }
  if (r.coldStart) {
    const { ours: o, vendor: v } = r.coldStart;
    out.push(
      `Cold start: navigation start → first reply in the widget, fresh browser context each trial. The widget page itself ` +
        `arrived at med ${ms(o.widgetLoaded.median)} (ours) / ${ms(v.widgetLoaded.median)} (vendor). Vendor first replies: ` +
        `${statusList(v.firstReplyStatuses, v.trials)} at med ${ms(v.firstReply.median)}; the bench widget asks once per load, so a null answer leaves it signed out.`,
    );
  }
  if (r.refreshAhead) {
    const { jwt: j, opaque: q } = r.refreshAhead;
    out.push(
      `Refresh-ahead: ${CONFIG.expiry.ttlMs / 1000} s tokens, the widget asks again when its token expires; ${j.pages}+${q.pages} pages × ` +
        `${CONFIG.expiry.cycles} expiries. Auth requests per page by the last expiry: JWT ${JSON.stringify(j.authRequestsByLastExpiry)}, ` +
        `opaque ${JSON.stringify(q.authRequestsByLastExpiry)} (refresh-ahead costs no extra request). ` +
        `Expiry replies: JWT ${statusList(j.statuses, j.samples) || 'none'}; opaque ${statusList(q.statuses, q.samples) || 'none'}.`,
    );
  }
  if (r.requestsPerPage) {
    const big = CONFIG.widgetsPerPage.at(-1);
    out.push(
      `Requests per page: auth and widget page both delayed by D. "vendor" pastes the snippet once per widget (it hard-codes one ` +
        `widget id), so every copy answers every widget; "1 copy" answers every widget with the first widget's id. "valid": the widget ` +
        `got a non-null token with its own id in some reply. Vendor first replies at ${big}: ` +
        `${statusList(r.requestsPerPage.vendor[big].firstReplyStatuses, big)}; all replies: ${statusList(r.requestsPerPage.vendor[big].allReplyStatuses, r.requestsPerPage.vendor[big].replies)}.`,
    );
  }
  if (r.steadyState) {
    const st = r.steadyState;
    const s = CONFIG.steady;
    out.push(
      `Steady state: 2 rounds of ${st.cycles} cycles in batches of ${s.batch} (${s.cycles.delivered} removed after their token was delivered, ` +
        `${s.cycles.rendered} after render (lazy, hidden: no iframe load), ${s.cycles.midRequest} ${s.midRequestMs} ms into a 3 s auth request; a round took ${ms(st.cyclesMs)}), ` +
        `after ${st.warmupCycles} warm-up cycles of the same kinds; ` +
        `mid-request endpoint ${JSON.stringify(st.midRequestEndpoint)}; fetches with a stored token: ${st.authRequestsWithStoredToken}; ` +
        `heap vs. before any mount ${(st.heapGrowthVsPristineBytes / 1024).toFixed(1)} KB; documents ${st.after.documents}, ` +
        `JS listeners ${st.after.jsEventListeners} (before ${st.pristine.jsEventListeners}).`,
    );
  }
  if (r.pageErrors?.length) out.push(`Page errors: ${r.pageErrors.length}, e.g. ${r.pageErrors.slice(0, 3).join(' | ')}`);
  out.push(
    `Machine load average ${r.loadAverage.start.map((x) => x.toFixed(1)).join(' ')} at start, ${r.loadAverage.end.map((x) => x.toFixed(1)).join(' ')} at end ` +
      `(${cpus().length} CPUs): timings are only comparable within a run. Took ${(r.durationMs / 1000).toFixed(1)} s. JSON: bench/results/latest.json`,
  );
  return out.map((line) => `- ${line}`).join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const loadStart = loadavg();
  const build = ensureBuilt();
  // One snapshot of the bundle for the whole run: a rebuild meanwhile changes nothing here.
  const cdnModule = readFileSync(CDN_MODULE);
  const executablePath = findChrome();
  const results = { date: new Date().toISOString(), node: process.version, build, config: CONFIG };
  if (wanted('size')) {
    log('sizes…');
    results.size = await measureSizes(cdnModule);
  }

  const servers = await startServers({ cdnModule });
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROME_ARGS });
  results.browser = `${executablePath} ${browser.version()}`;
  try {
    if (wanted('latency')) {
      log('token latency…');
      results.latency = await tokenLatency(browser, servers);
    }

    if (wanted('cold')) {
      log(`cold start (D = ${D} ms)…`);
      const cold = { ours: [], vendor: [] };
      for (let i = 0; i < CONFIG.coldTrials; i++) {
        for (const impl of ['ours', 'vendor']) cold[impl].push(await coldStartTrial(browser, servers, impl));
      }
      results.coldStart = { ours: coldSummary(cold.ours), vendor: coldSummary(cold.vendor), trials: cold };
    }

    if (wanted('expiry')) {
      log(`refresh-ahead (${CONFIG.expiry.ttlMs / 1000} s tokens, ${CONFIG.expiry.cycles} expiries per page)…`);
      const { pagesPerMode, cycles } = CONFIG.expiry;
      // Pages open one after another (each up to its load event, so a slow start does not eat a 4 s token), then
      // wait side by side. The vendor's widget page is slower than its fetch, so its first answer holds a token.
      const finish = { jwt: [], opaque: [] };
      for (let i = 0; i < pagesPerMode; i++) {
        for (const kind of ['jwt', 'opaque']) finish[kind].push(await expiryPage(browser, servers, { impl: 'ours', kind, cycles }));
      }
      const vendorFinish = await expiryPage(browser, servers, { impl: 'vendor', kind: 'jwt', cycles, widgetDelay: 2 * D });
      const [jwt, opaque, vendor] = await Promise.all([
        Promise.all(finish.jwt.map((f) => f())),
        Promise.all(finish.opaque.map((f) => f())),
        vendorFinish(),
      ]);
      results.refreshAhead = { jwt: expirySummary(jwt), opaque: expirySummary(opaque), vendor: expirySummary([vendor]) };
    }

    // These two count things rather than time them, so they share the machine.
    const counting = [];
    if (wanted('requests')) {
      counting.push(
        (async () => {
          log('requests per page…');
          const r = { ours: {}, vendor: {}, vendorShared: {} };
          for (const n of CONFIG.widgetsPerPage) {
            r.ours[n] = await requestsPerPage(browser, servers, 'ours', n);
            r.vendor[n] = await requestsPerPage(browser, servers, 'vendor', n);
            // With one widget, one copy of the snippet is the same page as above.
            if (n > 1) r.vendorShared[n] = await requestsPerPage(browser, servers, 'vendor-shared', n);
          }
          results.requestsPerPage = r;
        })(),
      );
    }
    if (wanted('steady')) {
      counting.push(
        (async () => {
          const s = CONFIG.steady;
          log(`steady state (2 × ${s.cycles.delivered + s.cycles.rendered + s.cycles.midRequest} mount/unmount cycles)…`);
          results.steadyState = await steadyState(browser, servers);
        })(),
      );
    }
    await Promise.all(counting);
  } finally {
    await browser.close();
    await servers.close();
  }

  results.pageErrors = pageErrors;
  results.loadAverage = { start: loadStart, end: loadavg() };
  results.durationMs = Math.round(performance.now() - started);
  results.table = buildRows(results);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);

  console.log(`\nreturning-ai-widget bench: ${results.date}, Chromium ${browser.version()} headless, Node ${results.node}, D = ${D} ms\n`);
  console.log(formatTable(results.table));
  console.log(`\n${notes(results)}`);
  if (argv.has('--strict') && results.table.some((row) => row.verdict.startsWith('FAIL'))) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
