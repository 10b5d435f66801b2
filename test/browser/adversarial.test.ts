import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { HttpResponse } from 'msw';
import { pageOwner } from '../../src/core/page-owner.js';
import {
  REFUSED_ORIGIN,
  TOKEN_REQUEST,
  WIDGET_ORIGIN,
  WidgetFrame,
  authEndpoint,
  cleanup,
  deferred,
  freshJwt,
  mount,
  poke,
  startWorker,
  unique,
  until,
} from './support.js';

/** Messages relayed by test/support/csp-host.js from a host page this test framed or opened. */
const relayed: Array<Record<string, unknown> & { kind: string }> = [];
addEventListener('message', (event) => {
  if (event.origin === location.origin && event.data?.host === true) {
    relayed.push(event.data);
    poke();
  }
});
const relayedOf = (kind: string) => relayed.filter((message) => message.kind === kind);

/** Counts of the window's event listeners by type, read through the Chrome DevTools Protocol. */
const windowListeners = () => executeServerCommand<Record<string, number>, undefined>('window-listeners');

describe('under attack', () => {
  before(startWorker);
  afterEach(cleanup);

  it('ignores a token request from a popup of the widget’s origin', async () => {
    const endpoint = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
    await widget.token();
    const popup = window.open(`${WIDGET_ORIGIN}/silent/popup`, unique('popup'))!;
    try {
      const fromPopup = new WidgetFrame(popup);
      await fromPopup.post(TOKEN_REQUEST);
      expect(el.status).to.equal('authenticated');
      expect(await fromPopup.received()).to.deep.equal([]);
    } finally {
      popup.close();
    }
  });

  it('ignores a token request from the opener of the host page', async () => {
    relayed.length = 0;
    const hostPage = window.open(`/test/support/csp-host.html?base=${encodeURIComponent(WIDGET_ORIGIN)}`, unique('host'))!;
    try {
      await until(() => relayedOf('rai-auth-success').length, 'the host page’s widget to sign in', 15000);
      // This test page is the host page's opener; its messages to the host page arrive in order.
      hostPage.postMessage(TOKEN_REQUEST, '*');
      hostPage.postMessage({ hostCommand: 'status' }, '*');
      const status = await until(() => relayedOf('status')[0], 'the host page’s status', 10000);
      expect(status.status).to.equal('authenticated');
      expect(relayedOf('rai-auth-success')).to.have.length(1);
    } finally {
      hostPage.close();
    }
  });

  it('keeps two elements of different widgets and storage keys apart', async () => {
    const endpointA = authEndpoint();
    const endpointB = authEndpoint();
    const a = await mount({ 'auth-endpoint': endpointA.url, 'widget-id': 'widget-a' });
    const b = await mount({ 'auth-endpoint': endpointB.url, 'widget-id': 'widget-b' });
    const [tokenA, tokenB] = await Promise.all([a.widget.token(), b.widget.token()]);
    expect([tokenA, tokenB]).to.deep.equal([endpointA.tokens[0], endpointB.tokens[0]]);
    expect(a.widget.reports('token')[0]!.value!.widgetId).to.equal('widget-a');
    expect(b.widget.reports('token')[0]!.value!.widgetId).to.equal('widget-b');

    await a.widget.request();
    const refreshedA = await a.widget.token(2);
    expect(refreshedA).to.equal(endpointA.tokens[1]);
    expect(await b.widget.received()).to.deep.equal([tokenB]);
    expect([endpointA.calls, endpointB.calls]).to.deep.equal([2, 1]);
    expect([a.events.success.length, b.events.success.length]).to.deep.equal([2, 1]);
  });
});

describe('under failure', () => {
  before(startWorker);
  afterEach(cleanup);

  it('reports a refused connection as network, retries, and recovers when the endpoint is fixed', async () => {
    const { el, events, widget } = await mount({ 'auth-endpoint': `${REFUSED_ORIGIN}/auth`, 'widget-type': 'silent' });
    await widget.post(TOKEN_REQUEST);
    await until(() => events.failure.find((failure) => !failure.retrying), 'the last failure', 8000);
    expect(events.failure.map(({ reason, retrying }) => ({ reason, retrying }))).to.deep.equal([
      { reason: 'network', retrying: true },
      { reason: 'network', retrying: true },
      { reason: 'network', retrying: false },
    ]);
    expect(await widget.received()).to.deep.equal([]);

    const endpoint = authEndpoint();
    el.authEndpoint = endpoint.url;
    expect(await widget.token()).to.equal(endpoint.tokens[0]);
  });

  it('answers an expiry storm of 50 requests with one fetch and one reply', async () => {
    const gate = deferred();
    let calls = 0;
    const endpoint = authEndpoint(async () => {
      if (++calls > 1) await gate.promise;
      return HttpResponse.json({ token: freshJwt() });
    });
    const { widget } = await mount({ 'auth-endpoint': endpoint.url });
    const first = await widget.token();
    await widget.post(TOKEN_REQUEST, 50);
    gate.resolve();
    const second = await widget.token(2);
    expect(second).not.to.equal(first);
    expect(await widget.received()).to.deep.equal([first, second]);
    expect(endpoint.calls).to.equal(2);
  });

  it('leaves no window listener, timer or request behind after 100 mount/unmount cycles', async () => {
    // The page's token owner listens once for the whole page (storage events): create it before the baseline.
    pageOwner();
    const before = await windowListeners();
    // Count the element's live timers and its requests' abort signals by wrapping the globals it calls,
    // only while the cycles run (the test runner's own commands use timers too).
    const live = new Set<number>();
    const signals: AbortSignal[] = [];
    let pending: AbortSignal[] = [];
    const { setTimeout: realSet, clearTimeout: realClear, fetch: realFetch } = window;
    window.setTimeout = ((handler: () => void, ms?: number) => {
      const id = realSet(() => {
        live.delete(id);
        handler();
      }, ms);
      live.add(id);
      return id;
    }) as typeof setTimeout;
    window.clearTimeout = ((id?: number) => {
      live.delete(id!);
      realClear(id);
    }) as typeof clearTimeout;
    window.fetch = (input, init) => {
      if (init?.signal) signals.push(init.signal);
      return realFetch(input, init);
    };
    try {
      const hanging = authEndpoint(() => new Promise<Response>(() => {}));
      for (let i = 0; i < 100; i++) {
        const { el } = await mount({ 'auth-endpoint': hanging.url, storage: 'memory' });
        el.remove();
      }
      pending = signals.slice();
      // And cycles that got as far as a delivered JWT, whose refresh-ahead timer is pending at removal.
      const answering = authEndpoint();
      for (let i = 0; i < 10; i++) {
        const { el, widget } = await mount({ 'auth-endpoint': answering.url, storage: 'memory' });
        await widget.token();
        el.remove();
      }
    } finally {
      Object.assign(window, { setTimeout: realSet, clearTimeout: realClear, fetch: realFetch });
    }
    expect(live.size).to.equal(0);
    // Every request still unanswered at removal was aborted.
    expect(pending).to.have.length(100);
    expect(pending.filter((signal) => !signal.aborted)).to.have.length(0);
    const after = await windowListeners();
    expect({ message: after.message, storage: after.storage }).to.deep.equal({ message: before.message, storage: before.storage });
  });

  it("works under a strict Content-Security-Policy with Trusted Types as Lit documents it (require-trusted-types-for 'script'; trusted-types lit-html), without a violation", async () => {
    relayed.length = 0;
    const frame = document.createElement('iframe');
    frame.src = `/test/support/csp-host.html?base=${encodeURIComponent(WIDGET_ORIGIN)}`;
    document.body.append(frame);
    try {
      await until(() => relayedOf('widget-token').length, 'the widget in the CSP page to receive a token', 15000);
      frame.contentWindow!.postMessage({ hostCommand: 'status' }, location.origin);
      const status = await until(() => relayedOf('status')[0], 'the CSP page’s status', 10000);
      expect(status.status).to.equal('authenticated');
      expect(status.violations).to.deep.equal([]);
      expect(relayedOf('violation')).to.deep.equal([]);
      expect(relayedOf('widget-token')[0]!.widgetId).to.equal('host-page');
    } finally {
      frame.remove();
    }
  });
});
