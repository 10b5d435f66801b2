// examples/runtimes/express.mjs (the Express 5 recipe of docs/backend.md) on a real loopback port, with msw
// playing Returning.AI. Imports the built module through the package name: run `npm run build` first.
import { after, before, test } from 'node:test';
import { once } from 'node:events';
import { assertRoundTrip, exampleSettings, fakeReturningAi, interceptReturningAi } from '../backend/runtime-support.mjs';

const settings = exampleSettings();
Object.assign(process.env, settings); // read by the example when it is imported
const fake = fakeReturningAi(settings);
const { app } = await import('../../examples/runtimes/express.mjs');
const { sessions } = await import('../../examples/runtimes/sessions.mjs');

let upstream;
let server;
before(async () => {
  upstream = interceptReturningAi(fake);
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
});
after(async () => {
  server.closeAllConnections();
  server.close();
  upstream.close();
});

test('Express 5: the recipe serves a token, once per user, and applies the cross-site guard', async () => {
  sessions.set('s-alice', 'alice@example.com');
  await assertRoundTrip(`http://127.0.0.1:${server.address().port}/api/widget-auth`, fake, 'sid=s-alice');
});
