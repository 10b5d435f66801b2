// Refresh-ahead: one timer per slot, shortly before the delivered token expires, on a fake clock.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeBrowser, settle } from './fake-environment.js';
import { ENDPOINT, KEY, RecordingView, jwt, bound, store } from './helpers.js';

function setup() {
  const browser = new FakeBrowser();
  const { owner } = browser.tab();
  const place = owner.place('local', KEY);
  const views = [new RecordingView(), new RecordingView()];
  const slot = place.join(ENDPOINT, views[0]!);
  place.join(ENDPOINT, views[1]!);
  return { browser, slot, views, clock: browser.clock, net: browser.network };
}

describe('refresh ahead', () => {
  for (const [lifetime, lead] of [
    [300, 60], // 5 minutes: 60 s ahead (the cap)
    [400, 60],
    [120, 30], // a quarter of the time left
    [4, 1],
  ] as const) {
    test(`a ${lifetime} s token is refreshed ${lead} s before it expires`, async () => {
      const { slot, clock, net } = setup();
      const token = jwt(clock.now, lifetime);
      slot.delivered(token);
      assert.deepEqual(clock.pending(), [(lifetime - lead) * 1000]);
      await clock.advance((lifetime - lead) * 1000 - 1);
      assert.equal(net.requests.length, 0, 'not a millisecond early');
      await clock.advance(1);
      assert.equal(net.requests.length, 1);
    });
  }

  test('ten widgets holding one token set one timer; the refresh rejects the token it replaces', async () => {
    const { browser, slot, clock, net } = setup();
    const token = jwt(clock.now, 300);
    store(browser.local, ENDPOINT, token);
    for (let i = 0; i < 10; i++) slot.delivered(token);
    assert.equal(clock.pending().length, 1);
    assert.deepEqual(slot.state, { inFlight: false, timer: true });
    await clock.advance(240_000);
    assert.equal(net.requests.length, 1, 'the stored token it replaces does not satisfy the refresh');
    net.requests[0]!.answer(200, { token: 'next' });
    await settle();
    assert.deepEqual(browser.local.items, bound(ENDPOINT, 'next'));
    assert.deepEqual(slot.state, { inFlight: false, timer: false });
  });

  test('a newer delivered token moves the timer; an opaque token or one expiring beyond timer range sets none', async () => {
    const { slot, clock } = setup();
    slot.delivered(jwt(clock.now, 300));
    slot.delivered(jwt(clock.now, 600));
    assert.deepEqual(clock.pending(), [540_000]);
    slot.delivered('opaque');
    assert.deepEqual(clock.pending(), []);
    slot.delivered(jwt(clock.now, 2 ** 31 / 1000 + 100));
    assert.deepEqual(clock.pending(), []);
  });

  test('a token delivered again keeps its timer where it was', async () => {
    const { slot, clock, net } = setup();
    const token = jwt(clock.now, 4);
    slot.delivered(token);
    await clock.advance(2_000);
    slot.delivered(token); // another widget, or a reloaded one
    await clock.advance(1_000);
    assert.equal(net.requests.length, 1, 'refreshed 1 s before expiry, as first planned');
  });

  test('a refresh due at the longest delay timers hold is not scheduled; one a millisecond sooner is', async () => {
    const { slot, clock } = setup();
    const token = jwt(clock.now, 10_000_000);
    const expiresAt = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000;
    // A delay of left - 60 s: make it exactly 2^31 - 1 ms.
    clock.now = expiresAt - (2 ** 31 - 1) - 60_000;
    slot.delivered(token);
    assert.deepEqual(clock.pending(), []);
    clock.now += 1;
    slot.delivered(jwt(clock.now, 1)); // moves the slot off that token
    slot.delivered(token);
    assert.deepEqual(clock.pending(), [2 ** 31 - 2]);
  });

  test('a failed background refresh is reported to no view: none asked for it, and each still holds a valid token', async () => {
    const { slot, clock, net, views } = setup();
    slot.delivered(jwt(clock.now, 300));
    net.auto = (request) => request.answer(401);
    await clock.advance(240_000);
    assert.equal(net.requests.length, 1);
    assert.deepEqual(views.map((view) => view.failures), [[], []]);
    // A view that asks afterwards hears the failure of its own request.
    void slot.token(views[0], { timeoutMs: 10_000, reject: 'the token it held' });
    await settle();
    assert.deepEqual(views.map((view) => view.failures), [[{ reason: 'unauthorized', status: 401, retrying: false }], []]);
  });

  test('a background refresh that meets a 503 retries on its own, still reporting to no view', async () => {
    const { browser, slot, clock, net, views } = setup();
    slot.delivered(jwt(clock.now, 300));
    const replacement = jwt(clock.now, 600);
    net.auto = (request) => (net.requests.length === 1 ? request.answer(503) : request.answer(200, { token: replacement }));
    await clock.advance(240_000);
    assert.equal(net.requests.length, 1);
    await clock.advance(500); // the first retry's delay
    assert.equal(net.requests.length, 2, 'retried');
    assert.equal(browser.local.items.get(KEY), replacement);
    assert.deepEqual(views.map((view) => view.failures), [[], []]);
  });

  test('a refresh answered with the same token (a backend cache behind this clock) asks again a quarter of the time left later, while it is fresh', async () => {
    const { browser, slot, clock, net, views } = setup();
    const token = jwt(clock.now, 300);
    store(browser.local, ENDPOINT, token);
    slot.delivered(token);
    const replacement = jwt(clock.now + 285_000, 300);
    net.auto = (request) => request.answer(200, { token: net.requests.length === 1 ? token : replacement });
    await clock.advance(240_000);
    assert.equal(net.requests.length, 1);
    assert.deepEqual(views[0]!.renewals, [], 'the same token is no renewal');
    await clock.advance(45_000 - 1);
    assert.equal(net.requests.length, 1);
    await clock.advance(1);
    assert.equal(net.requests.length, 2, 'asked again 15 s before expiry');
    assert.deepEqual(views.map((view) => view.renewals), [[replacement], [replacement]]);
  });

  test('the same token back after a newer one came in meanwhile: the timer stays on the newer one', async () => {
    const { browser, slot, clock, net } = setup();
    const token = jwt(clock.now, 300);
    store(browser.local, ENDPOINT, token);
    slot.delivered(token);
    await clock.advance(240_000);
    assert.equal(net.requests.length, 1, 'the refresh is out');
    const newer = jwt(clock.now, 300);
    store(browser.local, ENDPOINT, newer); // another tab's widget asked and stored it
    slot.heard();
    assert.ok(clock.pending().includes(240_000), 'the timer moved to the newer token');
    net.requests[0]!.answer(200, { token }); // the refresh, answered from a cache
    await settle();
    assert.deepEqual(clock.pending(), [240_000], 'not moved back to the older token');
  });

  test('another token stored with the same expiry (another user signing in within the second) is a renewal', async () => {
    const { browser, slot, clock, views } = setup();
    const token = jwt(clock.now, 300);
    store(browser.local, ENDPOINT, token);
    slot.delivered(token);
    const other = jwt(clock.now, 300, { sub: 'someone else' });
    store(browser.local, ENDPOINT, other);
    slot.heard();
    assert.deepEqual(views.map((view) => view.renewals), [[other], [other]]);
  });

  test('a backend that keeps handing back the same token is asked twice at most, then left to the widget’s request at expiry', async () => {
    const { browser, slot, clock, net } = setup();
    const token = jwt(clock.now, 300);
    store(browser.local, ENDPOINT, token);
    slot.delivered(token);
    net.auto = (request) => request.answer(200, { token });
    await clock.advance(600_000);
    assert.equal(net.requests.length, 2);
    assert.deepEqual(clock.pending(), []);
  });

  test('the last view leaving stops the timer', async () => {
    const { slot, clock, views } = setup();
    slot.delivered(jwt(clock.now, 300));
    slot.leave(views[0]!);
    assert.equal(clock.pending().length, 1);
    slot.leave(views[1]!);
    assert.deepEqual(clock.pending(), []);
  });

  test('the refresh uses the timeout of the last request a view made', async () => {
    const { slot, clock, net, views } = setup();
    const token = jwt(clock.now, 300);
    net.auto = (request) => request.answer(200, { token });
    await slot.token(views[0], { timeoutMs: 2_000 });
    net.auto = undefined;
    slot.delivered(token);
    await clock.advance(240_000);
    assert.equal(net.requests.length, 2);
    await clock.advance(1_999);
    assert.equal(net.requests.length, 2);
    assert.equal(net.requests[1]!.signal.aborted, false);
    await clock.advance(1);
    assert.equal(net.requests[1]!.signal.aborted, true, 'the refresh timed out at 2 s, the timeout of the last request');
  });
});
