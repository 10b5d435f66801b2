// The token owner in Node with a fake page: which token a slot hands out, where it keeps it, and what it shares.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeBrowser, settle } from './fake-environment.js';
import { ENDPOINT, KEY, OTHER_ENDPOINT, RecordingView, jwt, jwtWithPayload, bound, store } from './helpers.js';

const TIMEOUT = { timeoutMs: 10_000 };

function setup(kind: 'local' | 'session' | 'memory' = 'local') {
  const browser = new FakeBrowser();
  const tab = browser.tab();
  const place = tab.owner.place(kind, KEY);
  const view = new RecordingView();
  const slot = place.join(ENDPOINT, view);
  return { browser, tab, place, view, slot, net: browser.network, clock: browser.clock };
}

describe('which token a slot hands out', () => {
  test('a fresh stored token of its own source, without a request', async () => {
    const { browser, slot, net } = setup();
    const token = jwt(browser.clock.now, 300);
    store(browser.local, ENDPOINT, token);
    assert.equal(await slot.token(undefined, TIMEOUT), token);
    assert.equal(net.requests.length, 0);
  });

  test('a fresh stored token at once, even while another tab holds the slot’s request lock (say, stuck in an alert)', async () => {
    const { browser, slot } = setup();
    const token = jwt(browser.clock.now, 300);
    store(browser.local, ENDPOINT, token);
    void browser.locks.request(`returning-ai-widget ${KEY} ${ENDPOINT}`, new AbortController().signal, () => new Promise(() => {}));
    let handed: string | undefined;
    void slot.token(undefined, TIMEOUT).then((value) => (handed = value));
    await settle();
    assert.equal(handed, token);
    assert.deepEqual(slot.state, { inFlight: false, timer: false });
  });

  test('never a token another source obtained: it fetches its own', async () => {
    const { browser, slot, net } = setup();
    store(browser.local, OTHER_ENDPOINT, jwt(browser.clock.now, 300));
    const pending = slot.token(undefined, TIMEOUT);
    await settle();
    assert.equal(net.requests.length, 1);
    assert.equal(net.requests[0]!.url, ENDPOINT);
    const mine = jwt(browser.clock.now, 300);
    net.requests[0]!.answer(200, { token: mine });
    assert.equal(await pending, mine);
    assert.deepEqual(browser.local.items, bound(ENDPOINT, mine));
  });

  // Unbound values: only a JWT with an expiry is a token there (see storage-layout.test.ts).
  for (const [what, value] of [
    ['an opaque string', 'eyJraw.eyJraw.sig'],
    ['a JWT without an expiry', jwtWithPayload({ iat: 1 })],
    ['null', 'null'],
    ['a number', '42'],
    ['an array', '[1,2]'],
    ['a record of the earlier layout', JSON.stringify({ source: ENDPOINT, token: jwtWithPayload({ exp: 2e9 }) })],
    ['broken JSON', '{"source":'],
  ] as const) {
    test(`not ${what} stored without a binding: no throw, a request instead`, async () => {
      const { browser, slot, net } = setup();
      browser.local.items.set(KEY, value);
      const pending = slot.token(undefined, TIMEOUT);
      await settle();
      assert.equal(net.requests.length, 1);
      net.requests[0]!.answer(200, { token: 'opaque-token' });
      assert.equal(await pending, 'opaque-token');
    });
  }

  test('not a stored token that expires within the margin (30 s), nor the one the widget reported expired', async () => {
    const { browser, slot, net, clock } = setup();
    store(browser.local, ENDPOINT, jwt(clock.now - 280_000, 300));
    void slot.token(undefined, TIMEOUT);
    await settle();
    assert.equal(net.requests.length, 1, 'expiring in 20 s');
    net.requests[0]!.answer(200, { token: 'stale' });
    await settle();

    const fresh = jwt(clock.now, 300);
    store(browser.local, ENDPOINT, fresh);
    assert.equal(await slot.token(undefined, { reject: 'other', ...TIMEOUT }), fresh);
    void slot.token(undefined, { reject: fresh, ...TIMEOUT });
    await settle();
    assert.equal(net.requests.length, 2, 'the rejected token is not handed back');
  });

  test('a short-lived token fetched ahead still counts as fresh: the margin is a quarter of its lifetime', async () => {
    const { browser, slot, net, clock } = setup();
    // 40 s lifetime, 25 s left: past a 30 s margin, within a 10 s one.
    store(browser.local, ENDPOINT, jwt(clock.now - 15_000, 40));
    assert.ok(await slot.token(undefined, TIMEOUT));
    assert.equal(net.requests.length, 0);
  });

  test('a token whose claims cannot be read is a token with no known expiry', async () => {
    const { browser, slot, net } = setup();
    for (const payload of [null, 7, [1], 'text', { exp: 'soon' }, { exp: 1e308 }]) {
      const token = jwtWithPayload(payload);
      store(browser.local, ENDPOINT, token);
      assert.equal(await slot.token(undefined, TIMEOUT), token, JSON.stringify(payload));
      slot.delivered(token);
    }
    assert.equal(net.requests.length, 0);
    assert.deepEqual(browser.clock.pending(), [], 'no refresh timer for an unknown expiry');
  });

  test('force skips a fresh stored token', async () => {
    const { browser, slot, net } = setup();
    store(browser.local, ENDPOINT, jwt(browser.clock.now, 300));
    void slot.token(undefined, { force: true, ...TIMEOUT });
    await settle();
    assert.equal(net.requests.length, 1);
  });
});

describe('one request per slot', () => {
  test('concurrent callers share one request and get its token', async () => {
    const { slot, net, place } = setup();
    const other = new RecordingView();
    place.join(ENDPOINT, other);
    const results = Promise.all([slot.token(undefined, TIMEOUT), slot.token(other, TIMEOUT), slot.token(other, TIMEOUT)]);
    await settle();
    assert.equal(net.requests.length, 1);
    assert.deepEqual(slot.state, { inFlight: true, timer: false });
    net.requests[0]!.answer(200, { token: 't1' });
    assert.deepEqual(await results, ['t1', 't1', 't1']);
    assert.deepEqual(slot.state, { inFlight: false, timer: false });
  });

  test('a forced request replaces one sent before it (still one in flight), and every waiting caller gets its token', async () => {
    const { slot, net, place, view } = setup();
    const other = new RecordingView();
    place.join(ENDPOINT, other);
    const earlier = slot.token(view, TIMEOUT); // say, sent before the user signed in
    await settle();
    const forced = slot.token(other, { force: true, ...TIMEOUT }); // authenticate() after the sign-in
    await settle();
    assert.equal(net.requests.length, 2);
    assert.equal(net.requests[0]!.signal.aborted, true, 'the earlier request is aborted: one in flight at a time');
    // A second authenticate() does not join the first one's request either: it may follow another sign-in.
    const again = slot.token(view, { force: true, ...TIMEOUT });
    await settle();
    assert.equal(net.requests.length, 3);
    assert.equal(net.requests[1]!.signal.aborted, true, 'the first forced request is replaced too');
    net.requests[0]!.answerAnyway(401); // too late to count
    net.requests[1]!.answerAnyway(200, { token: 'fetched-before-the-second-call' });
    net.requests[2]!.answer(200, { token: 'fresh' });
    assert.deepEqual(await Promise.all([earlier, forced, again]), ['fresh', 'fresh', 'fresh']);
    assert.deepEqual([view.failures, other.failures], [[], []]);
  });

  test('a forced token renews the other open views of the slot on this page, not the one it answered nor a signed-out one', async () => {
    const { slot, net, place, view } = setup();
    const [other, signedOut] = [new RecordingView(), new RecordingView()];
    place.join(ENDPOINT, other);
    place.join(ENDPOINT, signedOut);
    place.closed.add(signedOut); // a logout signed it out, and it was not reopened
    net.auto = (request) => request.answer(200, { token: `t${net.requests.length}` });
    const token = await slot.token(view, { force: true, ...TIMEOUT });
    assert.deepEqual([view.renewals, other.renewals, signedOut.renewals], [[], [token], []]);
  });

  test('a forced request that fails reports to the views of the request it replaced too', async () => {
    const { slot, net, view, place } = setup();
    const other = new RecordingView();
    place.join(ENDPOINT, other);
    const earlier = slot.token(view, TIMEOUT);
    await settle();
    const forced = slot.token(other, { force: true, ...TIMEOUT });
    await settle();
    net.requests[1]!.answer(401);
    assert.deepEqual(await Promise.all([earlier, forced]), [undefined, undefined]);
    for (const each of [view, other]) assert.deepEqual(each.failures, [{ reason: 'unauthorized', status: 401, retrying: false }]);
  });

  test('only the views waiting on a request hear its failures', async () => {
    const { place, slot, view, net } = setup();
    const bystander = new RecordingView();
    place.join(ENDPOINT, bystander);
    const pending = slot.token(view, TIMEOUT);
    await settle();
    net.requests[0]!.answer(401);
    assert.equal(await pending, undefined);
    assert.deepEqual(view.failures, [{ reason: 'unauthorized', status: 401, retrying: false }]);
    assert.deepEqual(bystander.failures, []);
  });

  test('a failure listener that asks again starts one new request, which a later unforced caller joins', async () => {
    // Memory: no cross-tab lock that would queue a stray third request out of sight.
    const { slot, view, net } = setup('memory');
    let again: Promise<string | undefined> | undefined;
    view.onFailed = (retrying) => {
      if (!retrying) again ??= slot.token(view, { force: true, ...TIMEOUT });
    };
    const first = slot.token(view, TIMEOUT);
    await settle();
    net.requests[0]!.answer(401);
    assert.equal(await first, undefined);
    assert.equal(net.requests.length, 2, 'the listener’s request is a new one');
    const joined = slot.token(view, TIMEOUT);
    await settle();
    assert.equal(net.requests.length, 2, 'and the next caller joins it');
    net.requests[1]!.answer(200, { token: 'second' });
    assert.deepEqual(await Promise.all([again, joined]), ['second', 'second']);
  });

  test('two sources sharing a key keep their own tokens in the page while the stored binding names the last one', async () => {
    const { browser, place, net } = setup();
    const [a, b] = [place.join(ENDPOINT, new RecordingView()), place.join(OTHER_ENDPOINT, new RecordingView())];
    net.auto = (request) => request.answer(200, { token: `from-${request.url.endsWith('other-auth') ? 'b' : 'a'}` });
    assert.equal(await a.token(undefined, TIMEOUT), 'from-a');
    assert.equal(await b.token(undefined, TIMEOUT), 'from-b');
    assert.deepEqual(browser.local.items, bound(OTHER_ENDPOINT, 'from-b'));
    assert.equal(await a.token(undefined, TIMEOUT), 'from-a');
    assert.equal(net.requests.length, 2);
  });

  test('an emptied place gives no token from memory: a logout this page has not heard of yet must not be undone', async () => {
    const { browser, place, slot, net } = setup();
    net.auto = (request) => request.answer(200, { token: 'mine' });
    assert.equal(await slot.token(undefined, TIMEOUT), 'mine');
    browser.local.items.delete(KEY); // removed without this tab's storage event (yet)
    assert.equal(place.read(ENDPOINT), undefined);
    browser.local.items.set(KEY, 'junk');
    assert.equal(place.read(ENDPOINT), undefined);
    store(browser.local, ENDPOINT, ''); // a write that failed blanks the token
    assert.equal(place.read(ENDPOINT), undefined);
  });

  test('two sources in one place have a slot, a request and a token each', async () => {
    const { place, net } = setup();
    const a = place.join(ENDPOINT, new RecordingView());
    const b = place.join(OTHER_ENDPOINT, new RecordingView());
    const tokens = Promise.all([a.token(undefined, TIMEOUT), b.token(undefined, TIMEOUT)]);
    await settle();
    assert.deepEqual(net.requests.map((request) => request.url), [ENDPOINT, OTHER_ENDPOINT]);
    net.requests[0]!.answer(200, { token: 'from-a' });
    net.requests[1]!.answer(200, { token: 'from-b' });
    assert.deepEqual(await tokens, ['from-a', 'from-b']);
  });

  test('the last view to leave aborts the request and frees the slot', async () => {
    const { place, slot, view, net } = setup();
    const pending = slot.token(view, TIMEOUT);
    await settle();
    slot.leave(view);
    assert.equal(net.requests[0]!.signal.aborted, true);
    assert.equal(await pending, undefined);
    assert.equal(place.slots.size, 0);
  });

  test('a view that leaves while others stay leaves the request running', async () => {
    const { place, slot, view, net } = setup();
    const stays = new RecordingView();
    place.join(ENDPOINT, stays);
    const pending = slot.token(view, TIMEOUT);
    await settle();
    slot.leave(view);
    assert.equal(net.requests[0]!.signal.aborted, false);
    net.requests[0]!.answer(200, { token: 't' });
    assert.equal(await pending, 't');
    assert.equal(place.slots.get(ENDPOINT), slot);
  });
});

describe('where the token is kept', () => {
  test('local and session: the token and its binding; memory: nowhere but the page', async () => {
    for (const kind of ['local', 'session', 'memory'] as const) {
      const { browser, slot, net, tab, place } = setup(kind);
      net.auto = (request) => request.answer(200, { token: `t-${kind}` });
      assert.equal(await slot.token(undefined, TIMEOUT), `t-${kind}`);
      const stored = kind === 'local' ? browser.local.items : kind === 'session' ? tab.session.items : new Map();
      assert.deepEqual(stored, kind === 'memory' ? new Map() : bound(ENDPOINT, `t-${kind}`), kind);
      assert.equal(kind === 'local' ? tab.session.items.size : browser.local.items.size, 0, `${kind}: nothing elsewhere`);
      assert.equal(place.read(ENDPOINT), `t-${kind}`);
    }
  });

  test('a provider’s token stays in memory, even with local storage: a function has no identity on the next page view', async () => {
    const { browser, place } = setup();
    const provider = async () => 'from-provider';
    const slot = place.join(provider, new RecordingView());
    assert.equal(await slot.token(undefined, TIMEOUT), 'from-provider');
    assert.equal(browser.local.items.size, 0);
    assert.equal(place.read(provider), 'from-provider');
    assert.equal(place.read(async () => 'from-provider'), undefined, 'another function is another source');
  });

  test('a write that fails blanks the older token (not removes it: other tabs would read a logout) and keeps the new one in memory', async () => {
    const { browser, slot, net, place } = setup();
    const second = browser.tab();
    const secondView = new RecordingView();
    second.owner.place('local', KEY).join(ENDPOINT, secondView);
    store(browser.local, ENDPOINT, 'older');
    browser.local.failWrites = true;
    const pending = slot.token(undefined, { reject: 'older', ...TIMEOUT });
    await settle();
    net.requests[0]!.answer(200, { token: 'newer' });
    assert.equal(await pending, 'newer');
    assert.equal(browser.local.items.get(KEY), '');
    assert.equal(place.read(ENDPOINT), 'newer');
    await settle();
    assert.deepEqual([secondView.logouts, secondView.changes], [0, 1]);
  });

  test('storage that throws on read falls back to memory for the rest of the page', async () => {
    const { browser, slot, net, place } = setup();
    browser.local.failAll = true;
    net.auto = (request) => request.answer(200, { token: 't' });
    assert.equal(await slot.token(undefined, TIMEOUT), 't');
    assert.equal(place.read(ENDPOINT), 't');
    assert.equal(await slot.token(undefined, TIMEOUT), 't');
    assert.equal(net.requests.length, 1);
    // Storage that works again is not trusted again: what it holds may be stale.
    browser.local.failAll = false;
    store(browser.local, ENDPOINT, 'written-meanwhile');
    assert.equal(place.read(ENDPOINT), 't');
  });

  test('after a read that failed, nothing more is written to that storage either', async () => {
    const { browser, slot, net, place } = setup();
    browser.local.failReads = true;
    net.auto = (request) => request.answer(200, { token: 't' });
    assert.equal(await slot.token(undefined, TIMEOUT), 't');
    assert.equal(browser.local.items.size, 0, 'kept in memory, not in a storage that cannot be read back');
    assert.equal(place.read(ENDPOINT), 't');
  });

  test('a provider and an endpoint in one local place: the provider’s token in memory, the endpoint’s stored', async () => {
    const { browser, place, net } = setup();
    const provider = place.join(async () => 'p', new RecordingView());
    const endpoint = place.join(ENDPOINT, new RecordingView());
    assert.equal(await provider.token(undefined, TIMEOUT), 'p');
    net.auto = (request) => request.answer(200, { token: 'e' });
    assert.equal(await endpoint.token(undefined, TIMEOUT), 'e');
    assert.deepEqual(browser.local.items, bound(ENDPOINT, 'e'));
  });

  test('a provider’s slot in a local place takes no cross-tab lock, neither to refresh nor to request', async () => {
    const { browser, place } = setup();
    let resolve!: (token: string) => void;
    const slot = place.join(() => new Promise<string>((done) => (resolve = done)), new RecordingView());
    const pending = slot.token(undefined, TIMEOUT);
    await settle();
    assert.deepEqual([...browser.locks.held], [`returning-ai-widget leader ${KEY} ${ENDPOINT}`], 'only the endpoint slot’s');
    resolve('p');
    assert.equal(await pending, 'p');
  });
});
