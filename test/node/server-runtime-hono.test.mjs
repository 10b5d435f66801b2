// examples/runtimes/hono.mjs (the Hono recipe of docs/backend.md) served by @hono/node-server on a real loopback
// port, with msw playing Returning.AI. Imports the built module through the package name: run `npm run build` first.
import { after, before, test } from 'node:test';
import { serve } from '@hono/node-server';
import { assertRoundTrip, exampleSettings, fakeReturningAi, interceptReturningAi } from '../backend/runtime-support.mjs';

const settings = exampleSettings();
Object.assign(process.env, settings); // read by the example when it is imported
const fake = fakeReturningAi(settings);
const { app } = await import('../../examples/runtimes/hono.mjs');
const { sessions } = await import('../../examples/runtimes/sessions.mjs');

let upstream;
let server;
let port;
before(async () => {
  upstream = interceptReturningAi(fake);
  await new Promise((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      port = info.port;
      resolve();
    });
  });
});
after(async () => {
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
  upstream.close();
});

test('Hono on Node: the recipe serves a token, once per user, and applies the cross-site guard', async () => {
  sessions.set('s-alice', 'alice@example.com');
  await assertRoundTrip(`http://127.0.0.1:${port}/api/widget-auth`, fake, 'sid=s-alice');
});
