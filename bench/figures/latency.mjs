// Figure 2: token latency with a valid stored token, request → reply as the widget frame times it, ours against
// the vendor's snippet.
import { setTimeout as sleep } from 'node:timers/promises';
import { ms, pass, row } from '../lib/format.mjs';
import { authUrl, longLivedToken, runId, widgetBase } from '../lib/page-config.mjs';
import { countBy, summary } from '../lib/stats.mjs';

export const id = 'latency';
export const key = 'latency';
export const needsBrowser = true;

export async function measure({ config, log, servers, openPage }) {
  log('token latency…');
  const impls = ['ours', 'vendor'];
  const pages = {};
  const runs = {};
  try {
    for (const impl of impls) {
      runs[impl] = runId(`latency-${impl}`);
      const cfg = { impl, ids: ['latency'], auth: authUrl(runs[impl]), widgetBase: widgetBase(servers, 'delay-0', 'mode-once'), seed: longLivedToken() };
      pages[impl] = await openPage(cfg);
      await pages[impl].page.evaluate((warmup) => window.__bench.latencyTrials(0, warmup), config.latencyWarmup);
    }
    // Blocks of reloads, alternating between the two pages, so that a change in machine load hits both alike.
    const samples = { ours: [], vendor: [] };
    for (let done = 0; done < config.latencyTrials; done += config.latencyBlock) {
      for (const impl of impls) {
        samples[impl].push(...(await pages[impl].page.evaluate((n) => window.__bench.latencyTrials(n, 0), config.latencyBlock)));
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

export function rows({ ours: o, vendor: v }) {
  return [
    row(
      `2. Token latency, stored token (n=${o.n})`,
      `med ${ms(o.median)}, p95 ${ms(o.p95)}; ${o.authRequests} fetches`,
      `vendor: med ${ms(v.median)}, p95 ${ms(v.p95)}`,
      '1 message hop, no fetch',
      pass(o.authRequests === 0 && o.statuses.valid === o.n && o.extraReplies === 0 && o.median <= v.median + 2),
    ),
  ];
}

export function notes(r, { config }) {
  return [
    `Latency: measured in the widget frame, request → reply, over iframe reloads (${config.latencyWarmup} warm-ups, then blocks of ` +
      `${config.latencyBlock} alternating between the two pages). Vendor fetches during the run: ${r.vendor.authRequests} (its page-load fetch).`,
  ];
}
