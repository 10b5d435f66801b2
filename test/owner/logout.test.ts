// Logout ends a generation everywhere: in this tab, in other copies on the page, in other tabs, in every storage kind.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeBrowser, settle } from './fake-environment.js';
import { ENDPOINT, KEY, OTHER_ENDPOINT, RecordingView, jwt, bound, store } from './helpers.js';

const TIMEOUT = { timeoutMs: 10_000 };

describe('logout in this tab', () => {
  test('aborts the request in flight; a late answer is never stored nor handed out', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    const view = new RecordingView();
    const slot = owner.place('local', KEY).join(ENDPOINT, view);
    const pending = slot.token(view, TIMEOUT);
    await settle();
    owner.logout('local', KEY);
    const request = browser.network.requests[0]!;
    assert.equal(request.signal.aborted, true);
    request.answerAnyway(200, { token: 'late' }); // a fetch that ignores its signal
    assert.equal(await pending, undefined);
    assert.equal(browser.local.items.get(KEY), undefined);
    assert.equal(owner.place('local', KEY).read(ENDPOINT), undefined);
    assert.equal(view.logouts, 1);
    assert.deepEqual(view.failures, [], 'an abort is not a failure');
  });

  test('discards an answer that resolves after the logout even when the request was not aborted in time', async () => {
    const browser = new FakeBrowser();
    const { owner, env } = browser.tab({ locks: false });
    // A provider that ignores its signal and answers after the logout.
    let release!: (token: string) => void;
    const provider = () => new Promise<string>((resolve) => (release = resolve));
    const slot = owner.place('memory', KEY).join(provider, new RecordingView());
    const pending = slot.token(undefined, TIMEOUT);
    await settle();
    owner.logout('memory', KEY);
    release('late');
    assert.equal(await pending, undefined);
    assert.equal(owner.place('memory', KEY).read(provider), undefined);
    assert.ok(env);
  });

  test('voids an answer that settles in the same turn as the logout: not stored, not handed out', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    const place = owner.place('local', KEY);
    // The endpoint's answer and the logout race within one turn of the event loop.
    browser.network.auto = (request) => {
      request.answer(200, { token: 'same-turn' });
      queueMicrotask(() => owner.logout('local', KEY));
    };
    const slot = place.join(ENDPOINT, new RecordingView());
    assert.equal(await slot.token(undefined, TIMEOUT), undefined);
    await settle();
    assert.equal(browser.local.items.has(KEY), false);
    assert.equal(place.read(ENDPOINT), undefined);
  });

  test('never keeps a token past a logout, wherever in the same turn the logout lands', async () => {
    // The logout lands 0, 1, 2… promise jobs after the answer: some of those points come after the request can
    // still be aborted and before the token is stored. At none of them may the token outlive the logout.
    for (let jobs = 0; jobs < 25; jobs++) {
      const browser = new FakeBrowser();
      const { owner } = browser.tab();
      const place = owner.place('local', KEY);
      const provider = () => {
        let chain = Promise.resolve();
        for (let i = 0; i < jobs; i++) chain = chain.then(() => {});
        void chain.then(() => owner.logout('local', KEY));
        return Promise.resolve('same-turn');
      };
      const slot = place.join(provider, new RecordingView());
      await slot.token(undefined, TIMEOUT);
      await settle();
      assert.equal(place.read(provider), undefined, `logout ${jobs} jobs after the answer`);
    }
  });

  test('aborts a request waiting in retry backoff: no further attempt', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    const view = new RecordingView();
    const slot = owner.place('local', KEY).join(ENDPOINT, view);
    const pending = slot.token(view, TIMEOUT);
    await settle();
    browser.network.requests[0]!.answer(503);
    await settle();
    assert.deepEqual(view.failures, [{ reason: 'http', status: 503, retrying: true }]);
    owner.logout('local', KEY);
    await browser.clock.advance(5_000);
    assert.equal(browser.network.requests.length, 1);
    assert.equal(await pending, undefined);
    assert.deepEqual(browser.clock.pending(), []);
  });

  test('removes every token of the place, stops its timers, and tells every view of every source in it', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    const place = owner.place('local', KEY);
    const [a, b, elsewhere] = [new RecordingView(), new RecordingView(), new RecordingView()];
    const slotA = place.join(ENDPOINT, a);
    place.join(OTHER_ENDPOINT, b);
    owner.place('local', 'another-key').join(ENDPOINT, elsewhere);
    const token = jwt(browser.clock.now, 300);
    store(browser.local, ENDPOINT, token);
    slotA.delivered(token);
    assert.equal(browser.clock.pending().length, 1);
    owner.logout('local', KEY);
    assert.equal(browser.local.items.has(KEY), false);
    assert.deepEqual(browser.clock.pending(), []);
    assert.deepEqual([a.logouts, b.logouts, elsewhere.logouts], [1, 1, 0]);
  });

  test('the next request after a logout is of the new generation, and is kept', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    const slot = owner.place('local', KEY).join(ENDPOINT, new RecordingView());
    owner.logout('local', KEY);
    const pending = slot.token(undefined, TIMEOUT);
    await settle();
    browser.network.requests[0]!.answer(200, { token: 'next' });
    assert.equal(await pending, 'next');
    assert.deepEqual(browser.local.items, bound(ENDPOINT, 'next'));
  });

  test('a view that reacts to the logout by signing in again (authenticate()) starts a request of the new generation', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    const view = new RecordingView();
    const slot = owner.place('local', KEY).join(ENDPOINT, view);
    let again: Promise<string | undefined> | undefined;
    view.onLogout = () => {
      slot.reopen(view);
      again = slot.token(view, { force: true, ...TIMEOUT });
    };
    void slot.token(view, TIMEOUT);
    await settle();
    owner.logout('local', KEY);
    await settle();
    assert.equal(browser.network.requests.length, 2);
    browser.network.requests[1]!.answer(200, { token: 'after' });
    assert.equal(await again, 'after');
  });
});

describe('logout or removal from inside a failure report', () => {
  // A page's rai-auth-failure listener runs synchronously inside the report of a retrying failure. If it logs out
  // (or removes the last element), the request is aborted before fetchToken starts its backoff wait, whose abort
  // listener is then added to an already-aborted signal and never fires: the backoff runs out, and the next attempt
  // calls the provider again, after the logout, with an aborted signal.
  for (const how of ['logout', 'removal'] as const) {
    test(`a ${how} from a listener of a retrying failure makes no further attempt and leaves no timer`, async () => {
      const browser = new FakeBrowser();
      const { owner } = browser.tab();
      const place = owner.place('memory', KEY);
      let calls = 0;
      const provider = async () => {
        calls++;
        throw new Error('backend down');
      };
      const view = new RecordingView();
      const slot = place.join(provider, view);
      view.onFailed = (retrying) => {
        if (!retrying) return;
        if (how === 'logout') owner.logout('memory', KEY);
        else slot.leave(view);
      };
      const pending = slot.token(view, TIMEOUT);
      await settle();
      assert.equal(calls, 1);
      await browser.clock.advance(5_000);
      assert.equal(calls, 1, `the provider was called again ${calls - 1} time(s) after the ${how}`);
      assert.equal(await pending, undefined);
      assert.deepEqual(browser.clock.pending(), []);
    });
  }
});

describe('logout across tabs and copies', () => {
  for (const kind of ['local', 'session', 'memory'] as const) {
    test(`another tab’s logout of ${kind} storage reaches this tab over the channel, aborting its request`, async () => {
      const browser = new FakeBrowser();
      const here = browser.tab();
      const there = browser.tab();
      const view = new RecordingView();
      const slot = here.owner.place(kind, KEY).join(ENDPOINT, view);
      const pending = slot.token(view, TIMEOUT);
      await settle();
      there.owner.logout(kind, KEY);
      await settle();
      assert.equal(view.logouts, 1);
      assert.equal(browser.network.requests[0]!.signal.aborted, true);
      assert.equal(await pending, undefined);
      // The news is not sent on again: one message per logout.
      assert.deepEqual(browser.channel.sent, [{ type: 'logout', kind, key: KEY }]);
      if (kind === 'session') assert.equal(here.session.items.has(KEY), false);
    });
  }

  test('a tab without BroadcastChannel still logs out locally, and the storage event tells the others', async () => {
    const browser = new FakeBrowser();
    const lonely = browser.tab({ broadcast: false });
    const other = browser.tab();
    const [view, otherView] = [new RecordingView(), new RecordingView()];
    lonely.owner.place('local', KEY).join(ENDPOINT, view);
    other.owner.place('local', KEY).join(ENDPOINT, otherView);
    store(browser.local, ENDPOINT, 't');
    lonely.owner.logout('local', KEY);
    await settle();
    assert.deepEqual([view.logouts, otherView.logouts], [1, 1]);
    assert.deepEqual(browser.channel.sent, [], 'hearing it from storage, the other tab does not broadcast it again');
  });

  test('another tab removing the key (the vendor snippet’s logout) is a logout here', async () => {
    const browser = new FakeBrowser();
    const here = browser.tab({ broadcast: false });
    const view = new RecordingView();
    const slot = here.owner.place('local', KEY).join(ENDPOINT, view);
    store(browser.local, ENDPOINT, 'stored');
    const pending = slot.token(view, { force: true, ...TIMEOUT });
    await settle();
    browser.local.removeItem(KEY); // from another tab: this tab hears a storage event
    await settle();
    assert.equal(view.logouts, 1);
    assert.equal(await pending, undefined);
    browser.network.requests[0]!.answerAnyway(200, { token: 'late' });
    await settle();
    assert.equal(browser.local.items.has(KEY), false);
  });

  test('clearing the whole area logs out every place of that kind, and only those', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    const [a, b, session] = [new RecordingView(), new RecordingView(), new RecordingView()];
    owner.place('local', 'one').join(ENDPOINT, a);
    owner.place('local', 'two').join(ENDPOINT, b);
    owner.place('session', 'one').join(ENDPOINT, session);
    owner.storageChanged('local', null, null);
    assert.deepEqual([a.logouts, b.logouts, session.logouts], [1, 1, 0]);
    assert.deepEqual(browser.channel.sent, [], 'news from storage is not broadcast again');
  });

  test('a token another tab stores tells the place’s views the session may have changed; other keys change nothing', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    const view = new RecordingView();
    owner.place('local', KEY).join(ENDPOINT, view);
    owner.storageChanged('local', 'unrelated', 'x');
    owner.storageChanged('local', 'unrelated.source', 'x'); // a binding of a place this tab does not use
    owner.storageChanged('local', 'unrelated', null);
    owner.storageChanged('session', KEY, null);
    assert.deepEqual([view.logouts, view.changes], [0, 0]);
    owner.storageChanged('local', KEY, 'new');
    assert.deepEqual([view.logouts, view.changes], [0, 1]);
  });

  test('junk on the channel is ignored', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    const view = new RecordingView();
    owner.place('local', KEY).join(ENDPOINT, view);
    for (const junk of [null, undefined, 42, 'logout', [], {}, { type: 'logout' }, { type: 'logout', kind: 'cookie', key: KEY }, { type: 'logout', kind: ['local'], key: KEY }, { type: 'logout', kind: 'local', key: 7 }, { type: 'login', kind: 'local', key: KEY }]) {
      owner.received(junk);
    }
    assert.equal(view.logouts, 0);
    owner.received({ type: 'logout', kind: 'local', key: KEY });
    assert.equal(view.logouts, 1);
  });

  test('a message naming a key that is not a string removes nothing', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    browser.local.items.set('7', 'the host app’s own data');
    owner.received({ type: 'logout', kind: 'local', key: 7 });
    assert.equal(browser.local.items.get('7'), 'the host app’s own data');
  });
});

describe('one refresh across tabs (Web Locks)', () => {
  test('two tabs refreshing one local slot at once make one request; the second takes the token the first stored', async () => {
    const browser = new FakeBrowser();
    const tabs = [browser.tab(), browser.tab()];
    const slots = tabs.map(({ owner }) => owner.place('local', KEY).join(ENDPOINT, new RecordingView()));
    const results = Promise.all(slots.map((slot) => slot.token(undefined, TIMEOUT)));
    await settle();
    assert.equal(browser.network.requests.length, 1);
    browser.network.requests[0]!.answer(200, { token: 'shared' });
    assert.deepEqual(await results, ['shared', 'shared']);
    assert.equal(browser.network.requests.length, 1);
  });

  test('the tab second in line does not take the token its widget reported expired, even if the first stored it', async () => {
    const browser = new FakeBrowser();
    const [first, second] = [browser.tab(), browser.tab()];
    void first.owner.place('local', KEY).join(ENDPOINT, new RecordingView()).token(undefined, TIMEOUT);
    await settle();
    const waiting = second.owner.place('local', KEY).join(ENDPOINT, new RecordingView()).token(undefined, { reject: 'expired', ...TIMEOUT });
    await settle();
    browser.network.requests[0]!.answer(200, { token: 'expired' }); // a broken backend re-sends it
    await settle();
    assert.equal(browser.network.requests.length, 2);
    browser.network.requests[1]!.answer(200, { token: 'new' });
    assert.equal(await waiting, 'new');
  });

  test('a forced request never takes a token another tab’s earlier request stored while it waited for the lock', async () => {
    const browser = new FakeBrowser();
    const [first, second] = [browser.tab(), browser.tab()];
    const earlier = first.owner.place('local', KEY).join(ENDPOINT, new RecordingView()).token(undefined, TIMEOUT);
    await settle();
    // authenticate() in the second tab, say after a sign-in as another user: the first tab's request was sent before.
    const forced = second.owner.place('local', KEY).join(ENDPOINT, new RecordingView()).token(undefined, { force: true, ...TIMEOUT });
    await settle();
    browser.network.requests[0]!.answer(200, { token: 'sent-before-the-call' });
    assert.equal(await earlier, 'sent-before-the-call');
    await settle();
    assert.equal(browser.network.requests.length, 2, 'the forced request fetches its own');
    browser.network.requests[1]!.answer(200, { token: 'fetched-after-the-call' });
    assert.equal(await forced, 'fetched-after-the-call');
  });

  test('a forced refresh still fetches when nobody stored anything new meanwhile', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    store(browser.local, ENDPOINT, jwt(browser.clock.now, 300));
    const slot = owner.place('local', KEY).join(ENDPOINT, new RecordingView());
    void slot.token(undefined, { force: true, ...TIMEOUT });
    await settle();
    assert.equal(browser.network.requests.length, 1);
  });

  test('without the Web Locks API each tab refreshes on its own', async () => {
    const browser = new FakeBrowser();
    const tabs = [browser.tab({ locks: false }), browser.tab({ locks: false })];
    const slots = tabs.map(({ owner }) => owner.place('local', KEY).join(ENDPOINT, new RecordingView()));
    slots.forEach((slot) => void slot.token(undefined, TIMEOUT));
    await settle();
    assert.equal(browser.network.requests.length, 2);
  });

  test('a logout aborts a request still waiting for the lock', async () => {
    const browser = new FakeBrowser();
    const [first, second] = [browser.tab(), browser.tab()];
    void first.owner.place('local', KEY).join(ENDPOINT, new RecordingView()).token(undefined, TIMEOUT);
    await settle();
    const waiting = second.owner.place('local', KEY).join(ENDPOINT, new RecordingView()).token(undefined, TIMEOUT);
    await settle();
    second.owner.logout('local', KEY, false);
    assert.equal(await waiting, undefined);
    browser.network.requests[0]!.answer(200, { token: 'first' });
    await settle();
    assert.equal(browser.network.requests.length, 1);
  });

  test('where the lock is refused (an opaque origin, blocked site data), the tab fetches without it', async () => {
    const browser = new FakeBrowser();
    const { owner, env } = browser.tab();
    env.lock = () => Promise.reject(new DOMException('Access to the Locks API is denied in this context.', 'SecurityError'));
    const slot = owner.place('local', KEY).join(ENDPOINT, new RecordingView());
    browser.network.auto = (request) => request.answer(200, { token: 't' });
    assert.equal(await slot.token(undefined, TIMEOUT), 't');
  });

  test('a lock another tab holds and never lets go is waited for no longer than the request’s timeout', async () => {
    const browser = new FakeBrowser();
    const { owner } = browser.tab();
    // Another tab, stuck (an alert, a debugger) while holding the slot's lock.
    void browser.locks.request(`returning-ai-widget ${KEY} ${ENDPOINT}`, new AbortController().signal, () => new Promise(() => {}));
    await settle();
    const slot = owner.place('local', KEY).join(ENDPOINT, new RecordingView());
    const pending = slot.token(undefined, { timeoutMs: 1_000 });
    await browser.clock.advance(999);
    assert.equal(browser.network.requests.length, 0);
    await browser.clock.advance(1);
    assert.equal(browser.network.requests.length, 1, 'it went ahead without the lock');
    browser.network.requests[0]!.answer(200, { token: 't' });
    assert.equal(await pending, 't');
    assert.deepEqual(browser.clock.pending(), []);
  });

  test('session and memory slots never take the lock: they are this tab’s own', async () => {
    const browser = new FakeBrowser();
    const tabs = [browser.tab(), browser.tab()];
    for (const kind of ['session', 'memory'] as const) {
      tabs.forEach(({ owner }) => void owner.place(kind, KEY).join(ENDPOINT, new RecordingView()).token(undefined, TIMEOUT));
    }
    await settle();
    assert.equal(browser.network.requests.length, 4);
    assert.equal(browser.locks.held.size, 0);
  });
});
