/**
 * Tokens pushed as the vendor's SDK pushes them (issue 16): a widget never waits for a token it could have, and
 * never runs into its token's expiry. Against the real cross-origin fake widget, which reports every message.
 */
import { expect } from '@open-wc/testing';
import { HttpResponse } from 'msw';
import { authEndpoint, cleanup, freshJwt, mount, poll, startWorker, unique } from './support.js';

const expiryOf = (token: string) => (JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp: number }).exp * 1000;

describe('pushed tokens', () => {
  before(startWorker);
  afterEach(cleanup);

  it('REFRESH: a widget holding a token gets its replacement before it expires, without asking, once for the widgets sharing it', async function () {
    this.timeout(20_000); // two 4 s tokens' refreshes ahead of expiry
    const endpoint = authEndpoint(() => HttpResponse.json({ token: freshJwt(4) }));
    const key = unique('key');
    const a = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, 'widget-id': 'a', 'widget-type': 'silent' });
    const b = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, 'widget-id': 'b', 'widget-type': 'silent' });
    await poll(() => a.widget.tokens.length >= 3 && b.widget.tokens.length >= 3, 'two refreshes in each widget', 15_000);
    for (const { widget, events } of [a, b]) {
      const tokens = widget.reports('token');
      // The first token was pushed to the loaded document (it never asks); each next one came as a REFRESH...
      expect(tokens.map((report) => report.type)).to.deep.equal(['RETURNINGAI_WIDGET_TOKEN', 'RETURNINGAI_WIDGET_REFRESH', 'RETURNINGAI_WIDGET_REFRESH']);
      // ...while the one before was still valid.
      for (let i = 1; i < 3; i++) expect(tokens[i]!.at!, `refresh ${i} before the old token's exp`).to.be.below(expiryOf(tokens[i - 1]!.value!.token));
      expect(events.success.map((detail) => detail.refreshed)).to.deep.equal([false, true, true]);
    }
    expect(a.widget.tokens).to.deep.equal(b.widget.tokens);
    expect(endpoint.calls).to.equal(3, 'one request per token lifetime for both widgets');
  });

  it('REFRESH is not sent to a widget that a logout signed out, nor fetched for it', async function () {
    this.timeout(15_000);
    const endpoint = authEndpoint(() => HttpResponse.json({ token: freshJwt(4) }));
    // A control widget on its own key and endpoint, signed in at the same moment with the same lifetime: its refresh
    // tells when the signed-out widget's would have come.
    const control = authEndpoint(() => HttpResponse.json({ token: freshJwt(4) }));
    const [out, timing] = await Promise.all([
      mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' }),
      mount({ 'auth-endpoint': control.url, 'widget-type': 'silent' }),
    ]);
    await Promise.all([out.widget.token(), timing.widget.token()]);
    out.el.logout();
    await out.widget.waitFor('loaded', 2);
    await timing.widget.token(2, 10_000);
    expect(endpoint.calls).to.equal(1);
    expect(await out.widget.received()).to.deep.equal([]);
  });

  it('a pushed token is sent to its own widget only, at the widget’s origin', async () => {
    const endpoint = authEndpoint();
    const { widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent', 'widget-id': 'mine' });
    const [report] = [await widget.waitFor('token')];
    expect(report.type).to.equal('RETURNINGAI_WIDGET_TOKEN');
    expect(report.value).to.deep.equal({ token: endpoint.tokens[0], widgetId: 'mine' });
  });
});
