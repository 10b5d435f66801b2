import { expect } from '@open-wc/testing';
import {
  ATTACKER_ORIGIN,
  TOKEN_REQUEST,
  WIDGET_ORIGIN,
  authEndpoint,
  cleanup,
  deferred,
  freshJwt,
  mount,
  startWorker,
  storeToken,
  strayFrame,
  unique,
  until,
} from './support.js';
import { HttpResponse } from 'msw';

// An accepted token request sets status "authenticating" synchronously, in the message handler itself.
// So a request the element ignored leaves an authenticated element "authenticated" once the page has handled it.

describe('which messages the element answers', () => {
  before(startWorker);
  afterEach(cleanup);

  async function authenticatedWidget() {
    const endpoint = authEndpoint();
    const mounted = await mount({ 'auth-endpoint': endpoint.url });
    await mounted.widget.token();
    expect(mounted.el.status).to.equal('authenticated');
    return { endpoint, ...mounted };
  }

  it('ignores a token request from another frame of the widget’s own origin', async () => {
    const { el, events, endpoint } = await authenticatedWidget();
    const stray = strayFrame(WIDGET_ORIGIN);
    await stray.waitFor('loaded');
    await stray.post(TOKEN_REQUEST);
    expect(el.status).to.equal('authenticated');
    expect(await stray.received()).to.deep.equal([]);
    expect(events.success).to.have.length(1);
    expect(endpoint.calls).to.equal(1);
  });

  it('ignores a token request from a frame of another origin', async () => {
    const { el } = await authenticatedWidget();
    const attacker = strayFrame(ATTACKER_ORIGIN);
    await attacker.waitFor('loaded');
    await attacker.post(TOKEN_REQUEST);
    expect(el.status).to.equal('authenticated');
    expect(await attacker.received()).to.deep.equal([]);
  });

  it('ignores a token request posted by the page itself', async () => {
    const { el } = await authenticatedWidget();
    // This listener was added after the element's, so when it runs the element has handled the message.
    const handled = new Promise((resolve) => addEventListener('message', resolve, { once: true }));
    window.postMessage(TOKEN_REQUEST, '*');
    await handled;
    expect(el.status).to.equal('authenticated');
  });

  it('ignores a request from its own iframe once that iframe shows another origin', async () => {
    const { el, widget } = await authenticatedWidget();
    await widget.navigate(`${ATTACKER_ORIGIN}/silent/took-over`);
    await until(() => widget.reports('loaded').find((report) => report.origin === ATTACKER_ORIGIN), 'the attacker page');
    await widget.post(TOKEN_REQUEST);
    expect(el.status).to.equal('authenticated');
    expect(await widget.received()).to.deep.equal([]);
  });

  it('never hands a token to a page its iframe navigated to while the token was being fetched', async () => {
    const gate = deferred();
    const endpoint = authEndpoint(async () => {
      await gate.promise;
      return HttpResponse.json({ token: freshJwt() });
    });
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    await widget.waitFor('loaded');
    await widget.post(TOKEN_REQUEST);
    await widget.navigate(`${ATTACKER_ORIGIN}/silent/took-over`);
    await until(() => widget.reports('loaded').find((report) => report.origin === ATTACKER_ORIGIN), 'the attacker page');
    gate.resolve();
    await until(() => events.success.length, 'the element to post its reply');
    // Had the reply gone out with targetOrigin '*', the attacker's document would list it here.
    expect(await widget.received()).to.deep.equal([]);
    expect(el.status).to.equal('authenticated');
  });

  it('ignores junk messages from its own iframe without throwing, and still works afterwards', async () => {
    const key = unique('key');
    const token = freshJwt();
    const endpoint = authEndpoint();
    storeToken(key, token, endpoint);
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.error);
    addEventListener('error', onError);
    try {
      const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent', 'storage-key': key });
      // The document that never asked is pushed the token once it has loaded; junk must add nothing to that.
      expect(await widget.token()).to.equal(token);
      const junk = [
        null,
        undefined,
        'RETURNINGAI_WIDGET_REQUEST_TOKEN',
        42,
        true,
        [],
        ['RETURNINGAI_WIDGET_REQUEST_TOKEN'],
        {},
        { type: null },
        { type: 'returningai_widget_request_token' },
        { type: { toString: 'RETURNINGAI_WIDGET_REQUEST_TOKEN' } },
        { type: 'RETURNINGAI_WIDGET_TOKEN', value: { token: 'forged', widgetId: 'w1' } },
        { kind: 'RETURNINGAI_WIDGET_REQUEST_TOKEN' },
        { type: 'RETURNINGAI_WIDGET_REQUEST_TOKEN '.repeat(100_000) },
        'x'.repeat(1_000_000),
      ];
      for (const message of junk) await widget.post(message);
      expect(el.status).to.equal('authenticated');
      expect(events.success).to.have.length(1);
      expect(await widget.received()).to.deep.equal([token]);
      expect(errors).to.deep.equal([]);

      // A request after the push may have crossed it on the way: it is answered with the same token, not a new one.
      await widget.request();
      expect(await widget.token(2)).to.equal(token);
      expect(endpoint.calls).to.equal(0);
    } finally {
      removeEventListener('error', onError);
    }
  });

  it('replies only with the documented message shape, to its own widget, at the widget’s origin', async () => {
    const { widget, endpoint } = await authenticatedWidget();
    const [reply] = widget.reports('token');
    expect(reply!.origin).to.equal(WIDGET_ORIGIN);
    expect(reply!.value).to.deep.equal({ token: endpoint.tokens[0], widgetId: 'w1' });
  });
});
