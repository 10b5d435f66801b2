// The bench's knobs, all in one place (recorded in bench/results/latest.json as `config`).

/** quick: fewer trials, for iterating (`--quick`). */
export function benchConfig({ quick = false } = {}) {
  return {
    delayMs: 300, // D: the auth endpoint's (and, for cold start, the widget page's) delay
    latencyTrials: quick ? 50 : 150, // per implementation, interleaved in blocks
    latencyBlock: 10,
    latencyWarmup: 10,
    coldTrials: quick ? 4 : 12, // per kind of page (ours server-rendered, ours client-only, vendor), interleaved
    // Figure 3's verdicts: the server-rendered widget page may load up to 5% later than the snippet's; the client-only
    // token may be no further behind the snippet's than in the figure docs/performance.md gave before the SSR row.
    ssrStartTolerance: 1.05,
    coldBefore: { date: '2026-12-01', oursMs: 560, vendorMs: 512 },
    // Refresh-ahead fires at 3/4 of the lifetime: 6 s tokens leave it 1.5 s, enough for a fetch delayed by D on a busy machine.
    expiry: { ttlMs: 6000, cycles: 2, pagesPerMode: quick ? 2 : 4 },
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
}
