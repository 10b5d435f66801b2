// examples/runtimes/express.mjs (the Express 5 recipe of docs/backend.md) on a real loopback port, with msw
// playing Returning.AI. Imports the built module through the package name: run `npm run build` first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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

test('Express 5: signing out drops the user\'s widget token, so the next sign-in gets a new one', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const headers = { cookie: 'sid=s-bob', origin: base, 'sec-fetch-site': 'same-origin' };
  const token = async () => (await (await fetch(`${base}/api/widget-auth`, { method: 'POST', headers })).json()).token;
  sessions.set('s-bob', 'bob@example.com');
  const before = await token();
  assert.equal((await fetch(`${base}/sign-out`, { method: 'POST', headers })).status, 204);
  sessions.set('s-bob', 'bob@example.com'); // signs in again
  assert.notEqual(await token(), before);
  assert.deepEqual(fake.calls.filter((email) => email === 'bob@example.com').length, 2);
});
