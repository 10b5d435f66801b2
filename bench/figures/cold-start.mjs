// Figure 3: cold start, navigation → first valid token in the widget, with the auth endpoint and the widget page both
// delayed by D. Three kinds of page, interleaved in one run, a fresh browser context per trial: ours server-rendered
// (renderWidget()'s markup, the iframe in the HTML), ours client-only (the element creates its iframe), and the
// vendor's snippet (its iframe in the HTML). Both of ours load the CDN module by its own request.
import { ms, pass, row, statusList } from '../lib/format.mjs';
import { authUrl, runId, widgetBase } from '../lib/page-config.mjs';
import { countBy, summary } from '../lib/stats.mjs';

export const id = 'cold';
export const key = 'coldStart';
export const needsBrowser = true;

const KINDS = ['ours-ssr', 'ours', 'vendor'];

async function trial({ config, servers, openPage }, impl) {
  const D = config.delayMs;
  const run = runId(`cold-${impl}`);
  // The `run-…` segment makes the widget server note when the widget page's request arrived.
  const cfg = { impl, ids: ['cold'], auth: authUrl(run, { delay: D }), widgetBase: widgetBase(servers, `delay-${D}`, 'mode-once', `run-${run}`) };
  const { context, page } = await openPage(cfg);
  try {
    const first = await page.evaluate(() => window.__bench.waitFor(() => window.__bench.replies()[0], 15000, 'the first reply'));
    const { origin, loaded, marks } = await page.evaluate(() => ({
      origin: performance.timeOrigin,
      loaded: window.__bench.reports.find((r) => r.event === 'loaded'),
      marks: window.__bench.marks,
    }));
    const stats = servers.stats(run, { log: true });
    // All on the machine's epoch clock: the page's navigation start, the frame's clock, the servers' Date.now().
    return {
      firstReplyMs: first.at - origin,
      status: first.status,
      reason: first.reason,
      widgetLoadedMs: loaded ? loaded.at - origin : NaN,
      widgetNavigationMs: loaded ? loaded.origin - origin : NaN,
      widgetRequestMs: (servers.widgetRequests(run)[0] ?? NaN) - origin,
      // 1: the server-rendered frame was adopted, not loaded again.
      widgetPageRequests: servers.widgetRequests(run).length,
      authRequestMs: (stats.log[0]?.receivedAt ?? NaN) - origin,
      authRequests: stats.requests,
      elementDefinedMs: marks.defined ?? NaN,
      // Its request was lost (nothing listened yet): the element pushed it the token once it had loaded.
      askedBeforeElement: impl !== 'vendor' && marks.requests.length > 0 && !(marks.requests[0] >= marks.defined),
    };
  } finally {
    await context.close();
  }
}

function summarize(trials) {
  const valid = trials.filter((t) => t.status === 'valid');
  return {
    trials: trials.length,
    firstValidToken: summary(valid.map((t) => t.firstReplyMs)),
    // How long after the widget page itself arrived its token did: ≈ 0 when the fetch overlapped the page load,
    // ≈ D when it only started once the widget asked. Robust to a loaded machine, unlike the absolute figure.
    tokenAfterWidgetLoaded: summary(valid.map((t) => t.firstReplyMs - t.widgetLoadedMs)),
    firstReply: summary(trials.map((t) => t.firstReplyMs)),
    widgetLoaded: summary(trials.map((t) => t.widgetLoadedMs)),
    widgetRequest: summary(trials.map((t) => t.widgetRequestMs)),
    widgetNavigation: summary(trials.map((t) => t.widgetNavigationMs)),
    authRequest: summary(trials.map((t) => t.authRequestMs)),
    firstReplyStatuses: countBy(trials, (t) => t.status),
    elementDefined: summary(trials.map((t) => t.elementDefinedMs).filter(Number.isFinite)),
    askedBeforeElement: trials.filter((t) => t.askedBeforeElement).length,
    authRequests: countBy(trials, (t) => t.authRequests),
    widgetPageRequests: countBy(trials, (t) => t.widgetPageRequests),
  };
}

export async function measure(ctx) {
  const n = ctx.config.coldTrials;
  ctx.log(`cold start (D = ${ctx.config.delayMs} ms, ${n} trials × ${KINDS.join(', ')})…`);
  const trials = Object.fromEntries(KINDS.map((kind) => [kind, []]));
  for (let i = 0; i < n; i++) {
    // Interleaved, the order rotating each round, so a change in machine load (or a warm cache) favours none.
    for (let j = 0; j < KINDS.length; j++) {
      const impl = KINDS[(i + j) % KINDS.length];
      trials[impl].push(await trial(ctx, impl));
    }
  }
  return { ssr: summarize(trials['ours-ssr']), ours: summarize(trials.ours), vendor: summarize(trials.vendor), trials };
}

/** The three verdicts, with the numbers they compare (also used by notes). */
export function verdicts({ ssr: s, ours: o, vendor: v }, { config }) {
  const { coldBefore: before, ssrStartTolerance: tolerance } = config;
  const allValid = (x) => (x.firstReplyStatuses.valid ?? 0) === x.trials;
  // The vendor's median over its valid trials only: a widget its snippet answered `null` is never signed in.
  const startLimit = v.widgetLoaded.median * tolerance;
  const beforeRatio = before.oursMs / before.vendorMs;
  const ratio = o.firstValidToken.median / v.firstValidToken.median;
  return {
    ssrToken: { ok: allValid(s) && s.firstValidToken.median <= v.firstValidToken.median, by: v.firstValidToken.median - s.firstValidToken.median },
    ssrStart: { ok: s.widgetLoaded.median <= startLimit, by: startLimit - s.widgetLoaded.median, limit: startLimit },
    ssrRequest: { ok: s.widgetRequest.median <= v.widgetRequest.median * tolerance, by: v.widgetRequest.median * tolerance - s.widgetRequest.median },
    client: { ok: allValid(o) && o.tokenAfterWidgetLoaded.median <= config.delayMs / 2 && ratio <= beforeRatio, ratio, beforeRatio },
  };
}

const by = (x) => `${x >= 0 ? 'by' : 'missed by'} ${ms(Math.abs(x))}`;

export function rows(r, ctx) {
  const { ssr: s, ours: o, vendor: v } = r;
  const { config } = ctx;
  const D = config.delayMs;
  const verdict = verdicts(r, ctx);
  const vValid = `${v.firstReplyStatuses.valid ?? 0}/${v.trials} valid, ${v.firstReplyStatuses.null ?? 0}/${v.trials} null`;
  const b = config.coldBefore;
  return [
    row(
      `3. Cold start → valid token, server-rendered, D=${D} ms (n=${s.trials})`,
      `med ${ms(s.firstValidToken.median)}, p95 ${ms(s.firstValidToken.p95)}; ${s.firstReplyStatuses.valid ?? 0}/${s.trials} valid`,
      `vendor: med ${ms(v.firstValidToken.median)}, p95 ${ms(v.firstValidToken.p95)} (${vValid})`,
      "≤ the snippet's median",
      `${pass(verdict.ssrToken.ok)} (${by(verdict.ssrToken.by)})`,
    ),
    row(
      '3. Cold start: widget page start, server-rendered',
      `loaded med ${ms(s.widgetLoaded.median)}; requested at ${ms(s.widgetRequest.median)}`,
      `vendor: loaded med ${ms(v.widgetLoaded.median)}; requested at ${ms(v.widgetRequest.median)}`,
      `loaded ≤ vendor × ${config.ssrStartTolerance} (${ms(verdict.ssrStart.limit)})`,
      `${pass(verdict.ssrStart.ok)} (${by(verdict.ssrStart.by)})`,
    ),
    row(
      `3. Cold start → valid token, client-only (n=${o.trials})`,
      `med ${ms(o.firstValidToken.median)}, p95 ${ms(o.firstValidToken.p95)} (page loaded ${ms(o.widgetLoaded.median)}); +${ms(o.tokenAfterWidgetLoaded.median)}`,
      `×${verdict.client.ratio.toFixed(2)} the vendor's; ${b.date}: ${b.oursMs} vs ${b.vendorMs} ms (×${verdict.client.beforeRatio.toFixed(2)})`,
      `no worse: ≤ ×${verdict.client.beforeRatio.toFixed(2)}; +0, not +D, after the page`,
      pass(verdict.client.ok),
    ),
  ];
}

export function notes(r, ctx) {
  const { ssr: s, ours: o, vendor: v } = r;
  const verdict = verdicts(r, ctx);
  const line = (name, x) =>
    `${name} widget page requested at med ${ms(x.widgetRequest.median)} (frame navigation ${ms(x.widgetNavigation.median)}), loaded ${ms(x.widgetLoaded.median)}; ` +
    `auth request at ${ms(x.authRequest.median)}; widget page requests per trial ${JSON.stringify(x.widgetPageRequests)}; ` +
    `first replies ${statusList(x.firstReplyStatuses, x.trials)}`;
  return [
    `Cold start: navigation start → first reply in the widget, fresh browser context each trial, the three pages interleaved. ` +
      `"server-rendered": renderWidget() markup from dist/ssr, rendered by the bench server; the element's module by its own <script src>. ` +
      `${line('SSR:', s)}; element defined at med ${ms(s.elementDefined.median)}, ${s.askedBeforeElement}/${s.trials} widgets asked before it (pushed the token). ` +
      `${line('Client-only:', o)}. ${line('Vendor:', v)}; ` +
      `the bench widget asks once per load, so a null answer leaves it signed out. The widget-page request time ` +
      `(server clock) ${verdict.ssrRequest.ok ? 'also meets' : 'does not meet'} the ×${ctx.config.ssrStartTolerance} rule (${by(verdict.ssrRequest.by)}).`,
  ];
}
