// examples/runtimes/worker.mjs (the Cloudflare Workers recipe of docs/backend.md), bundled with esbuild as wrangler
// would, and run in workerd through miniflare 3 on a real loopback port. The Worker's outbound fetches go to the
// fake Returning.AI; sessions are in a KV namespace. Bundles the built module: run `npm run build` first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { assertRoundTrip, exampleSettings, fakeReturningAi } from '../backend/runtime-support.mjs';

const settings = exampleSettings();
const fake = fakeReturningAi(settings);
let upstreamDelayMs = 0;
let mf;
let url;

before(async () => {
  const bundle = await build({
    entryPoints: ['examples/runtimes/worker.mjs'],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'silent',
  });
  mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0].text,
    compatibilityDate: '2025-07-01',
    host: '127.0.0.1',
    port: 0,
    bindings: settings,
    kvNamespaces: ['SESSIONS'],
    // Every fetch the Worker makes lands here, in Node: nothing leaves the machine.
    outboundService: async (request) => {
      await new Promise((resolve) => setTimeout(resolve, upstreamDelayMs));
      return fake.handle(request);
    },
    cf: false, // a placeholder `request.cf`, instead of fetching one from Cloudflare
  });
  url = await mf.ready;
  await (await mf.getKVNamespace('SESSIONS')).put('s-alice', 'alice@example.com');
});
after(() => mf?.dispose());

test('Cloudflare Workers (workerd): the recipe serves a token, once per user, and applies the cross-site guard', async () => {
  await assertRoundTrip(new URL('/api/widget-auth', url).href, fake, 'sid=s-alice');
});

test('Cloudflare Workers (workerd): concurrent requests of one user share one upstream call', async () => {
  await (await mf.getKVNamespace('SESSIONS')).put('s-bob', 'bob@example.com');
  fake.calls.length = 0;
  upstreamDelayMs = 100; // so the requests overlap the call, rather than find its token cached
  const endpoint = new URL('/api/widget-auth', url).href;
  const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(endpoint, { method: 'POST', headers: { cookie: 'sid=s-bob' } })));
  const tokens = await Promise.all(answers.map(async (answer) => (assert.equal(answer.status, 200), (await answer.json()).token)));
  assert.equal(new Set(tokens).size, 1);
  assert.deepEqual(fake.calls, ['bob@example.com']);
});
