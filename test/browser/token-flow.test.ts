import { expect } from '@open-wc/testing';
import { HttpResponse } from 'msw';
import {
  TOKEN_REQUEST,
  authEndpoint,
  cleanup,
  deferred,
  freshJwt,
  jwt,
  mount,
  sourceOf,
  startWorker,
  storeToken,
  storedToken,
  unique,
  until,
  type Mounted,
} from './support.js';

describe('token flow', () => {
  before(startWorker);
  afterEach(cleanup);

  it('answers the widget’s request with a token from the auth endpoint, POSTed with credentials', async () => {
    const endpoint = authEndpoint();
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-id': 'abc' });
    const token = await widget.token();
    expect(token).to.equal(endpoint.tokens[0]);
    expect(widget.reports('token')[0]!.value).to.deep.equal({ token, widgetId: 'abc' });
    expect(el.status).to.equal('authenticated');
    expect(el.getAttribute('status')).to.equal('authenticated');
    expect(events.success).to.deep.equal([{ widgetId: 'abc', refreshed: false, expiresAt: JSON.parse(atob(token.split('.')[1]!)).exp * 1000 }]);
    expect(endpoint.requests[0]!.method).to.equal('POST');
    expect(endpoint.requests[0]!.credentials).to.equal('include');
  });

  it('never puts the token in an event detail, an attribute or the shadow DOM', async () => {
    const endpoint = authEndpoint();
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url });
    const token = await widget.token();
    expect(JSON.stringify(events.all)).not.to.contain(token);
    expect(el.outerHTML).not.to.contain(token);
    expect(el.shadowRoot!.innerHTML).not.to.contain(token);
  });

  it('starts fetching as soon as it connects, before the widget asks', async () => {
    const gate = deferred();
    const token = freshJwt();
    const endpoint = authEndpoint(async () => {
      await gate.promise;
      return HttpResponse.json({ token });
    });
    const { widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    await until(() => endpoint.calls === 1, 'the auth request');
    // The widget never asked and has nothing yet; once the answer is in, the loaded widget is pushed it.
    expect(await widget.received()).to.deep.equal([]);
    gate.resolve();
    expect(await widget.token()).to.equal(token);
  });

  it('makes a request that arrives before the token is ready wait for it, never answering with an empty token', async () => {
    const gate = deferred();
    const token = freshJwt();
    const endpoint = authEndpoint(async () => {
      await gate.promise;
      return HttpResponse.json({ token });
    });
    const { widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    await widget.post(TOKEN_REQUEST);
    expect(await widget.received()).to.deep.equal([]);
    gate.resolve();
    expect(await widget.token()).to.equal(token);
    expect(await widget.received()).to.deep.equal([token]);
  });

  it('stores the token under storage-key, bound to its endpoint, and reuses it on the next page view without a request', async () => {
    const key = unique('key');
    const endpoint = authEndpoint();
    const view1 = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key });
    const token = await view1.widget.token();
    // Raw, as the vendor's snippet keeps it (its pages hand it to their widgets); its source beside it.
    expect(localStorage.getItem(key)).to.equal(token);
    expect(localStorage.getItem(`${key}.source`)).to.equal(`${token.slice(-16)} ${sourceOf(endpoint)}`);
    cleanup();

    const view2 = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key });
    expect(await view2.widget.token()).to.equal(token);
    expect(endpoint.calls).to.equal(1);
  });

  it('reuses a stored opaque (non-JWT) token', async () => {
    const key = unique('key');
    const endpoint = authEndpoint();
    storeToken(key, 'opaque-token', endpoint);
    const { widget } = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key });
    expect(await widget.token()).to.equal('opaque-token');
    expect(endpoint.calls).to.equal(0);
  });

  for (const [what, exp] of [
    ['expired', -10],
    ['expiring within 30 s', 20],
  ] as const) {
    it(`does not reuse a stored JWT ${what}`, async () => {
      const key = unique('key');
      const endpoint = authEndpoint();
      storeToken(key, jwt({ exp: Math.floor(Date.now() / 1000) + exp }), endpoint);
      const { widget } = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key });
      expect(await widget.token()).to.equal(endpoint.tokens[0]);
      expect(endpoint.calls).to.equal(1);
      expect(storedToken(key)).to.equal(endpoint.tokens[0]);
    });
  }

  it('keeps the token in sessionStorage with storage="session", and nowhere with storage="memory"', async () => {
    const endpoint = authEndpoint();
    const session = await mount({ 'auth-endpoint': endpoint.url, storage: 'session', 'storage-key': unique('key') });
    const token = await session.widget.token();
    const key = session.el.storageKey;
    expect(storedToken(key, sessionStorage)).to.equal(token);
    expect(localStorage.getItem(key)).to.equal(null);

    const memory = await mount({ 'auth-endpoint': endpoint.url, storage: 'memory', 'storage-key': unique('key') });
    const memoryToken = await memory.widget.token();
    const inStorage = [...Object.values({ ...localStorage }), ...Object.values({ ...sessionStorage })];
    expect(inStorage.filter((value) => value.includes(memoryToken))).to.deep.equal([]);
  });

  it('treats a later request as expiry: fetches a new token and never resends the old one', async () => {
    const endpoint = authEndpoint();
    const { events, widget, el } = await mount({ 'auth-endpoint': endpoint.url });
    const first = await widget.token();
    await widget.request();
    const second = await widget.token(2);
    expect(second).not.to.equal(first);
    expect(second).to.equal(endpoint.tokens[1]);
    expect(endpoint.calls).to.equal(2);
    expect(events.success.map((detail) => detail.refreshed)).to.deep.equal([false, true]);
    expect(storedToken(el.storageKey)).to.equal(second);
  });

  it('answers the first request after reload() with the current token, without a request', async () => {
    const endpoint = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
    const token = await widget.token();
    el.reload();
    await widget.waitFor('loaded', 2);
    expect(await widget.token(2)).to.equal(token);
    expect(endpoint.calls).to.equal(1);
  });

  it('shares one request among a burst of concurrent requests', async () => {
    const gate = deferred();
    const endpoint = authEndpoint(async () => {
      await gate.promise;
      return HttpResponse.json({ token: freshJwt() });
    });
    const { widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    for (let i = 0; i < 5; i++) await widget.post(TOKEN_REQUEST);
    gate.resolve();
    await widget.token();
    expect(await widget.received()).to.have.length(1);
    expect(endpoint.calls).to.equal(1);
  });

  it('shares one request among ten widgets with the same endpoint and storage key', async () => {
    const gate = deferred();
    const token = freshJwt();
    const endpoint = authEndpoint(async () => {
      await gate.promise;
      return HttpResponse.json({ token });
    });
    const key = unique('key');
    const widgets: Mounted[] = [];
    for (let i = 0; i < 10; i++) widgets.push(await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, 'widget-id': `w${i}` }));
    gate.resolve();
    const received = await Promise.all(widgets.map(({ widget }) => widget.token()));
    expect(new Set(received)).to.deep.equal(new Set([token]));
    expect(widgets.map(({ widget }) => widget.reports('token')[0]!.value!.widgetId)).to.deep.equal(widgets.map((_, i) => `w${i}`));
    expect(endpoint.calls).to.equal(1);
  });

  it('makes separate requests for widgets with different storage keys', async () => {
    const endpoint = authEndpoint();
    const a = await mount({ 'auth-endpoint': endpoint.url });
    const b = await mount({ 'auth-endpoint': endpoint.url });
    const [tokenA, tokenB] = await Promise.all([a.widget.token(), b.widget.token()]);
    expect(tokenA).not.to.equal(tokenB);
    expect(endpoint.calls).to.equal(2);
  });

  it('fetches the next token ahead of expiry, so the expiry request is answered from memory', async () => {
    let issued = 0;
    const endpoint = authEndpoint(() => {
      issued++;
      return HttpResponse.json({ token: freshJwt(4) });
    });
    const { widget } = await mount({ 'auth-endpoint': endpoint.url });
    const first = await widget.token();
    // Refresh-ahead fires a quarter of the 4 s lifetime before expiry: wait for it by its request.
    await until(() => endpoint.calls === 2, 'the refresh-ahead request', 6000);
    expect(await widget.received()).to.deep.equal([first]);
    await widget.request();
    const second = await widget.token(2);
    expect(second).not.to.equal(first);
    expect(issued).to.equal(2);
  });

  it('uses the tokenProvider property instead of an endpoint, passing it an abort signal', async () => {
    const signals: AbortSignal[] = [];
    const token = freshJwt();
    const { widget } = await mount({}, {
      tokenProvider: async ({ signal }) => {
        signals.push(signal);
        return token;
      },
    });
    expect(await widget.token()).to.equal(token);
    expect(signals).to.have.length(1);
    expect(signals[0]).to.be.instanceOf(AbortSignal);
  });
});
