// Figure 6: steady state over 2 rounds of mount/unmount cycles: window listeners, live timers and fetches back to
// the page's baseline, no heap growth in the second round, every element collected.
import { setTimeout as sleep } from 'node:timers/promises';
import { kbDelta, ms, pass, row } from '../lib/format.mjs';
import { authUrl, longLivedToken, runId, widgetBase } from '../lib/page-config.mjs';
import { countBy } from '../lib/stats.mjs';

export const id = 'steady';
export const key = 'steadyState';
export const needsBrowser = true;
// It counts rather than times, so it may share the machine with the other concurrent figures.
export const concurrent = true;

const cyclesIn = (counts) => counts.delivered + counts.rendered + counts.midRequest;

/** Forced GC, then the heap, the window's listeners, DOM counters and the harness's live timers and fetches. */
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

export async function measure({ config, log, servers, openPage }) {
  const s = config.steady;
  log(`steady state (2 × ${cyclesIn(s.cycles)} mount/unmount cycles)…`);
  const run = runId('steady');
  const slowRun = runId('steady-mid-request');
  const base = widgetBase(servers, 'delay-0', 'mode-once');
  const cfg = { impl: 'ours', ids: [], auth: authUrl(run), widgetBase: base, seed: longLivedToken(), instrument: true, keeper: true };
  const stored = { 'base-url': base, 'auth-endpoint': authUrl(run) };
  // Memory storage that never gets a token, and an endpoint slower than the element lives: removed mid-request.
  // (3 s: an element that failed to abort would still have its fetch in flight at the probe, 1.2 s after the round.)
  const slow = { 'base-url': base, 'auth-endpoint': authUrl(slowRun, { delay: 3000 }), storage: 'memory', 'storage-key': 'bench-mid-request' };
  const { context, page } = await openPage(cfg);
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
    // They share one storage slot (same endpoint, storage and key), so one refresh-ahead timer could serve them all.
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
      // Live timers set 10 min or more ahead (the tokens live 1 h), with the 10 widgets on one slot mounted.
      refreshAheadTimers: { widgets: 10, slots: 1, timers: mounted10.longTimeouts - pristine.longTimeouts },
      cycles: cyclesIn(s.cycles),
      warmupCycles: cyclesIn(s.warmup),
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

export function rows(st) {
  const { pristine: p, first: f, after: a } = st;
  return [
    // The page's one token owner listens for other tabs' storage changes from the first mount on: one listener for the
    // page, not per element. So the baseline is the page after the warm-up round, owner and all.
    row(
      `6. Window listeners after 2×${st.cycles} cycles`,
      `${f.windowListeners}, then ${a.windowListeners}`,
      `after warm-up: ${st.baseline.windowListeners} (before any mount: ${p.windowListeners}; 10 mounted: ${st.mounted10.windowListeners})`,
      '= baseline',
      pass(a.windowListeners === st.baseline.windowListeners && f.windowListeners === st.baseline.windowListeners),
    ),
    row(
      '6. Live timers, intervals, fetches',
      `${a.timeouts}, ${a.intervals}, ${a.fetchesInFlight}`,
      `before any mount: ${p.timeouts}, ${p.intervals}, ${p.fetchesInFlight}; 10 mounted: ${st.mounted10.timeouts} timers`,
      '= baseline',
      pass([f, a].every((x) => x.timeouts === p.timeouts && x.intervals === p.intervals && x.fetchesInFlight === p.fetchesInFlight)),
    ),
    row(
      '6. Refresh-ahead timers, 10 widgets on 1 slot',
      `${st.refreshAheadTimers.timers}`,
      `live timers in all: ${st.mounted10.timeouts}; before any mount: ${p.timeouts}`,
      '1 per slot',
      st.refreshAheadTimers.timers <= 1 ? 'PASS' : 'OVER TARGET',
    ),
    row(
      '6. JS heap after forced GC, per round',
      `1st ${kbDelta(st.heapGrowthFirstRoundBytes)}, 2nd ${kbDelta(st.heapGrowthBytes)}`,
      `after warm-up: ${(st.baseline.heapUsedBytes / 1024).toFixed(0)} KB`,
      '2nd round < +50 KB',
      pass(st.heapGrowthBytes < 50 * 1024),
    ),
    row(
      '6. Elements collected; DOM nodes',
      `${a.elementsMounted - a.elementsAlive}/${a.elementsMounted}; ${a.nodes} nodes`,
      `after warm-up: ${st.baseline.nodes} nodes`,
      'all; = baseline',
      pass(a.elementsAlive === 0 && a.nodes <= st.baseline.nodes),
    ),
  ];
}

export function notes(st, { config }) {
  const s = config.steady;
  return [
    `Steady state: 2 rounds of ${st.cycles} cycles in batches of ${s.batch} (${s.cycles.delivered} removed after their token was delivered, ` +
      `${s.cycles.rendered} after render (lazy, hidden: no iframe load), ${s.cycles.midRequest} ${s.midRequestMs} ms into a 3 s auth request; a round took ${ms(st.cyclesMs)}), ` +
      `after ${st.warmupCycles} warm-up cycles of the same kinds; ` +
      `mid-request endpoint ${JSON.stringify(st.midRequestEndpoint)}; fetches with a stored token: ${st.authRequestsWithStoredToken}; ` +
      `heap vs. before any mount ${(st.heapGrowthVsPristineBytes / 1024).toFixed(1)} KB; documents ${st.after.documents}, ` +
      `JS listeners ${st.after.jsEventListeners} (before ${st.pristine.jsEventListeners}).`,
    `Refresh-ahead timers: live timers set 10 min or more ahead while ${st.refreshAheadTimers.widgets} widgets sharing ` +
      `${st.refreshAheadTimers.slots} storage slot hold its 1 h token (no other timer is that long); one per slot would do.`,
  ];
}
