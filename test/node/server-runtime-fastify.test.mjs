// examples/runtimes/fastify.mjs (the Fastify 5 recipe of docs/backend.md, through toNodeHandler) on a real loopback
// port, with msw playing Returning.AI. Imports the built module through the package name: run `npm run build` first.
import { after, before, test } from 'node:test';
import { assertRoundTrip, exampleSettings, fakeReturningAi, interceptReturningAi } from '../backend/runtime-support.mjs';

const settings = exampleSettings();
Object.assign(process.env, settings); // read by the example when it is imported
const fake = fakeReturningAi(settings);
const { app } = await import('../../examples/runtimes/fastify.mjs');
const { sessions } = await import('../../examples/runtimes/sessions.mjs');

let upstream;
let address;
before(async () => {
  upstream = interceptReturningAi(fake);
  address = await app.listen({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  await app.close();
  upstream.close();
});

test('Fastify 5: the recipe serves a token, once per user, and applies the cross-site guard', async () => {
  sessions.set('s-alice', 'alice@example.com');
  await assertRoundTrip(`${address}/api/widget-auth`, fake, 'sid=s-alice');
});
