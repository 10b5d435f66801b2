// Figure 3: cold start, navigation → first token in the widget, with the auth endpoint and the widget page both
// delayed by D; a fresh browser context per trial, ours and the vendor's snippet alternating.
import { ms, pass, row, statusList } from '../lib/format.mjs';
import { authUrl, runId, widgetBase } from '../lib/page-config.mjs';
import { countBy, summary } from '../lib/stats.mjs';

export const id = 'cold';
export const key = 'coldStart';
export const needsBrowser = true;

async function trial({ config, servers, openPage }, impl) {
  const D = config.delayMs;
  const run = runId(`cold-${impl}`);
  const cfg = { impl, ids: ['cold'], auth: authUrl(run, { delay: D }), widgetBase: widgetBase(servers, `delay-${D}`, 'mode-once') };
  const { context, page } = await openPage(cfg);
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
    firstReplyStatuses: countBy(trials, (t) => t.status),
    authRequests: countBy(trials, (t) => t.authRequests),
  };
}

export async function measure(ctx) {
  ctx.log(`cold start (D = ${ctx.config.delayMs} ms)…`);
  const trials = { ours: [], vendor: [] };
  for (let i = 0; i < ctx.config.coldTrials; i++) {
    for (const impl of ['ours', 'vendor']) trials[impl].push(await trial(ctx, impl));
  }
  return { ours: summarize(trials.ours), vendor: summarize(trials.vendor), trials };
}

export function rows({ ours: o, vendor: v }, { config }) {
  const D = config.delayMs;
  const vValid = v.firstReplyStatuses.valid ?? 0;
  return [
    row(
      `3. Cold start → valid token, D=${D} ms (n=${o.trials})`,
      `med ${ms(o.firstValidToken.median)} (page alone ${ms(o.widgetLoaded.median)}); +${ms(o.tokenAfterWidgetLoaded.median)}`,
      `vendor: ${vValid}/${v.trials} valid${vValid ? ` (med ${ms(v.firstValidToken.median)})` : ''}, ${v.firstReplyStatuses.null ?? 0}/${v.trials} null`,
      `+0, not +D, after the page`,
      pass((o.firstReplyStatuses.valid ?? 0) === o.trials && o.tokenAfterWidgetLoaded.median <= D / 2),
    ),
  ];
}

export function notes({ ours: o, vendor: v }) {
  return [
    `Cold start: navigation start → first reply in the widget, fresh browser context each trial. The widget page itself ` +
      `arrived at med ${ms(o.widgetLoaded.median)} (ours) / ${ms(v.widgetLoaded.median)} (vendor). Vendor first replies: ` +
      `${statusList(v.firstReplyStatuses, v.trials)} at med ${ms(v.firstReply.median)}; the bench widget asks once per load, so a null answer leaves it signed out.`,
  ];
}
