// `npm run bench`: size, token latency, cold start, refresh-ahead, requests per page and steady state of
// <returning-ai-widget>, each measured in the same run against a reference (Lit's floor, the vendor's
// Step 2 snippet, or the page's own baseline). Prints a table and writes bench/results/latest.json.
// Each figure is a module in bench/figures/ (the interface is described in bench/figures/index.mjs).
//
// Options: --no-build (never run `npm run build`), --build (always run it), --quick (fewer trials),
// --only=size,latency,cold,expiry,requests,steady (a subset), --strict (exit 1 when a verdict is FAIL).
// Everything runs on loopback: the host site on http://localhost:PORT, the fake widget on http://127.0.0.1:PORT2.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChrome } from '../test/support/find-chrome.mjs';
import { benchConfig } from './config.mjs';
import { FIGURES } from './figures/index.mjs';
import { startBrowserSession } from './lib/browser-session.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { formatTable } from './lib/format.mjs';
import { elapsedMs, log } from './lib/log.mjs';
import { parseOptions } from './lib/options.mjs';
import { checkFigure, stepsOf } from './lib/schedule.mjs';
import { CDN_MODULE } from './size.mjs';

const RESULTS_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));

function selectFigures(only) {
  const unknown = [...only].filter((id) => !FIGURES.some((figure) => figure.id === id));
  if (unknown.length) throw new Error(`--only: no figure ${unknown.join(', ')} (figures: ${FIGURES.map((f) => f.id).join(', ')})`);
  return FIGURES.map(checkFigure).filter((figure) => !only.size || only.has(figure.id));
}

/**
 * Runs the figures step by step, writing each result to results[figure.key]. Chromium and the servers live only from
 * the first figure that needs them to the last. Resolves the browser's version, if one ran.
 */
async function measureAll(figures, ctx, results, { executablePath, pageErrors }) {
  const steps = stepsOf(figures);
  const needsBrowserAfter = (i) => steps.slice(i + 1).some((step) => step.some((figure) => figure.needsBrowser));
  let session;
  let version;
  try {
    for (const [i, step] of steps.entries()) {
      if (!session && step.some((figure) => figure.needsBrowser)) {
        session = await startBrowserSession({ cdnModule: ctx.cdnModule, executablePath, pageErrors });
        results.browser = session.description;
        version = session.version;
      }
      const stepCtx = session ? { ...ctx, servers: session.servers, openPage: session.openPage } : ctx;
      const outcomes = await Promise.all(step.map((figure) => figure.measure(stepCtx)));
      step.forEach((figure, j) => (results[figure.key] = outcomes[j]));
      if (session && !needsBrowserAfter(i)) {
        await session.close();
        session = undefined;
      }
    }
  } finally {
    await session?.close();
  }
  return version;
}

function notes(figures, results, ctx) {
  const lines = figures.flatMap((figure) => figure.notes?.(results[figure.key], ctx) ?? []);
  const { pageErrors, loadAverage, durationMs } = results;
  if (pageErrors.length) lines.push(`Page errors: ${pageErrors.length}, e.g. ${pageErrors.slice(0, 3).join(' | ')}`);
  lines.push(
    `Machine load average ${loadAverage.start.map((x) => x.toFixed(1)).join(' ')} at start, ${loadAverage.end.map((x) => x.toFixed(1)).join(' ')} at end ` +
      `(${cpus().length} CPUs): timings are only comparable within a run. Took ${(durationMs / 1000).toFixed(1)} s. JSON: bench/results/latest.json`,
  );
  return lines.map((line) => `- ${line}`).join('\n');
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const figures = selectFigures(options.only);
  const loadStart = loadavg();
  const build = ensureBuilt(options.build);
  const config = benchConfig(options);
  const ctx = {
    config,
    quick: options.quick,
    log,
    build,
    // One snapshot of the bundle for the whole run: a rebuild meanwhile changes nothing here.
    cdnModule: readFileSync(CDN_MODULE),
  };
  // Looked up first, so a missing browser fails the run before anything is measured.
  const executablePath = figures.some((figure) => figure.needsBrowser) ? findChrome() : undefined;
  const pageErrors = [];
  const results = { date: new Date().toISOString(), node: process.version, build, config };

  const browserVersion = await measureAll(figures, ctx, results, { executablePath, pageErrors });

  results.pageErrors = pageErrors;
  results.loadAverage = { start: loadStart, end: loadavg() };
  results.durationMs = Math.round(elapsedMs());
  results.table = figures.flatMap((figure) => figure.rows(results[figure.key], ctx));
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);

  const browser = browserVersion ? `Chromium ${browserVersion} headless` : 'no browser';
  console.log(`\nreturning-ai-widget bench: ${results.date}, ${browser}, Node ${results.node}, D = ${config.delayMs} ms\n`);
  console.log(formatTable(results.table));
  console.log(`\n${notes(figures, results, ctx)}`);
  if (options.strict && results.table.some((row) => row.verdict.startsWith('FAIL'))) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
