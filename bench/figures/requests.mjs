// Figure 5: N widgets sharing one auth endpoint → auth requests made, ours against the vendor's snippet pasted once
// per widget and once per page.
import { setTimeout as sleep } from 'node:timers/promises';
import { pass, row, statusList } from '../lib/format.mjs';
import { authUrl, runId, widgetBase } from '../lib/page-config.mjs';
import { countBy } from '../lib/stats.mjs';

export const id = 'requests';
export const key = 'requestsPerPage';
export const needsBrowser = true;
// It counts rather than times, so it may share the machine with the other concurrent figures.
export const concurrent = true;

async function requestsPerPage({ config, servers, openPage }, impl, n) {
  const D = config.delayMs;
  const run = runId(`requests-${impl}-${n}`);
  const ids = Array.from({ length: n }, (_, i) => `w${i + 1}`);
  const cfg = { impl, ids, auth: authUrl(run, { delay: D }), widgetBase: widgetBase(servers, `delay-${D}`, 'mode-once') };
  const t0 = performance.now();
  const { context, page } = await openPage(cfg);
  try {
    await page.evaluate(
      (n) => window.__bench.waitFor(() => new Set(window.__bench.replies().map((r) => r.widgetId)).size >= n, 20000, `${n} widgets' replies`),
      n,
    );
    await sleep(D + 200); // late requests and surplus replies
    const replies = await page.evaluate(() => window.__bench.replies());
    const extra = await page.evaluate(() => window.__bench.extraReplies());
    const repeats = await page.evaluate(() => window.__bench.reports.filter((r) => r.event === 'repeat').length);
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
      // The same token sent again to a widget whose request crossed its push: not another answer.
      repeats,
      firstReplyStatuses: countBy(firsts, (r) => r.status),
      allReplyStatuses: all,
    };
  } finally {
    await context.close();
  }
}

export async function measure(ctx) {
  ctx.log('requests per page…');
  const r = { ours: {}, vendor: {}, vendorShared: {} };
  for (const n of ctx.config.widgetsPerPage) {
    r.ours[n] = await requestsPerPage(ctx, 'ours', n);
    r.vendor[n] = await requestsPerPage(ctx, 'vendor', n);
    // With one widget, one copy of the snippet is the same page as above.
    if (n > 1) r.vendorShared[n] = await requestsPerPage(ctx, 'vendor-shared', n);
  }
  return r;
}

export function rows(r, { config }) {
  return config.widgetsPerPage.map((n) => {
    const o = r.ours[n];
    const v = r.vendor[n];
    const one = r.vendorShared[n];
    const valid = o.firstReplyStatuses.valid ?? 0;
    return row(
      `5. Auth requests, ${n} widget${n > 1 ? 's' : ''}`,
      `${o.authRequests} (${o.widgetsValid}/${n} widgets valid)`,
      `vendor: ${v.authRequests} (${v.widgetsValid}/${n} valid` +
        (n > 1 ? `, ${v.maxRepliesPerRequest} replies per request); 1 copy: ${one.authRequests} (${one.widgetsValid}/${n} valid)` : ')'),
      '1',
      pass(o.authRequests === 1 && valid === n && o.widgetsValid === n && o.maxRepliesPerRequest === 1),
    );
  });
}

export function notes(r, { config }) {
  const big = config.widgetsPerPage.at(-1);
  return [
    `Requests per page: auth and widget page both delayed by D. "vendor" pastes the snippet once per widget (it hard-codes one ` +
      `widget id), so every copy answers every widget; "1 copy" answers every widget with the first widget's id. "valid": the widget ` +
      `got a non-null token with its own id in some reply. Vendor first replies at ${big}: ` +
      `${statusList(r.vendor[big].firstReplyStatuses, big)}; all replies: ${statusList(r.vendor[big].allReplyStatuses, r.vendor[big].replies)}. ` +
      `Ours: a widget whose request crossed the token pushed to it gets that token again (not counted as a reply): ` +
      `${config.widgetsPerPage.map((n) => `${r.ours[n].repeats} at ${n}`).join(', ')}.`,
  ];
}
