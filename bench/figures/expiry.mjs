// Figure 4: the widget's expiry request, answered with refresh-ahead (JWT) and without (opaque tokens), the auth
// endpoint delayed by D; and what the vendor's snippet answers then.
import { ms, pass, row, statusList } from '../lib/format.mjs';
import { authUrl, runId, widgetBase } from '../lib/page-config.mjs';
import { countBy, summary } from '../lib/stats.mjs';

export const id = 'expiry';
export const key = 'refreshAhead';
export const needsBrowser = true;

/** Opens one expiry page; the returned function waits for its expiry requests, then closes it. */
async function expiryPage({ config, servers, openPage }, { impl, kind, widgetDelay = 0, cycles }) {
  const { ttlMs } = config.expiry;
  const D = config.delayMs;
  const run = runId(`expiry-${impl}-${kind}`);
  const cfg = {
    impl,
    ids: ['expiry'],
    auth: authUrl(run, { delay: D, kind, ttl: ttlMs }),
    widgetBase: widgetBase(servers, `delay-${widgetDelay}`, 'mode-expiry', `cycles-${cycles}`),
  };
  const { context, page } = await openPage(cfg);
  return async () => {
    try {
      // Every expiry request's first reply, unless the widget stops asking (no token, or not its own).
      const deadline = (cycles + 1) * (ttlMs + 1000) + 2 * D + 2000;
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

function summarize(pages) {
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

export async function measure(ctx) {
  const { pagesPerMode, cycles, ttlMs } = ctx.config.expiry;
  ctx.log(`refresh-ahead (${ttlMs / 1000} s tokens, ${cycles} expiries per page)…`);
  // Pages open one after another (each up to its load event, so a slow start does not eat a 4 s token), then
  // wait side by side. The vendor's widget page is slower than its fetch, so its first answer holds a token.
  const finish = { jwt: [], opaque: [] };
  for (let i = 0; i < pagesPerMode; i++) {
    for (const kind of ['jwt', 'opaque']) finish[kind].push(await expiryPage(ctx, { impl: 'ours', kind, cycles }));
  }
  const vendorFinish = await expiryPage(ctx, { impl: 'vendor', kind: 'jwt', cycles, widgetDelay: 2 * ctx.config.delayMs });
  const [jwt, opaque, vendor] = await Promise.all([
    Promise.all(finish.jwt.map((f) => f())),
    Promise.all(finish.opaque.map((f) => f())),
    vendorFinish(),
  ]);
  return { jwt: summarize(jwt), opaque: summarize(opaque), vendor: summarize([vendor]) };
}

export function rows({ jwt: j, opaque: q, vendor: v }, { config }) {
  const D = config.delayMs;
  return [
    row(
      `4. Expiry request, D=${D} ms (n=${j.samples}+${q.samples})`,
      `refresh-ahead (JWT): med ${ms(j.latency.median)}, p95 ${ms(j.latency.p95)}`,
      `without (opaque): med ${ms(q.latency.median)}, p95 ${ms(q.latency.p95)}`,
      '≪ D with refresh-ahead',
      pass(j.samples > 0 && (j.statuses.valid ?? 0) === j.samples && j.latency.median < D / 10),
    ),
    row(
      '4. Expiry request: vendor snippet',
      '—',
      v.samples ? `vendor: ${ms(v.latency.median)}, ${statusList(v.statuses, v.samples)}` : 'vendor: never reached expiry',
      'a fresh token',
      'info',
    ),
  ];
}

export function notes({ jwt: j, opaque: q }, { config }) {
  return [
    `Refresh-ahead: ${config.expiry.ttlMs / 1000} s tokens, the widget asks again when its token expires; ${j.pages}+${q.pages} pages × ` +
      `${config.expiry.cycles} expiries. Auth requests per page by the last expiry: JWT ${JSON.stringify(j.authRequestsByLastExpiry)}, ` +
      `opaque ${JSON.stringify(q.authRequestsByLastExpiry)} (refresh-ahead costs no extra request). ` +
      `Expiry replies: JWT ${statusList(j.statuses, j.samples) || 'none'}; opaque ${statusList(q.statuses, q.samples) || 'none'}.`,
  ];
}
