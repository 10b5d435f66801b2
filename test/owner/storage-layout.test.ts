// The storage layout shared with the vendor's snippet: the raw token under the key, its binding beside it under
// `<key>.source`. Pages still on the snippet read our tokens; we take theirs; a binding counts only for its own token.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeBrowser, settle } from './fake-environment.js';
import { BINDING, ENDPOINT, KEY, OTHER_ENDPOINT, RecordingView, bound, jwt, store } from './helpers.js';

const TIMEOUT = { timeoutMs: 10_000 };

function setup() {
  const browser = new FakeBrowser();
  const tab = browser.tab();
  const place = tab.owner.place('local', KEY);
  const view = new RecordingView();
  const slot = place.join(ENDPOINT, view);
  return { browser, tab, place, view, slot, net: browser.network, clock: browser.clock };
}

describe('the layout', () => {
  test('the raw token under the key, as the snippet keeps it; beside it its last 16 characters and its source', async () => {
    const { browser, slot, net } = setup();
    const token = jwt(browser.clock.now, 300);
    net.auto = (request) => request.answer(200, { token });
    await slot.token(undefined, TIMEOUT);
    assert.deepEqual(
      browser.local.items,
      new Map([
        [KEY, token],
        [BINDING, `${token.slice(-16)} ${ENDPOINT}`],
      ]),
    );
    // What the snippet hands its widget: localStorage.getItem(key).
    assert.equal(browser.local.getItem(KEY), token);
  });

  test('a token shorter than 16 characters is its own tail', async () => {
    const { browser, slot, net, place } = setup();
    net.auto = (request) => request.answer(200, { token: 'short' });
    await slot.token(undefined, TIMEOUT);
    assert.equal(browser.local.items.get(BINDING), `short ${ENDPOINT}`);
    assert.equal(place.read(ENDPOINT, true), 'short');
  });
});

describe('a token the snippet stored (raw, no binding)', () => {
  test('is handed out without a request while fresh, to slots of any endpoint, as the snippet would', async () => {
    const { browser, place, slot, net } = setup();
    const theirs = jwt(browser.clock.now, 300);
    browser.local.items.set(KEY, theirs);
    const other = place.join(OTHER_ENDPOINT, new RecordingView());
    assert.deepEqual(await Promise.all([slot.token(undefined, TIMEOUT), other.token(undefined, TIMEOUT)]), [theirs, theirs]);
    assert.equal(net.requests.length, 0);
  });

  test('is not handed out once within the expiry margin: a request replaces it, bound', async () => {
    const { browser, slot, net } = setup();
    browser.local.items.set(KEY, jwt(browser.clock.now - 280_000, 300));
    const mine = jwt(browser.clock.now, 300);
    net.auto = (request) => request.answer(200, { token: mine });
    assert.equal(await slot.token(undefined, TIMEOUT), mine);
    assert.deepEqual(browser.local.items, bound(ENDPOINT, mine));
  });

  test('counts even beside a binding of ours written for another token (the snippet replaced ours)', async () => {
    const { browser, slot, net, place } = setup();
    store(browser.local, OTHER_ENDPOINT, jwt(browser.clock.now, 300));
    const theirs = jwt(browser.clock.now, 300);
    browser.local.items.set(KEY, theirs);
    assert.equal(await slot.token(undefined, TIMEOUT), theirs);
    assert.equal(net.requests.length, 0);
    assert.equal(place.read(ENDPOINT, true), undefined, 'unbound: not of this source');
  });
});

describe('a binding counts only for the token it was written with', () => {
  test('a token bound to another source is not handed out, even with a binding of ours for an older token there', async () => {
    const { browser, slot, net } = setup();
    store(browser.local, OTHER_ENDPOINT, jwt(browser.clock.now, 300));
    const pending = slot.token(undefined, TIMEOUT);
    await settle();
    assert.equal(net.requests.length, 1);
    net.requests[0]!.answer(200, { token: 'mine' });
    assert.equal(await pending, 'mine');
  });

  test('between another tab’s two writes, the new token is unbound: the old binding never lends it its source', async () => {
    const { browser, place } = setup();
    store(browser.local, ENDPOINT, jwt(browser.clock.now, 300));
    // The other endpoint's token has arrived here; its binding not yet.
    const next = jwt(browser.clock.now, 300);
    browser.local.items.set(KEY, next);
    assert.equal(place.read(ENDPOINT, true), undefined);
    assert.equal(place.read(ENDPOINT), next, 'taken as the snippet’s would be');
    browser.local.items.set(BINDING, bound(OTHER_ENDPOINT, next).get(BINDING)!);
    assert.equal(place.read(ENDPOINT), undefined, 'once bound, it is the other source’s');
  });

  for (const [what, binding] of [
    ['the source alone', () => ENDPOINT],
    ['another token’s tail', () => `${'x'.repeat(16)} ${ENDPOINT}`],
    ['the tail without the space', (token: string) => `${token.slice(-16)}${ENDPOINT}`],
    ['the tail of a longer token ending like a shorter one', () => `${'y'.repeat(12)}eyJ. ${ENDPOINT}`],
    ['empty', () => ''],
  ] as const) {
    test(`a binding that is ${what} binds nothing`, async () => {
      const { browser, place } = setup();
      const token = what.includes('shorter') ? 'eyJ.' : jwt(browser.clock.now, 300);
      browser.local.items.set(KEY, token);
      browser.local.items.set(BINDING, binding(token));
      assert.equal(place.read(ENDPOINT, true), undefined);
    });
  }
});

describe('logout and the layout', () => {
  test('a logout removes the token, then its binding; other tabs take only the token’s removal for a logout', async () => {
    const browser = new FakeBrowser();
    const tab = browser.tab({ broadcast: false }); // heard through storage alone
    const slot = tab.owner.place('local', KEY).join(ENDPOINT, new RecordingView());
    const net = browser.network;
    const other = browser.tab();
    const otherView = new RecordingView();
    other.owner.place('local', KEY).join(ENDPOINT, otherView);
    const removed: string[] = [];
    const removeItem = browser.local.removeItem.bind(browser.local);
    browser.local.removeItem = (key) => (removed.push(key), removeItem(key));
    net.auto = (request) => request.answer(200, { token: 'mine' });
    await slot.token(undefined, TIMEOUT);
    tab.owner.logout('local', KEY);
    assert.deepEqual(removed, [KEY, BINDING]);
    assert.equal(browser.local.items.size, 0);
    await settle();
    assert.equal(otherView.logouts, 1);
    other.owner.storageChanged('local', BINDING, null); // heard on its own, say the tab had missed the token's
    assert.equal(otherView.logouts, 1);
  });

  test('the snippet’s logout (it removes the token only) signs our views out, and the tab that hears it removes the binding', async () => {
    const { browser, view } = setup();
    const snippetPage = browser.tab();
    store(browser.local, ENDPOINT, 'mine');
    snippetPage.env.storage('local')!.removeItem(KEY);
    await settle();
    assert.equal(view.logouts, 1);
    assert.equal(browser.local.items.size, 0);
  });
});

describe('storage failures keep their outcomes', () => {
  test('storage too full for the binding: the token is blanked (never left unbound), kept in memory; other tabs see no logout', async () => {
    const { browser, slot, net, place } = setup();
    const other = browser.tab();
    const otherView = new RecordingView();
    other.owner.place('local', KEY).join(ENDPOINT, otherView);
    const token = jwt(browser.clock.now, 300);
    browser.local.quota = KEY.length + token.length + 10; // the token fits, its binding does not
    net.auto = (request) => request.answer(200, { token });
    assert.equal(await slot.token(undefined, TIMEOUT), token);
    assert.equal(browser.local.items.get(KEY), '');
    assert.equal(place.read(ENDPOINT), token);
    await settle();
    assert.deepEqual([otherView.logouts, otherView.renewals], [0, []]);
    assert.equal(other.owner.place('local', KEY).read(ENDPOINT), undefined);
  });
});
