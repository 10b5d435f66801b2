// The bench's knobs, all in one place (recorded in bench/results/latest.json as `config`).

/** quick: fewer trials, for iterating (`--quick`). */
export function benchConfig({ quick = false } = {}) {
  return {
    delayMs: 300, // D: the auth endpoint's (and, for cold start, the widget page's) delay
    latencyTrials: quick ? 50 : 150, // per implementation, interleaved in blocks
    latencyBlock: 10,
    latencyWarmup: 10,
    coldTrials: quick ? 4 : 8, // per implementation, alternating
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
