// `npm run bench:backend`: the figures of returning-ai-widget/server, each against a reference in the same run.
//   1. Upstream calls for 1,000 requests from 100 users within one token lifetime (target 100), with the default
//      cache; reference: `cache: false` (only concurrent requests of a user share a call).
//   2. Requests per second through the handler (cache hit) against a bare route of the same server, as a ratio.
//   3. Peak memory of the server while refusing a 20 MB upstream answer; reference: the same answer read whole
//      with `response.text()`, as the handler did before it was bounded.
// Prints a table and writes bench/results/backend.json. Options: --quick (shorter load runs).
//
// Everything runs on loopback. The server runs in a child process (this file with --serve), so the load generator
// and the fake Returning.AI (both here) do not share its event loop or its memory. Needs `npm run build` first.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_MODULE = new URL('../dist/server/index.js', import.meta.url);
const QUICK = process.argv.includes('--quick');

const CONFIG = {
  users: 100,
  requestsPerUser: 10,
  concurrency: 50, // requests in flight while the 1,000 are sent, in shuffled order
  upstreamDelayMs: 50, // the fake Returning.AI's answer time
  tokenLifetimeSeconds: 3600,
  load: { connections: 32, seconds: QUICK ? 1.5 : 3, rounds: QUICK ? 2 : 3 }, // alternating bare / handler
  hugeBodyBytes: 20 * 1024 * 1024,
  memoryTrials: 3,
};

// ---------------------------------------------------------------------------------------------------------------
// The server under test (child process)

/** Sessions are `sid=u<N>` cookies for user<N>@example.com: the lookup costs nothing, so the handler is measured. */
function emailOf(cookie) {
  const id = /(?:^|;\s*)sid=u(\d+)/.exec(cookie ?? '')?.[1];
  return id === undefined ? undefined : `user${id}@example.com`;
}

async function serve() {
  const { createWidgetAuthHandler, toNodeHandler } = await import(SERVER_MODULE.href);
  const { apiKey, baseUrl, hugeBaseUrl } = JSON.parse(process.env.BENCH_SERVER);
  const options = { apiKey, communityId: 'community-1', baseUrl, getUserEmail: (request) => emailOf(request.headers.get('cookie')) };
  const routes = {
    '/api/widget-auth': toNodeHandler(createWidgetAuthHandler(options)),
    '/no-cache': toNodeHandler(createWidgetAuthHandler({ ...options, cache: false })),
    '/huge': toNodeHandler(createWidgetAuthHandler({ ...options, baseUrl: hugeBaseUrl })),
    // The reference for memory: what the handler did before, reading the whole answer.
    '/huge-unbounded': async (_req, res) => {
      const answer = await fetch(`${hugeBaseUrl}/widget/community-1/signin`, { method: 'POST', headers: { 'returningai-api-key': apiKey, email: 'a@example.com' } });
      const text = await answer.text();
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'upstream-invalid-response', read: text.length }));
    },
    // The reference for speed: the same answer, size and headers, with no handler at all.
    '/bare': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(bareBody);
    },
  };
  let bareBody = '';

  // Peak RSS, sampled every 2 ms; reset to the current RSS after a forced GC.
  const memory = { baseline: 0, peak: 0 };
  setInterval(() => (memory.peak = Math.max(memory.peak, process.memoryUsage.rss())), 2).unref();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/memory/reset') {
      globalThis.gc?.();
      memory.baseline = memory.peak = process.memoryUsage.rss();
      return void res.end(JSON.stringify(memory));
    }
    if (url.pathname === '/memory') return void res.end(JSON.stringify(memory));
    if (url.pathname === '/bare-body') {
      bareBody = url.searchParams.get('body');
      return void res.end();
    }
    const route = routes[url.pathname];
    if (!route) return void res.writeHead(404).end();
    await route(req, res);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------------------------
// Load generation and measurement (parent process)

const agent = new Agent({ keepAlive: true, maxSockets: CONFIG.load.connections });

/** One POST over the keep-alive agent; resolves `{ status, body }`. */
function post(port, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-length': 0, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const get = (port, path) => post(port, path).then(({ body }) => (body ? JSON.parse(body) : undefined));

/** Headers of a browser page on the same origin, signed in as user<N>. */
const asUser = (port, n) => ({ cookie: `sid=u${n}`, origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' });

/** Runs `tasks` (functions returning promises) with at most `limit` in flight. */
async function pool(tasks, limit) {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

function shuffled(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Figure 1: upstream calls for users × requestsPerUser requests to `path`, sent shuffled and concurrently. */
async function upstreamCalls(port, upstream, path) {
  upstream.calls.length = 0;
  const requests = shuffled(Array.from({ length: CONFIG.users * CONFIG.requestsPerUser }, (_, i) => i % CONFIG.users));
  const statuses = {};
  const started = performance.now();
  await pool(
    requests.map((n) => async () => {
      const { status } = await post(port, path, asUser(port, n));
      statuses[status] = (statuses[status] ?? 0) + 1;
    }),
    CONFIG.concurrency,
  );
  return { requests: requests.length, upstreamCalls: upstream.calls.length, statuses, seconds: (performance.now() - started) / 1000 };
}

/** Requests per second to `path` with `connections` requests always in flight, for `seconds`. */
async function throughput(port, path, headers) {
  const deadline = performance.now() + CONFIG.load.seconds * 1000;
  let done = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONFIG.load.connections }, async () => {
      while (performance.now() < deadline) {
        const { status } = await post(port, path, headers);
        if (status === 200) done++;
        else failed++;
      }
    }),
  );
  return { rps: done / ((performance.now() - started) / 1000), failed };
}

/** Figure 2: alternating runs of the bare route and the handler (cache hit); medians and their ratio. */
async function handlerVsBare(port) {
  const headers = asUser(port, 0);
  const { body } = await post(port, '/api/widget-auth', headers); // warms the cache for user0
  await get(port, `/bare-body?body=${encodeURIComponent(body)}`); // the bare route answers the same bytes
  await throughput(port, '/bare', headers); // JIT warm-up of both paths
  await throughput(port, '/api/widget-auth', headers);
  const bare = [];
  const handler = [];
  for (let round = 0; round < CONFIG.load.rounds; round++) {
    bare.push(await throughput(port, '/bare', headers));
    handler.push(await throughput(port, '/api/widget-auth', headers));
  }
  const median = (runs) => runs.map((r) => r.rps).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  return {
    bareRps: median(bare),
    handlerRps: median(handler),
    ratio: median(handler) / median(bare),
    runs: { bare, handler },
    failed: [...bare, ...handler].reduce((sum, r) => sum + r.failed, 0),
  };
}

/** Figure 3: the server's peak RSS above its baseline while one request makes it refuse (or read) 20 MB. */
async function peakMemory(port, path) {
  const trials = [];
  for (let i = 0; i < CONFIG.memoryTrials; i++) {
    const { baseline } = await get(port, '/memory/reset');
    const { status } = await post(port, path, asUser(port, 0));
    await new Promise((resolve) => setTimeout(resolve, 20)); // one more sample after the answer
    const { peak } = await get(port, '/memory');
    trials.push({ status, growthMB: (peak - baseline) / 2 ** 20 });
  }
  return { status: trials[0].status, peakGrowthMB: Math.max(...trials.map((t) => t.growthMB)), trials };
}

async function main() {
  if (!existsSync(SERVER_MODULE)) throw new Error('dist/server/index.js is missing: run `npm run build` first.');
  const { startFakeUpstream } = await import('../test/backend/fake-upstream.mjs');
  const apiKey = `fake-key-${randomBytes(12).toString('hex')}`;
  const upstream = await startFakeUpstream({ apiKey, lifetimeSeconds: CONFIG.tokenLifetimeSeconds, delayMs: CONFIG.upstreamDelayMs });
  const huge = await startFakeUpstream({ apiKey, bodyBytes: CONFIG.hugeBodyBytes });
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    cwd: ROOT,
    execArgv: ['--expose-gc'],
    env: { ...process.env, BENCH_SERVER: JSON.stringify({ apiKey, baseUrl: upstream.baseUrl, hugeBaseUrl: huge.baseUrl }) },
  });
  const [{ port }] = await once(child, 'message');
  const log = (message) => console.error(`[bench:backend] ${message}`);

  try {
    log('1/3 upstream calls for 1,000 requests from 100 users…');
    const calls = { cached: await upstreamCalls(port, upstream, '/api/widget-auth'), noCache: await upstreamCalls(port, upstream, '/no-cache') };
    log('2/3 requests per second, handler (cache hit) against a bare route…');
    const speed = await handlerVsBare(port);
    log('3/3 peak memory while refusing a 20 MB answer…');
    const memory = { bounded: await peakMemory(port, '/huge'), unbounded: await peakMemory(port, '/huge-unbounded') };

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg().map((x) => Number(x.toFixed(2))) },
      config: CONFIG,
      upstreamCalls: calls,
      throughput: speed,
      memory,
    };
    mkdirSync(new URL('results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('results/backend.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

    const rows = [
      ['Upstream calls, 1,000 requests from 100 users in one token lifetime', `${calls.cached.upstreamCalls}`, `cache: false: ${calls.noCache.upstreamCalls}`, '100'],
      [
        'Requests/s, handler (cache hit) vs bare route, same server',
        `${Math.round(speed.handlerRps)}/s (ratio ${speed.ratio.toFixed(2)})`,
        `bare: ${Math.round(speed.bareRps)}/s`,
        '—',
      ],
      [
        'Peak memory growth refusing a 20 MB answer',
        `${memory.bounded.peakGrowthMB.toFixed(1)} MB (HTTP ${memory.bounded.status})`,
        `read whole: ${memory.unbounded.peakGrowthMB.toFixed(1)} MB`,
        'bounded',
      ],
    ];
    console.log(`\nreturning-ai-widget/server, ${results.date}, Node ${results.node}, ${results.machine.cpus} CPUs, load ${results.machine.loadavg.join(' ')}\n`);
    console.log('| Figure | Measured | Reference, same run | Target |');
    console.log('|---|---|---|---|');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
    console.log('\nJSON: bench/results/backend.json');
  } finally {
    child.disconnect();
    agent.destroy();
    await Promise.all([upstream.close(), huge.close(), once(child, 'exit')]);
  }
}

// Last, so that every declaration above is initialised when it runs.
if (process.argv.includes('--serve')) await serve();
else await main();
