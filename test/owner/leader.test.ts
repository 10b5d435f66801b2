// One refresher per shared slot: the tab holding the slot's leader lock runs its refresh-ahead timer, the others take
// each new token from its storage event (renewed), and the lock passes on when the leader's slot ends or its tab closes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeBrowser, settle } from './fake-environment.js';
import { BINDING, ENDPOINT, KEY, OTHER_ENDPOINT, RecordingView, bound, jwt, store } from './helpers.js';
import type { TokenSlot, TokenView } from '../../src/core/token-owner.js';

const TIMEOUT = { timeoutMs: 10_000 };
const LEADER_LOCK = `returning-ai-widget leader ${KEY} ${ENDPOINT}`;

/** A browser whose endpoint answers every request at once with a new `lifetime` s token; `tabs` tabs on one local slot. */
function setup(tabs = 2, { lifetime = 300, locks = true } = {}) {
  const browser = new FakeBrowser();
  browser.network.auto = (request) => request.answer(200, { token: jwt(browser.clock.now, lifetime) });
  const opened = Array.from({ length: tabs }, () => {
    const tab = browser.tab({ locks });
    const view = new RecordingView();
    const slot = tab.owner.place('local', KEY).join(ENDPOINT, view);
    return { ...tab, view, slot };
  });
  return { browser, clock: browser.clock, net: browser.network, tabs: opened };
}

/** Every tab's view signs in as on page load: the first tab fetches, the others find its token stored. */
async function signIn(slots: TokenSlot[]): Promise<string> {
  let token!: string;
  for (const slot of slots) {
    token = (await slot.token(undefined, TIMEOUT))!;
    slot.delivered(token);
    await settle();
  }
  return token;
}

describe('one refresher per shared slot', () => {
  test('only the first tab to join runs the timer; the others hear each new token, lifetime after lifetime', async () => {
    const { browser, clock, net, tabs } = setup(3);
    const first = await signIn(tabs.map((tab) => tab.slot));
    assert.equal(net.requests.length, 1);
    assert.deepEqual(clock.pending(), [240_000], 'one timer, in the first tab');
    const renewals: string[][] = tabs.map(() => []);
    tabs.forEach(({ view }, i) => (view.onRenewed = (token) => renewals[i]!.push(token)));
    for (let lifetime = 1; lifetime <= 5; lifetime++) {
      await clock.advance(240_000);
      assert.equal(net.requests.length, 1 + lifetime, `one request in lifetime ${lifetime}`);
      // The new token is stored; the leader runs the next lifetime's timer without any widget asking.
      assert.deepEqual(clock.pending(), [240_000]);
    }
    const stored = browser.local.items.get(KEY)!;
    assert.deepEqual(browser.local.items, bound(ENDPOINT, stored));
    // Every tab's views heard each new token once: the leader after its request, the others from the storage event.
    for (const heard of renewals) {
      assert.equal(heard.length, 5);
      assert.equal(heard.at(-1), stored);
      assert.equal(new Set(heard).size, 5);
      assert.ok(!heard.includes(first));
    }
  });

  test('tabs whose timers are due together, with writes reaching the other tab late, make one request', async () => {
    // The review's case: the other tab reads the old token until the write reaches its process.
    const { browser, clock, net, tabs } = setup(2);
    const first = await signIn(tabs.map((tab) => tab.slot));
    browser.local.lag = true;
    net.auto = undefined;
    await clock.advance(240_000);
    assert.equal(net.requests.length, 2, 'the sign-in, and the leader’s refresh');
    const next = jwt(clock.now, 300);
    net.requests[1]!.answer(200, { token: next });
    await clock.advance(1_000);
    assert.equal(tabs[1]!.owner.place('local', KEY).read(ENDPOINT), first, 'the other tab still sees the old token');
    assert.equal(net.requests.length, 2, 'and did not fetch one more');
    browser.local.deliver();
    assert.equal(tabs[1]!.view.renewals.at(-1), next, 'it takes the new one when the write arrives');
  });

  test('a follower’s delivered token sets no timer; its widget asking again takes the token the leader stored', async () => {
    const { clock, net, tabs } = setup(2);
    const first = await signIn(tabs.map((tab) => tab.slot));
    assert.deepEqual(clock.pending(), [240_000]);
    await clock.advance(240_000);
    const follower = tabs[1]!.slot;
    const next = await follower.token(tabs[1]!.view, { reject: first, ...TIMEOUT });
    assert.notEqual(next, first);
    follower.delivered(next!);
    assert.equal(net.requests.length, 2);
    assert.deepEqual(clock.pending(), [240_000], 'still the leader’s timer alone');
  });

  test('when the leader’s slot ends, the next tab in line arms the timer from the stored token', async () => {
    const { clock, net, tabs } = setup(3);
    await signIn(tabs.map((tab) => tab.slot));
    await clock.advance(100_000);
    tabs[0]!.slot.leave(tabs[0]!.view);
    await settle();
    // Planned from the time left, as every timer is: a quarter of 200 s ahead.
    assert.deepEqual(clock.pending(), [150_000], 'the second tab’s timer, and no other');
    await clock.advance(150_000);
    assert.equal(net.requests.length, 2);
    tabs[1]!.slot.leave(tabs[1]!.view);
    await settle();
    assert.deepEqual(clock.pending(), [240_000], 'the third tab, from the token the second stored');
  });

  test('when the leader’s tab closes (none of its code runs), the lock passes on just the same', async () => {
    const { clock, net, tabs } = setup(2);
    await signIn(tabs.map((tab) => tab.slot));
    await clock.advance(100_000);
    tabs[0]!.close();
    await settle();
    await clock.advance(150_000);
    assert.equal(net.requests.length, 2, 'the second tab refreshed, the closed one did not');
    assert.deepEqual(clock.pending(), [240_000]);
  });

  test('the new leader arms from the stored token, newer than the one its own widget was handed', async () => {
    const { browser, clock, tabs } = setup(2);
    const [leader, follower] = tabs;
    const old = jwt(clock.now, 300);
    follower!.slot.delivered(old);
    await clock.advance(60_000);
    store(browser.local, ENDPOINT, jwt(clock.now, 300)); // stored by the leader meanwhile
    leader!.slot.leave(leader!.view);
    await settle();
    assert.deepEqual(clock.pending(), [240_000]);
  });

  test('a tab leaves the line when its slot ends while it waits: the lock then goes to the tab after it', async () => {
    const { browser, clock, tabs } = setup(3);
    await signIn(tabs.map((tab) => tab.slot));
    tabs[1]!.slot.leave(tabs[1]!.view);
    tabs[0]!.slot.leave(tabs[0]!.view);
    await settle();
    assert.deepEqual([...browser.locks.held], [LEADER_LOCK]);
    assert.deepEqual(clock.pending(), [240_000], 'the third tab leads');
    tabs[2]!.slot.leave(tabs[2]!.view);
    await settle();
    assert.deepEqual([...browser.locks.held], [], 'released by the last');
    assert.deepEqual(clock.pending(), []);
  });

  test('the leader’s timer moves to a newer token another tab stored (a widget’s request, authenticate())', async () => {
    const { clock, net, tabs } = setup(2);
    await signIn(tabs.map((tab) => tab.slot));
    tabs.forEach(({ view }) => (view.renewals.length = 0)); // the second tab heard of the first token
    await clock.advance(100_000);
    const forced = await tabs[1]!.slot.token(tabs[1]!.view, { force: true, ...TIMEOUT });
    await settle();
    assert.equal(net.requests.length, 2);
    assert.deepEqual(clock.pending(), [240_000], 'the leader now replaces the forced token');
    assert.deepEqual(tabs[0]!.view.renewals, [forced]);
    assert.deepEqual(tabs[1]!.view.renewals, [], 'the tab that asked got it as the answer');
  });

  test('a logout stops the leader’s timer; it keeps the lead, and arms again for the next token stored', async () => {
    const { browser, clock, tabs } = setup(2);
    await signIn(tabs.map((tab) => tab.slot));
    tabs[1]!.owner.logout('local', KEY);
    await settle();
    assert.deepEqual(clock.pending(), []);
    assert.deepEqual([...browser.locks.held], [LEADER_LOCK]);
    tabs[1]!.slot.reopen(tabs[1]!.view); // authenticate() after a new sign-in
    await tabs[1]!.slot.token(tabs[1]!.view, { force: true, ...TIMEOUT });
    await settle();
    assert.deepEqual(clock.pending(), [240_000]);
  });

  test('session slots are each tab’s own: every tab runs its own timer', async () => {
    const browser = new FakeBrowser();
    browser.network.auto = (request) => request.answer(200, { token: jwt(browser.clock.now, 300) });
    for (let i = 0; i < 2; i++) {
      const { owner } = browser.tab();
      const slot = owner.place('session', KEY).join(ENDPOINT, new RecordingView());
      slot.delivered((await slot.token(undefined, TIMEOUT))!);
    }
    assert.deepEqual(browser.clock.pending(), [240_000, 240_000]);
    assert.deepEqual([...browser.locks.held], []);
  });
});

describe('where the lock cannot elect anyone, each tab refreshes on its own', () => {
  test('without the Web Locks API', async () => {
    const { clock, net, tabs } = setup(2, { locks: false });
    await signIn(tabs.map((tab) => tab.slot));
    assert.deepEqual(clock.pending(), [240_000, 240_000]);
    net.auto = undefined; // both requests in flight at once
    await clock.advance(240_000);
    assert.equal(net.requests.length, 3, 'both tabs refreshed');
  });

  test('where the lock is refused (an opaque origin, blocked site data)', async () => {
    const browser = new FakeBrowser();
    browser.network.auto = (request) => request.answer(200, { token: jwt(browser.clock.now, 300) });
    const slots = [browser.tab(), browser.tab()].map(({ owner, env }) => {
      env.lock = () => Promise.reject(new DOMException('Access to the Locks API is denied in this context.', 'SecurityError'));
      return owner.place('local', KEY).join(ENDPOINT, new RecordingView());
    });
    await settle();
    await signIn(slots);
    assert.deepEqual(browser.clock.pending(), [240_000, 240_000]);
  });
});

describe('renewed: views hear of a newer fresh token of their source', () => {
  test('after this tab’s refresh-ahead request, on every view of the slot and on no other slot’s', async () => {
    const { browser, clock, tabs } = setup(1);
    const [{ owner, slot, view }] = tabs as [(typeof tabs)[0]];
    const sibling = new RecordingView();
    owner.place('local', KEY).join(ENDPOINT, sibling);
    const elsewhere = new RecordingView();
    owner.place('local', 'other-key').join(ENDPOINT, elsewhere);
    const other = new RecordingView();
    owner.place('local', KEY).join(OTHER_ENDPOINT, other);
    slot.delivered((await slot.token(view, TIMEOUT))!);
    await clock.advance(240_000);
    const stored = browser.local.items.get(KEY)!;
    assert.deepEqual([view.renewals, sibling.renewals, elsewhere.renewals, other.renewals], [[stored], [stored], [], []]);
  });

  test('not after an on-demand request of this tab: the view that asked gets it as the answer', async () => {
    const { tabs } = setup(1);
    await tabs[0]!.slot.token(tabs[0]!.view, TIMEOUT);
    await tabs[0]!.slot.token(tabs[0]!.view, { force: true, ...TIMEOUT });
    assert.deepEqual(tabs[0]!.view.renewals, []);
  });

  test('not for a refresh that failed, nor for one whose generation a logout ended in the turn its answer came in', async () => {
    const { browser, clock, net, tabs } = setup(1);
    const { owner, slot, view } = tabs[0]!;
    slot.delivered((await slot.token(view, TIMEOUT))!);
    net.auto = (request) => request.answer(401);
    await clock.advance(240_000);
    assert.deepEqual(view.renewals, []);
    slot.delivered((await slot.token(view, { force: true, ...TIMEOUT }).catch(() => undefined)) ?? jwt(clock.now, 300));
    net.auto = (request) => {
      request.answer(200, { token: jwt(browser.clock.now, 300) });
      // The logout lands in the same turn, after the answer: the refresh's token is of an ended generation.
      void Promise.resolve().then(() => owner.logout('local', KEY));
    };
    await clock.advance(240_000);
    assert.deepEqual(view.renewals, []);
    assert.deepEqual(clock.pending(), [], 'and no timer for it');
  });

  test('never for a refresh whose answer came in the turn of a logout, wherever in that turn the logout lands', async () => {
    // The logout lands 0, 1, 2… promise jobs after the answer: some of those points come after the request is
    // settled with its token and before the slot hears of it, the last ones after its views heard of it.
    for (let jobs = 0; jobs < 25; jobs++) {
      const browser = new FakeBrowser();
      const { owner } = browser.tab();
      const view = new RecordingView();
      let atLogout: number | undefined;
      view.onLogout = () => (atLogout = view.renewals.length);
      const slot = owner.place('local', KEY).join(ENDPOINT, view);
      slot.delivered(jwt(browser.clock.now, 300));
      browser.network.auto = (request) => {
        let chain = Promise.resolve();
        for (let i = 0; i < jobs; i++) chain = chain.then(() => {});
        void chain.then(() => owner.logout('local', KEY));
        request.answer(200, { token: jwt(browser.clock.now, 300) });
      };
      await browser.clock.advance(240_000);
      // A logout that lands once the views heard of the token comes after it; none may come after the logout.
      assert.equal(view.renewals.length, atLogout, `logout ${jobs} jobs after the answer`);
      assert.deepEqual(browser.clock.pending(), [], `no timer after a logout ${jobs} jobs after the answer`);
    }
  });

  test('a view without renewed() is passed over; the others still hear', async () => {
    const { browser, clock, tabs } = setup(2);
    const { owner, view } = tabs[1]!;
    const bare: TokenView = { failed() {}, loggedOut() {}, changed() {} };
    owner.place('local', KEY).join(ENDPOINT, bare);
    const next = jwt(clock.now, 300);
    store(browser.local, ENDPOINT, next);
    owner.storageChanged('local', BINDING, bound(ENDPOINT, next).get(BINDING)!);
    assert.deepEqual(view.renewals, [next]);
  });

  test('not for another source’s token, though this tab holds one of its own source in memory', async () => {
    const { browser, clock, tabs } = setup(2);
    const { owner, slot, view } = tabs[1]!;
    await slot.token(view, TIMEOUT); // fetched here: in this page's memory, and not handed to a widget yet
    await settle();
    view.renewals.length = 0;
    const theirs = jwt(clock.now, 300);
    store(browser.local, OTHER_ENDPOINT, theirs);
    owner.storageChanged('local', BINDING, bound(OTHER_ENDPOINT, theirs).get(BINDING)!);
    assert.deepEqual(view.renewals, []);
  });

  test('a token stored under another key that merely begins like this one renews nothing here', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    const view = new RecordingView();
    owner.place('local', 'widget').join(ENDPOINT, view);
    const token = jwt(browser.clock.now, 300);
    store(browser.local, ENDPOINT, token, 'widget'); // bound, and not heard of yet
    owner.storageChanged('local', 'widget-backup', 'x'); // as long as the binding suffix, longer by it
    assert.deepEqual(view.renewals, []);
    owner.storageChanged('local', 'widget.source', bound(ENDPOINT, token, 'widget').get('widget.source')!);
    assert.deepEqual(view.renewals, [token]);
  });

  test('in another tab: once the token’s binding is in, once per token, and only for a fresh token of its source', async () => {
    const { browser, clock, tabs } = setup(2);
    const [, { owner, view }] = tabs as [unknown, (typeof tabs)[1]];
    const hear = (key: string, value: string) => owner.storageChanged('local', key, value);
    const put = (items: Map<string, string>) => items.forEach((value, key) => browser.local.items.set(key, value));

    // The token arrives before its binding (writes reach other tabs in order, one by one): ignored until it does.
    const next = jwt(clock.now, 300);
    const pair = bound(ENDPOINT, next);
    browser.local.items.set(KEY, next);
    hear(KEY, next);
    assert.deepEqual(view.renewals, []);
    put(pair);
    hear(BINDING, pair.get(BINDING)!);
    assert.deepEqual(view.renewals, [next]);
    hear(KEY, next); // heard again (both keys' events, or a write of the same pair)
    assert.deepEqual(view.renewals, [next]);

    // Another source's token, the snippet's (unbound), a stale one: none is renewed.
    const others = [bound(OTHER_ENDPOINT, jwt(clock.now, 300)), new Map([[KEY, jwt(clock.now, 300)]]), bound(ENDPOINT, jwt(clock.now - 290_000, 300))];
    for (const items of others) {
      browser.local.items.delete(BINDING);
      put(items);
      hear(KEY, items.get(KEY)!);
    }
    assert.deepEqual(view.renewals, [next]);
    assert.equal(view.changes, 5, 'each stored token still tells the view the session may have changed');
  });

  test('a follower’s widget handed the stored token before its storage event came hears nothing more of it', async () => {
    const { browser, clock, tabs } = setup(2);
    const { owner, slot, view } = tabs[1]!;
    const next = jwt(clock.now, 300);
    store(browser.local, ENDPOINT, next);
    slot.delivered((await slot.token(view, TIMEOUT))!);
    owner.storageChanged('local', BINDING, bound(ENDPOINT, next).get(BINDING)!);
    assert.deepEqual(view.renewals, []);
  });
});
