// Who is signed out is the owner's to say (issue 17, findings 4–6): a logout signs out the views of its place; a view
// that comes back after a logout it missed, and a view that joins the place before one reopens it, are signed out too;
// a signed-out view gets no token in any place until it reopens; and a flight carries only the views that asked.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeBrowser, settle } from './fake-environment.js';
import { ENDPOINT, KEY, RecordingView, jwt } from './helpers.js';

const TIMEOUT = { timeoutMs: 10_000 };

/** A tab whose endpoint answers every request at once with a fresh JWT. */
function setup() {
  const browser = new FakeBrowser();
  browser.network.auto = (request) => request.answer(200, { token: jwt(browser.clock.now, 300) });
  const { owner } = browser.tab();
  return { browser, owner, place: owner.place('local', KEY) };
}

describe('signed out by a logout', () => {
  test('the views of the place: no token and no request until each reopens; then its own request', async () => {
    const { browser, owner, place } = setup();
    const [a, b] = [new RecordingView(), new RecordingView()];
    const slot = place.join(ENDPOINT, a);
    place.join(ENDPOINT, b);
    await slot.token(a, TIMEOUT);
    owner.logout('local', KEY);
    assert.deepEqual([a.logouts, b.logouts, slot.open(a), slot.open(b)], [1, 1, false, false]);
    assert.equal(await slot.token(a, TIMEOUT), undefined);
    assert.equal(await slot.token(b, { ...TIMEOUT, force: true }), undefined);
    assert.equal(browser.network.requests.length, 1, 'a signed-out view starts no request');
    slot.reopen(a);
    assert.ok(await slot.token(a, TIMEOUT));
    assert.equal(browser.network.requests.length, 2);
    assert.deepEqual([slot.open(a), slot.open(b)], [true, false], 'b stays signed out: only a reopened');
    assert.equal(await slot.token(b, TIMEOUT), undefined);
  });

  test('a view that joins the place on this page after a logout is signed out, until a view reopens the place', async () => {
    const { owner, place } = setup();
    const first = new RecordingView();
    const slot = place.join(ENDPOINT, first);
    owner.logout('local', KEY);
    const early = new RecordingView();
    place.join(ENDPOINT, early);
    assert.equal(slot.open(early), false, 'a widget mounted after the logout');
    slot.reopen(first);
    const late = new RecordingView();
    place.join(ENDPOINT, late);
    assert.equal(slot.open(late), true, 'a widget mounted after a sign-in');
    assert.equal(slot.open(early), false, 'the one mounted before it is still signed out');
    // Another place heard no logout: its views are open.
    const elsewhere = new RecordingView();
    owner.place('local', 'other-key').join(ENDPOINT, elsewhere);
    assert.equal(owner.place('local', 'other-key').slots.get(ENDPOINT)!.open(elsewhere), true);
  });

  test('a view that left before a logout and comes back is signed out, even after another view reopened the place', async () => {
    const { owner, place } = setup();
    const [kept, away] = [new RecordingView(), new RecordingView()];
    const slot = place.join(ENDPOINT, kept);
    place.join(ENDPOINT, away);
    slot.leave(away); // detached: Vue's KeepAlive, Angular's route reuse
    owner.logout('local', KEY);
    assert.equal(away.logouts, 0, 'it was not there to hear it');
    slot.reopen(kept);
    const back = place.join(ENDPOINT, away);
    assert.equal(back.open(away), false);
    assert.equal(await back.token(away, TIMEOUT), undefined);
    back.reopen(away);
    assert.equal(back.open(away), true);
  });

  test('a view that heard a logout and reopened may leave and come back: it stays open', async () => {
    const { owner, place } = setup();
    const view = new RecordingView();
    const slot = place.join(ENDPOINT, view);
    owner.logout('local', KEY);
    slot.reopen(view);
    slot.leave(view); // re-attached, or a storage-key switch and back
    assert.equal(place.join(ENDPOINT, view).open(view), true);
  });

  test('a view that left and comes back with no logout in between is open', () => {
    const { place } = setup();
    const view = new RecordingView();
    const slot = place.join(ENDPOINT, view);
    slot.leave(view);
    assert.equal(place.join(ENDPOINT, view).open(view), true);
  });

  test('a signed-out view stays signed out in another place (a storage-key switch) until it reopens', async () => {
    const { browser, owner, place } = setup();
    const view = new RecordingView();
    place.join(ENDPOINT, view).leave(view);
    owner.logout('local', KEY);
    const slot = place.join(ENDPOINT, view);
    slot.leave(view);
    const other = owner.place('local', 'k2').join(ENDPOINT, view);
    assert.equal(other.open(view), false);
    assert.equal(await other.token(view, TIMEOUT), undefined);
    assert.equal(browser.network.requests.length, 0);
    other.reopen(view);
    assert.ok(await other.token(view, TIMEOUT));
  });

  test('one logout heard twice (the storage event and the channel) tells each view once', async () => {
    const browser = new FakeBrowser();
    const [here, there] = [browser.tab(), browser.tab()];
    const view = new RecordingView();
    here.owner.place('local', KEY).join(ENDPOINT, view);
    browser.local.items.set(KEY, 'x'); // something to remove, so that the removal is a storage event
    there.owner.logout('local', KEY);
    await settle();
    assert.equal(view.logouts, 1);
  });
});

describe('a flight carries only the views that asked', () => {
  test('a signed-out view never hears the failure of another view’s request, nor is handed its token', async () => {
    const { browser, owner, place } = setup();
    const [asker, out] = [new RecordingView(), new RecordingView()];
    const slot = place.join(ENDPOINT, asker);
    place.join(ENDPOINT, out);
    owner.logout('local', KEY);
    slot.reopen(asker);
    browser.network.auto = (request) => request.answer(401);
    assert.equal(await slot.token(asker, TIMEOUT), undefined);
    assert.deepEqual(asker.failures, [{ reason: 'unauthorized', status: 401, retrying: false }]);
    assert.deepEqual(out.failures, []);
  });

  test('renewed() goes to the open views only', async () => {
    const { browser, owner, place } = setup();
    const renewed: string[] = [];
    const [open, out] = [new RecordingView(), new RecordingView()];
    Object.assign(open, { renewed: (token: string) => renewed.push(`open ${token}`) });
    Object.assign(out, { renewed: (token: string) => renewed.push(`out ${token}`) });
    const slot = place.join(ENDPOINT, open);
    place.join(ENDPOINT, out);
    owner.logout('local', KEY);
    slot.reopen(open);
    const token = (await slot.token(open, TIMEOUT))!;
    slot.delivered(token);
    await browser.clock.advance(240_000); // the refresh-ahead replacement comes in
    assert.equal(renewed.length, 1);
    assert.match(renewed[0]!, /^open /);
  });
});
