/**
 * Sequences an adversarial review found breaking what docs/element.md and docs/security.md promise. Each failed on
 * the code as it was reviewed; its comment says which promise it broke.
 */
import { expect } from '@open-wc/testing';
import { HttpResponse } from 'msw';
import { ReturningAiWidget } from '../../src/index.js';
import { authEndpoint, cleanup, deferred, freshJwt, mount, poll, sourceOf, startWorker, unique, until } from './support.js';

const DEFAULT_KEY = 'returning-ai-widget-token';

describe('hardening: the cross-tab lock', () => {
  before(startWorker);
  afterEach(cleanup);

  // Where Chrome blocks web storage (an opaque origin: a sandboxed frame, data:/blob: documents; site data blocked),
  // it also refuses the Web Locks API: navigator.locks.request rejects with this SecurityError (checked in Chromium
  // with a sandbox="allow-scripts" frame). The owner treats any rejection of the lock path as an abort
  // (`() => undefined`), so the element neither signs in nor reports anything: aria-busy and 'authenticating' forever.
  // docs/element.md promises the memory fallback for storage that throws, and a rai-auth-failure for every failure.
  it('storage and Web Locks refused (as in an opaque origin): it still signs in from memory, or reports a failure', async () => {
    const { getItem, setItem, removeItem } = Storage.prototype;
    const request = navigator.locks.request;
    const denied = () => new DOMException('Access to the Locks API is denied in this context.', 'SecurityError');
    Storage.prototype.getItem = Storage.prototype.setItem = Storage.prototype.removeItem = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    navigator.locks.request = (() => Promise.reject(denied())) as unknown as LockManager['request'];
    try {
      const endpoint = authEndpoint();
      const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url });
      await widget.waitFor('loaded');
      await poll(() => events.failure.length > 0 || widget.tokens.length > 0, `a token or a failure (status ${el.status}, aria-busy ${el.getAttribute('aria-busy')})`, 3000);
    } finally {
      Object.assign(Storage.prototype, { getItem, setItem, removeItem });
      navigator.locks.request = request;
    }
  });

  // `timeout` is "the time limit for one token request before it counts as a timeout". A local endpoint slot waited
  // for the cross-tab lock with no limit at all: another tab that holds it and does not move (blocked in alert(),
  // paused in DevTools) left this tab's widget spinning with no event. Now the wait is bounded by the timeout, after
  // which this tab goes ahead without the lock.
  it('a lock held by a stuck tab does not outlast the element’s timeout: the tab goes ahead and signs in', async () => {
    const endpoint = authEndpoint();
    const key = unique('key');
    const release = deferred();
    // "Another tab" of the origin holding the slot's lock: locks are shared by every tab of the origin.
    const held = deferred();
    void navigator.locks.request(`returning-ai-widget ${key} ${sourceOf(endpoint)}`, () => (held.resolve(), release.promise));
    await held.promise;
    try {
      const { widget } = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, timeout: '300' });
      expect(await widget.token()).to.equal(endpoint.tokens[0]);
      expect(endpoint.calls).to.equal(1);
    } finally {
      release.resolve();
    }
  });
});

describe('hardening: attributes and properties at run time', () => {
  before(startWorker);
  afterEach(cleanup);

  // Removing `storage-key` (Vue/React 19 remove an attribute bound to undefined) sets the property to null, and
  // @lit/react (the package's React component) unsets a dropped prop by setting it to undefined
  // (node_modules/@lit/react/development/create-component.js, "Unset any props from previous render"). The element
  // then keeps the token under the key "null" / "undefined" instead of the default: ReturningAiWidget.logout() with
  // no argument (the documented sign-out) and the vendor snippet's removeItem('returning-ai-widget-token') both
  // miss it, and it survives for the next user of the browser.
  for (const [how, unset] of [
    ['removing the storage-key attribute', (el: ReturningAiWidget) => el.removeAttribute('storage-key')],
    ['setting storageKey to undefined (@lit/react unsetting a dropped prop)', (el: ReturningAiWidget) => (el.storageKey = undefined as unknown as string)],
  ] as const) {
    it(`${how} returns to the default key, which the default logout() clears`, async () => {
      const endpoint = authEndpoint();
      const strays = ['null', 'undefined', DEFAULT_KEY];
      strays.forEach((key) => localStorage.removeItem(key));
      try {
        const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
        await widget.token();
        unset(el);
        await el.updateComplete;
        // authenticate(): an earlier test's logout() of the default place signed out its newcomers on this page.
        expect(await el.authenticate()).to.equal(true);
        expect(endpoint.calls).to.equal(2);
        await poll(() => strays.some((key) => localStorage.getItem(key)), 'the token stored again');
        ReturningAiWidget.logout(); // the app's sign-out, with the defaults
        expect(strays.filter((key) => localStorage.getItem(key) !== null), 'keys still holding a token after logout()').to.deep.equal([]);
        expect(el.status).to.equal('logged-out');
      } finally {
        strays.forEach((key) => localStorage.removeItem(key));
      }
    });
  }

  // The same root cause without a token in play: removing `timeout` (or `widget-type`, `base-url`, `loading`) sets
  // the property to null instead of its default, so removing an optional attribute breaks a working element.
  it('removing the timeout attribute returns to the default timeout, not a config error', async () => {
    const endpoint = authEndpoint();
    const { el, events } = await mount({ 'auth-endpoint': endpoint.url, timeout: '5000' });
    el.removeAttribute('timeout');
    await el.updateComplete;
    expect(events.failure.filter((failure) => failure.reason === 'config').map((failure) => failure.message)).to.deep.equal([]);
    expect(el.timeout).to.equal(10_000);
  });
});

describe('hardening: states', () => {
  before(startWorker);
  afterEach(cleanup);

  // Loading is promised "from connection until the widget's document has loaded and a token is at hand". On
  // reconnection the iframe loads a new document, but `#loaded` keeps the old document's true: the cover lifts (and
  // aria-busy goes) as soon as the stored token is read, before the new widget document has loaded.
  it('reconnecting covers the frame until the new widget document has loaded', async () => {
    const endpoint = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
    await widget.token();
    await poll(() => !el.hasAttribute('aria-busy'), 'aria-busy to go');
    el.remove();
    document.body.append(el);
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve));
    expect(widget.reports('loaded'), 'the new document must not have loaded yet for this check').to.deep.equal([]);
    expect(el.getAttribute('aria-busy')).to.equal('true');
  });
});

describe('hardening: authenticate() from the error state', () => {
  before(startWorker);
  afterEach(cleanup);

  // "A widget that never asks is not left covered." retry() from the error panel prefetches and lifts the cover; the
  // public authenticate() (say from the app's 'online' listener) sets 'authenticating' and, as the widget is not
  // waiting, delivers nothing and never marks the token as at hand: aria-busy="true" and the spinner stay over the
  // loaded widget for good, though authenticate() resolved true.
  it('a successful authenticate() for a loaded widget that is not waiting does not leave the cover on', async () => {
    let call = 0;
    const endpoint = authEndpoint(() => (++call === 1 ? new HttpResponse(null, { status: 400 }) : HttpResponse.json({ token: freshJwt() })));
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    await widget.waitFor('loaded');
    await poll(() => el.status === 'error', 'the final failure');
    expect(await el.authenticate()).to.equal(true);
    await poll(() => !el.hasAttribute('aria-busy'), `aria-busy to go (status ${el.status})`, 2000);
  });
});

describe('hardening: authenticate() after the user signs in', () => {
  before(startWorker);
  afterEach(cleanup);

  // The page loads before the user has signed in; its prefetch is still in flight (a slow endpoint) when the user
  // signs in and the app calls authenticate(), documented as "fetches a fresh token now". authenticate() joins the
  // request sent without a session: its 401 signs the widget out and authenticate() resolves false. The same join
  // is the failure the reference notes list (auth0-spa-js: a forced refresh joined a cached in-flight one).
  it('joins no request sent before it: the session that is now valid signs the widget in', async () => {
    const signedIn = { value: false };
    const slow = deferred();
    const token = freshJwt();
    const endpoint = authEndpoint(async () => {
      const session = signedIn.value; // what the cookies said when the request was sent
      if (!session) await slow.promise;
      return session ? HttpResponse.json({ token }) : new HttpResponse(null, { status: 401 });
    });
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
    await widget.waitFor('loaded');
    await until(() => endpoint.calls === 1, 'the prefetch');
    signedIn.value = true; // the user signs in, e.g. in a dialog of the SPA
    const result = el.authenticate();
    slow.resolve();
    expect(await result, `authenticate() after sign-in (${endpoint.calls} request(s), status ${el.status})`).to.equal(true);
    expect(await widget.token()).to.equal(token);
  });
});
