// Figure 4: a widget holding short-lived tokens, the auth endpoint delayed by D. With JWTs the element fetches each
// replacement ahead of `exp` and pushes it (RETURNINGAI_WIDGET_REFRESH): the widget should never reach an expiry.
// Reference, same run: opaque tokens (no `exp` the element can read, so no refresh-ahead: the widget asks when its
// token expires and waits for a fetch), and the vendor's snippet (answers the expiry request with the stale token).
import { ms, pass, row, statusList } from '../lib/format.mjs';
import { authUrl, runId, widgetBase } from '../lib/page-config.mjs';
import { countBy, summary } from '../lib/stats.mjs';

export const id = 'expiry';
export const key = 'refreshAhead';
export const needsBrowser = true;

/** Opens one expiry page; the returned function waits until its widget has renewed its token `cycles` times, then closes it. */
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
      // A renewal: a refresh pushed before expiry, or the answer to an expiry request. The page stops early if the
      // widget is left without a token of its own (null, wrong id).
      const deadline = (cycles + 1) * (ttlMs + 1000) + 2 * D + 2000;
      await page.evaluate(
        ([cycles, deadline]) =>
          window.__bench
            .waitFor(() => {
              const firsts = window.__bench.replies().filter((r) => r.nth === 1);
              const last = firsts[firsts.length - 1];
              return firsts.filter((r) => r.reason === 'expiry' || r.reason === 'refresh').length >= cycles || (last && (last.status === 'null' || last.status === 'wrong-id'));
            }, deadline, 'the renewals')
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
        refresh: firsts.filter((r) => r.reason === 'refresh'),
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
  const refresh = pages.flatMap((p) => p.refresh);
  // Every token the widget took (the load reply, pushes, refreshes, expiry replies): its state when it arrived.
  const held = pages.flatMap((p) => p.replies.filter((r) => r.nth === 1));
  return {
    pages: pages.length,
    samples: expiry.length,
    expiryRequestsPerPage: pages.map((p) => p.expiry.length),
    refreshesPerPage: pages.map((p) => p.refresh.length),
    latency: summary(expiry.map((r) => r.latency)),
    statuses: countBy(expiry, (r) => r.status),
    // How long before the replaced token's `exp` each refresh arrived (the widget's clock).
    refreshMargin: summary(refresh.map((r) => r.margin)),
    heldStatuses: countBy(held, (r) => r.status),
    held: held.length,
    firstLoadStatuses: countBy(pages, (p) => p.load?.status ?? 'none'),
    authRequestsPerPage: pages.map((p) => p.authRequests),
    // Up to the widget's last renewal: 1 + one per renewal either way (refresh-ahead costs no extra request).
    authRequestsByLastRenewal: pages.map((p) => {
      const last = [...p.expiry, ...p.refresh].sort((a, b) => a.at - b.at).at(-1);
      return last ? p.authLog.filter((e) => e.receivedAt <= last.at).length : p.authRequests;
    }),
    raw: pages.map((p) => ({
      authRequests: p.authRequests,
      authLog: p.authLog,
      replies: p.replies.map((r) => ({ reason: r.reason, nth: r.nth, latency: r.latency, status: r.status, margin: r.margin, token: r.token, at: r.at })),
    })),
  };
}

export async function measure(ctx) {
  const { pagesPerMode, cycles, ttlMs } = ctx.config.expiry;
  ctx.log(`refresh-ahead and push (${ttlMs / 1000} s tokens, ${cycles} renewals per page)…`);
  // Pages open one after another (each up to its load event, so a slow start does not eat a 6 s token), then
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

/** JWT with push: no expiry request, every page renewed `cycles` times by refreshes that came before `exp`, every token valid. */
export function jwtVerdict(j, { config }) {
  const renewed = j.refreshesPerPage.every((n) => n >= config.expiry.cycles);
  return j.pages > 0 && j.samples === 0 && renewed && j.refreshMargin.min > 0 && (j.heldStatuses.valid ?? 0) === j.held;
}

const perPage = (xs) => xs.join(', ');

export function rows({ jwt: j, opaque: q, vendor: v }, ctx) {
  const D = ctx.config.delayMs;
  return [
    row(
      `4. Token expiry, JWT, refresh-ahead + push, D=${D} ms (${j.pages} pages, ${j.refreshMargin.n} refreshes)`,
      `expiry requests ${j.samples} (per page ${perPage(j.expiryRequestsPerPage)}); REFRESH before exp: min ${ms(j.refreshMargin.min)}, ` +
        `med ${ms(j.refreshMargin.median)}; tokens valid on arrival ${j.heldStatuses.valid ?? 0}/${j.held}`,
      `opaque (no refresh-ahead): expiry requests ${q.samples} (per page ${perPage(q.expiryRequestsPerPage)}), answered med ${ms(q.latency.median)}, ` +
        `p95 ${ms(q.latency.p95)}; ${statusList(q.statuses, q.samples) || 'none'}`,
      '0 expiry requests; every token valid',
      pass(jwtVerdict(j, ctx)),
    ),
    row(
      '4. Token expiry: vendor snippet',
      '—',
      v.samples ? `vendor: expiry requests answered in ${ms(v.latency.median)}, ${statusList(v.statuses, v.samples)}` : 'vendor: never reached expiry',
      'a fresh token',
      'info',
    ),
  ];
}

export function notes({ jwt: j, opaque: q }, { config }) {
  return [
    `Expiry: ${config.expiry.ttlMs / 1000} s tokens; the bench widget asks again only when the token it holds expires, and a ` +
      `REFRESH replaces that token and its expiry; each page runs until ${config.expiry.cycles} renewals (refreshes or expiry ` +
      `requests), ${j.pages}+${q.pages} pages side by side. The element fetches a JWT's replacement a quarter of its lifetime ` +
      `(at most 60 s) before exp: 1.5 s here, so the margins include the auth delay D. Auth requests per page by the last ` +
      `renewal: JWT ${JSON.stringify(j.authRequestsByLastRenewal)}, opaque ${JSON.stringify(q.authRequestsByLastRenewal)} (one per ` +
      `token either way). Tokens valid on arrival: JWT ${statusList(j.heldStatuses, j.held)}; opaque ${statusList(q.heldStatuses, q.held)}.`,
  ];
}
