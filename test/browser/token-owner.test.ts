/**
 * The review's findings (issue 10), each reproduced in Chromium against the real cross-origin widget frame:
 * a logout undone by a request in flight, two copies of the library, tokens crossing sources, hostile tokens,
 * moves, memory storage across tabs, timers per slot, and an answer for a widget document that is gone.
 */
import { expect } from '@open-wc/testing';
import { HttpResponse } from 'msw';
import type { ReturningAiWidget } from '../../src/element/returning-ai-widget.js';
import type { TokenOwner } from '../../src/core/token-owner.js';
import {
  TOKEN_REQUEST,
  WIDGET_ORIGIN,
  authEndpoint,
  boundSource,
  cleanup,
  deferred,
  freshJwt,
  mount,
  poll,
  scriptedEndpoint,
  sourceOf,
  startWorker,
  storedToken,
  unique,
  until,
} from './support.js';

type OtherTab = Window & { ready: Promise<unknown>; ReturningAiWidget: typeof ReturningAiWidget; reports: Array<{ kind: string }> };
const tabs = new Set<HTMLIFrameElement>();

/** Another tab of the site: a same-origin document with its own copy of the library (see other-tab.html). */
async function openTab(): Promise<OtherTab> {
  const frame = document.createElement('iframe');
  frame.src = '/test/support/other-tab.html';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  tabs.add(frame);
  await loaded;
  const tab = frame.contentWindow as OtherTab;
  await tab.ready;
  return tab;
}

const closeTabs = () => {
  tabs.forEach((frame) => frame.remove());
  tabs.clear();
};

describe('token owner: the review’s findings', () => {
  before(startWorker);
  afterEach(() => {
    cleanup();
    closeTabs();
  });

  it('1. a logout in another tab while a refresh is in flight sticks: the late token is neither stored nor delivered', async () => {
    const gate = deferred();
    let call = 0;
    const late = freshJwt();
    const endpoint = authEndpoint(async () => {
      if (++call === 1) return HttpResponse.json({ token: freshJwt() });
      await gate.promise;
      return HttpResponse.json({ token: late });
    });
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url });
    await widget.token();
    await widget.request(); // the widget's token expired: a refresh is in flight
    await until(() => endpoint.calls === 2, 'the refresh');
    const tab = await openTab();
    tab.localStorage.removeItem(el.storageKey); // what the vendor's logout snippet does
    await until(() => events.logout, 'the logout from the other tab');
    gate.resolve();
    await widget.waitFor('loaded', 2);
    await widget.request();
    expect(await widget.received()).to.deep.equal([]);
    expect(localStorage.getItem(el.storageKey)).to.equal(null);
    expect(el.status).to.equal('logged-out');
    expect(events.success).to.have.length(1);
  });

  it('2. the static logout() of another copy of the library reaches this copy’s widgets: abort, reload, rai-logout', async () => {
    const cdn = (await import('/dist/cdn/returning-ai-widget.js' as string)) as { ReturningAiWidget: typeof ReturningAiWidget };
    const endpoint = scriptedEndpoint('hold');
    await endpoint.ready;
    const key = unique('key');
    // The request's abort signal, as the owner hands it to fetch.
    const realFetch = window.fetch;
    const signals: AbortSignal[] = [];
    window.fetch = (input, init) => {
      if (init?.signal) signals.push(init.signal);
      return realFetch(input, init);
    };
    try {
      const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent', 'storage-key': key });
      await widget.post(TOKEN_REQUEST);
      await poll(async () => (await endpoint.state()).open.length === 1, 'the request in flight');
      expect(customElements.get('returning-ai-widget')).not.to.equal(cdn.ReturningAiWidget);
      cdn.ReturningAiWidget.logout({ storageKey: key });
      expect(events.logout).to.equal(1);
      expect(el.status).to.equal('logged-out');
      expect(signals.map((signal) => signal.aborted)).to.deep.equal([true]);
      await endpoint.answer(); // whatever still comes back is discarded
      await widget.waitFor('loaded', 2);
      expect(await widget.received()).to.deep.equal([]);
      expect(localStorage.getItem(key)).to.equal(null);
      expect((await endpoint.state()).calls).to.equal(1);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('2b. a copy with another owner version still hears a logout: the BroadcastChannel message is the contract', async () => {
    const endpoint = authEndpoint();
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, storage: 'memory' });
    await widget.token();
    const channel = new BroadcastChannel('returning-ai-widget');
    channel.postMessage({ type: 'logout', kind: 'memory', key: el.storageKey });
    channel.close();
    await until(() => events.logout, 'the logout');
    expect(el.status).to.equal('logged-out');
  });

  it('3. two elements with different endpoints and the default storage key each get their own endpoint’s token', async () => {
    localStorage.removeItem('returning-ai-widget-token');
    const [a, b] = [authEndpoint(), authEndpoint()];
    const first = await mount({ 'auth-endpoint': a.url, 'storage-key': 'returning-ai-widget-token', 'widget-id': 'a' });
    const second = await mount({ 'auth-endpoint': b.url, 'storage-key': 'returning-ai-widget-token', 'widget-id': 'b' });
    expect(await first.widget.token()).to.equal(a.tokens[0]);
    expect(await second.widget.token()).to.equal(b.tokens[0]);
    // The stored record names its source: the other endpoint's widget never takes it, and each keeps its own.
    first.el.reload();
    second.el.reload();
    await Promise.all([first.widget.waitFor('loaded', 2), second.widget.waitFor('loaded', 2)]);
    expect(await first.widget.token(2)).to.equal(a.tokens[0]);
    expect(await second.widget.token(2)).to.equal(b.tokens[0]);
    expect([a.calls, b.calls]).to.deep.equal([1, 1]);
    localStorage.removeItem('returning-ai-widget-token');
  });

  it('3b. after switching to an endpoint that refuses the user, reload() hands the widget no token of the old one', async () => {
    const before = authEndpoint();
    const refusing = authEndpoint(() => new HttpResponse(null, { status: 401 }));
    const { el, events, widget } = await mount({ 'auth-endpoint': before.url });
    const old = await widget.token();
    el.authEndpoint = refusing.url;
    await until(() => events.failure.some((failure) => failure.reason === 'unauthorized'), 'the refusal');
    // The widget still holds the old source's token, and the element says so (as after a failed background refresh).
    expect(el.status).to.equal('authenticated');
    // Its token expires: it asks, and is signed out; no second request (a 401 costs one).
    await widget.request();
    expect(await widget.received()).to.deep.equal([old]);
    expect(el.status).to.equal('logged-out');
    expect(refusing.calls).to.equal(1);
    el.reload();
    await widget.waitFor('loaded', 2);
    await until(() => refusing.calls === 2, 'the reloaded widget’s request');
    expect(await widget.received()).to.deep.equal([]);
    expect(storedToken(el.storageKey)).to.equal(old); // still the old source's, bound to it
    expect(boundSource(el.storageKey)).to.equal(sourceOf(before));
  });

  for (const payload of ['null', '42', '[1]', '"text"']) {
    it(`4. a token whose JWT payload is ${payload} is a token with no known expiry, now and on the next page view`, async () => {
      const token = `${btoa('{"alg":"none"}')}.${btoa(payload).replace(/=+$/, '')}.sig`;
      const endpoint = authEndpoint(() => HttpResponse.json({ token }));
      const key = unique('key');
      const first = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key });
      expect(await first.widget.token()).to.equal(token);
      expect(first.el.status).to.equal('authenticated');
      expect(first.events.success[0]).to.deep.equal({ widgetId: 'w1', refreshed: false });
      cleanup();
      const next = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key });
      expect(next.el.shadowRoot!.querySelector('iframe')).not.to.equal(null);
      expect(await next.widget.token()).to.equal(token);
      expect(endpoint.calls).to.equal(1);
    });
  }

  it('4b. a stored value of any shape never stops the element from rendering or signing in', async () => {
    const endpoint = authEndpoint();
    for (const junk of ['', 'null', '{}', '[]', '{"source":5,"token":{}}', '{"token":"x"}', '{', 'x'.repeat(100_000)]) {
      const key = unique('key');
      localStorage.setItem(key, junk);
      const { el, widget } = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key });
      expect(el.shadowRoot!.querySelector('iframe'), junk.slice(0, 20)).not.to.equal(null);
      expect(await widget.token()).to.equal(endpoint.tokens.at(-1));
      localStorage.removeItem(key);
    }
  });

  it('5. a state-preserving move (moveBefore) while the widget waits keeps its request: the widget gets its token', async () => {
    const gate = deferred();
    const token = freshJwt();
    const endpoint = authEndpoint(async () => {
      await gate.promise;
      return HttpResponse.json({ token });
    });
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    await widget.post(TOKEN_REQUEST);
    const box = document.createElement('section');
    document.body.append(box);
    (box as unknown as { moveBefore(node: Node, child: Node | null): void }).moveBefore(el, null);
    expect(el.status).to.equal('authenticating');
    gate.resolve();
    expect(await widget.token()).to.equal(token);
    expect(widget.reports('loaded')).to.have.length(1); // the same widget document throughout
    expect(endpoint.calls).to.equal(1);
    expect(events.logout).to.equal(0);
    box.remove();
  });

  it('5b. moved into another document, the element listens on that document’s window', async () => {
    const endpoint = scriptedEndpoint();
    await endpoint.ready;
    const tab = await openTab();
    const { el } = await mount({ 'auth-endpoint': endpoint.url, storage: 'memory' });
    tab.document.body.append(el); // adopted: the other document's window now hosts the widget frame
    await poll(() => tab.reports.some((report) => report.kind === 'token'), 'a token in the moved widget');
    expect(el.status).to.equal('authenticated');
  });

  it('7. with memory storage, a static logout in another tab signs this tab’s widgets out', async () => {
    const endpoint = authEndpoint();
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, storage: 'memory' });
    await widget.token();
    const tab = await openTab();
    tab.ReturningAiWidget.logout({ storage: 'memory', storageKey: el.storageKey });
    await until(() => events.logout, 'the logout from the other tab');
    expect(el.status).to.equal('logged-out');
    await widget.waitFor('loaded', 2);
    await widget.request();
    expect(await widget.received()).to.deep.equal([]);
  });

  it('7a. one logout in another tab, heard through both the storage event and the channel, is one rai-logout here', async () => {
    const endpoint = authEndpoint();
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url });
    await widget.token();
    const tab = await openTab();
    tab.ReturningAiWidget.logout({ storageKey: el.storageKey });
    await until(() => events.logout, 'the logout');
    // Both notices have arrived once a later change to the same area has.
    const sentinel = unique('sentinel');
    const heard = new Promise<void>((resolve) => addEventListener('storage', (event) => event.key === sentinel && resolve()));
    tab.localStorage.setItem(sentinel, 'x');
    await heard;
    localStorage.removeItem(sentinel);
    // And the channel's: a later message from the other tab's owner comes after its logout message.
    const ping = unique('ping');
    const channel = new BroadcastChannel('returning-ai-widget');
    const pinged = new Promise<void>((resolve) => (channel.onmessage = (event) => event.data?.key === ping && resolve()));
    const theirs = (tab as unknown as Record<symbol, TokenOwner>)[Symbol.for('returning-ai-widget.token-owner.v2')]!;
    theirs.env.broadcast!({ type: 'logout', kind: 'memory', key: ping });
    await pinged;
    channel.close();
    await widget.waitFor('loaded', 2); // reloaded once by the logout
    expect(events.logout).to.equal(1);
  });

  it('7b. with session storage too: another tab’s static logout clears this tab’s copy', async () => {
    const endpoint = authEndpoint();
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, storage: 'session' });
    await widget.token();
    const tab = await openTab();
    tab.ReturningAiWidget.logout({ storage: 'session', storageKey: el.storageKey });
    await until(() => events.logout, 'the logout from the other tab');
    expect(sessionStorage.getItem(el.storageKey)).to.equal(null);
  });

  it('8. ten widgets on one slot run one refresh-ahead timer', async () => {
    const endpoint = authEndpoint();
    const key = unique('key');
    const realSetTimeout = window.setTimeout;
    const realClearTimeout = window.clearTimeout;
    const long = new Set<number>();
    window.setTimeout = ((handler: TimerHandler, ms?: number, ...args: unknown[]) => {
      const id = realSetTimeout(handler, ms, ...args);
      if ((ms ?? 0) > 60_000) long.add(id);
      return id;
    }) as typeof window.setTimeout;
    window.clearTimeout = ((id?: number) => {
      long.delete(id!);
      realClearTimeout(id);
    }) as typeof window.clearTimeout;
    try {
      const mounted = [];
      for (let i = 0; i < 10; i++) mounted.push(await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, 'widget-id': `w${i}` }));
      await Promise.all(mounted.map(({ widget }) => widget.token()));
      expect(long.size).to.equal(1);
      expect(endpoint.calls).to.equal(1);
    } finally {
      window.setTimeout = realSetTimeout;
      window.clearTimeout = realClearTimeout;
    }
  });

  it('an answer prepared for a widget document that reload() replaced is dropped: the new one gets its own push, once', async () => {
    const gate = deferred();
    const endpoint = authEndpoint(async () => {
      await gate.promise;
      return HttpResponse.json({ token: freshJwt() });
    });
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    await widget.post(TOKEN_REQUEST);
    el.reload();
    await widget.waitFor('loaded', 2);
    gate.resolve();
    const token = await poll(() => storedToken(el.storageKey), 'the answer, stored');
    // The new document never asked: it holds the one token pushed to it once it had loaded, not a reply as well.
    await widget.waitFor('token');
    expect(await widget.received()).to.deep.equal([token]);
  });

  it('another tab changing an unrelated storage key leaves the widget alone', async () => {
    const endpoint = authEndpoint();
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url });
    await widget.token();
    const tab = await openTab();
    const unrelated = unique('unrelated');
    const sentinel = unique('sentinel');
    // Storage events arrive in the order of the changes: once the sentinel's has, so have the others.
    const heard = new Promise<void>((resolve) => addEventListener('storage', (event) => event.key === sentinel && resolve()));
    tab.localStorage.setItem(unrelated, 'x');
    tab.localStorage.removeItem(unrelated);
    tab.sessionStorage.setItem(el.storageKey, 'x'); // the same name in the other area
    tab.sessionStorage.removeItem(el.storageKey);
    tab.localStorage.setItem(sentinel, 'x');
    await heard;
    tab.localStorage.removeItem(sentinel);
    expect(events.logout).to.equal(0);
    expect(el.status).to.equal('authenticated');
  });

  it('tabs refreshing one local slot at once make one request: the second takes the token the first stored', async () => {
    const endpoint = scriptedEndpoint('hold');
    await endpoint.ready;
    const key = unique('key');
    const tab = await openTab();
    const theirs = tab.document.createElement('returning-ai-widget') as ReturningAiWidget;
    const attributes = { 'auth-endpoint': endpoint.url, 'storage-key': key, 'widget-id': 'w1', 'widget-type': 'silent', 'base-url': WIDGET_ORIGIN };
    for (const [name, value] of Object.entries(attributes)) theirs.setAttribute(name, value);
    tab.document.body.append(theirs); // its request holds the lock of the slot
    await poll(async () => (await endpoint.state()).calls === 1, 'the other tab’s request');
    const ours = await mount(attributes); // its request waits for the lock
    await endpoint.answer();
    await poll(() => storedToken(key), 'the token the other tab stored');
    await ours.widget.post(TOKEN_REQUEST);
    const token = await ours.widget.token();
    const state = await endpoint.state();
    expect(state.calls).to.equal(1);
    expect(token).to.equal(state.tokens[0]!.token);
    localStorage.removeItem(key);
  });
});
