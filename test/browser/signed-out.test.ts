/**
 * Signed out stays signed out (issue 17, findings 4–6): whether a widget is signed out is the page's token owner's to
 * say, not the element's. Each case broke when the element kept that state itself.
 */
import { expect } from '@open-wc/testing';
import { HttpResponse } from 'msw';
import { ReturningAiWidget } from '../../src/element/returning-ai-widget.js';
import { authEndpoint, cleanup, freshJwt, mount, startWorker, storeToken, unique, until, type Endpoint } from './support.js';

/** Stores `token` from "another tab": a same-origin document, whose writes reach this window as `storage` events. */
async function storeFromOtherTab(key: string, token: string, endpoint: Endpoint): Promise<void> {
  const tab = document.createElement('iframe');
  document.body.append(tab);
  try {
    storeToken(key, token, endpoint, tab.contentWindow!.localStorage);
    // Events of the other document's writes arrive as tasks here; the key's own event is the last of the pair.
    await new Promise<void>((resolve) => {
      const heard = (event: StorageEvent) => {
        if (event.key !== `${key}.source`) return;
        removeEventListener('storage', heard);
        resolve();
      };
      addEventListener('storage', heard);
    });
  } finally {
    tab.remove();
  }
}

describe('signed out stays signed out', () => {
  before(startWorker);
  afterEach(cleanup);

  // Finding 4: e1.reload() signed e1 back in; e1's background refresh carried every view of the slot, so its 401 told
  // e2 (signed out by the logout) "unauthorized", which a token stored by another tab then lifted: e2 signed in.
  it('a widget signed out by a logout is not signed in by another widget’s refresh failing, then another tab’s token', async function () {
    this.timeout(30_000); // a 4 s token's refresh ahead of expiry, on a loaded machine
    let refused = false;
    const endpoint = authEndpoint(() => (refused ? new HttpResponse(null, { status: 401 }) : HttpResponse.json({ token: freshJwt(4) })));
    const key = unique('key');
    const e1 = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, 'widget-id': 'e1' });
    const e2 = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, 'widget-id': 'e2' });
    await Promise.all([e1.widget.token(), e2.widget.token()]);
    e1.el.logout();
    // Both widgets reloaded; their new documents asked, and were answered nothing (a report comes after the request).
    await Promise.all([e1.widget.waitFor('loaded', 2), e2.widget.waitFor('loaded', 2)]);
    expect(await Promise.all([e1.widget.received(), e2.widget.received()])).to.deep.equal([[], []]);
    e1.el.reload();
    await e1.widget.token(2); // e1 is signed in again, with a token that lives 4 s
    refused = true; // the host session ends: e1's refresh ahead of expiry gets a 401
    await until(() => endpoint.calls === 3, `e1’s background refresh (${endpoint.calls} calls, e1 ${e1.el.status})`, 15_000);
    expect(e2.el.status).to.equal('logged-out');
    await storeFromOtherTab(key, freshJwt(), endpoint);
    await e2.widget.request();
    expect(await e2.widget.received()).to.deep.equal([]);
    expect(e2.el.status).to.equal('logged-out');
    expect(e2.events.failure).to.deep.equal([], 'e2 asked for nothing: it hears no failure');
  });

  // Finding 5: the signed-out state lived in the element, and the place kept no record of its logout: an element
  // detached during a logout (Vue's KeepAlive, Angular's route reuse) signed back in when re-attached.
  it('an element detached during a logout is signed out when re-attached, even after another widget signed in again', async () => {
    const endpoint = authEndpoint();
    const key = unique('key');
    const kept = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, 'widget-id': 'kept' });
    const away = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, 'widget-id': 'away' });
    await Promise.all([kept.widget.token(), away.widget.token()]);
    away.el.remove();
    ReturningAiWidget.logout({ storageKey: key });
    expect(await kept.el.authenticate()).to.equal(true);
    document.body.append(away.el);
    await away.el.updateComplete;
    expect(away.el.status).to.equal('logged-out');
    // Its new document loads and asks: nothing is fetched for it, nothing is sent.
    await away.widget.waitFor('loaded'); // (a re-attached iframe is a new browsing context: a new window)
    expect(await away.widget.received()).to.deep.equal([]);
    expect(endpoint.calls).to.equal(2, 'the first sign-in, and kept’s authenticate()');
    expect(await away.el.authenticate()).to.equal(true);
    expect(await away.widget.token()).to.equal(endpoint.tokens[2]);
  });

  // Finding 6: `el.logout()` acted on the element's properties, not on the place it uses; and a logout could throw.
  it('el.logout() signs out the place the element uses, not the one a pending change of storage-key names', async () => {
    const endpoint = authEndpoint();
    const [k1, k2] = [unique('k1'), unique('k2')];
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': k1 });
    const token = await widget.token();
    expect(localStorage.getItem(k1)).to.equal(token);
    el.storageKey = k2;
    el.logout();
    await widget.waitFor('loaded', 2);
    expect(await widget.received(), 'the reloaded document asked, and was answered nothing').to.deep.equal([]);
    expect(localStorage.getItem(k1), 'the token of the place in use').to.equal(null);
    expect(el.status).to.equal('logged-out');
    await el.updateComplete;
    // On its new place the widget is still the one a logout signed out: nothing is fetched or sent until reload().
    expect(el.status).to.equal('logged-out');
    expect(endpoint.calls).to.equal(1);
    el.reload();
    expect(await widget.token(2)).to.equal(endpoint.tokens[1]);
    expect(localStorage.getItem(k2)).to.equal(endpoint.tokens[1]);
  });

  it('el.logout() never throws, even while the configuration is invalid', async () => {
    const endpoint = authEndpoint();
    const key = unique('key');
    localStorage.setItem(key, freshJwt());
    const { el } = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, storage: 'Local' });
    expect(el.status).to.equal('error');
    expect(() => el.logout()).not.to.throw();
    expect(localStorage.getItem(key), 'an unknown storage signs its key out in every storage').to.equal(null);
  });
});
