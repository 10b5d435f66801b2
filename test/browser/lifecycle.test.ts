import { expect } from '@open-wc/testing';
import { HttpResponse } from 'msw';
import { ReturningAiWidget } from '../../src/element/returning-ai-widget.js';
import { TOKEN_REQUEST, WidgetFrame, authEndpoint, cleanup, deferred, freshJwt, mount, poke, record, startWorker, storeToken, unique, until } from './support.js';

describe('logout, removal and attribute changes', () => {
  before(startWorker);
  afterEach(cleanup);

  it('logout() removes the token, reloads the widget, reports it, and leaves it signed out until authenticate()', async () => {
    const endpoint = authEndpoint();
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-id': 'abc' });
    const first = await widget.token();
    el.logout();
    expect(localStorage.getItem(el.storageKey)).to.equal(null);
    expect(el.status).to.equal('logged-out');
    expect(el.getAttribute('status')).to.equal('logged-out');
    expect(events.all.at(-1)).to.deep.equal({ type: 'rai-logout', detail: { widgetId: 'abc' } });
    // The reloaded widget asks at once; a host session that is still valid must not sign it back in.
    await widget.waitFor('loaded', 2);
    await widget.request();
    expect(await widget.received()).to.deep.equal([]);
    expect(endpoint.calls).to.equal(1);
    expect(el.status).to.equal('logged-out');

    expect(await el.authenticate()).to.equal(true);
    const second = await widget.token(2);
    expect(second).not.to.equal(first);
    expect(endpoint.calls).to.equal(2);
    expect(events.success.at(-1)!.refreshed).to.equal(false);
  });

  it('reload() after logout() also ends the signed-out state: the reloaded widget signs in', async () => {
    const endpoint = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
    await widget.token();
    el.logout();
    await widget.waitFor('loaded', 2);
    // The reloaded document's own request has been handled (and left unanswered) once it reports.
    expect(await widget.received()).to.deep.equal([]);
    el.reload();
    await widget.waitFor('loaded', 3);
    expect(await widget.token(2)).to.equal(endpoint.tokens[1]);
    expect(el.status).to.equal('authenticated');
  });

  it('logout() aborts the request in flight: its token reaches neither the widget nor storage', async () => {
    const gate = deferred();
    const late = freshJwt();
    const endpoint = authEndpoint(async () => {
      await gate.promise;
      return HttpResponse.json({ token: late });
    });
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    await widget.post(TOKEN_REQUEST);
    el.logout();
    gate.resolve();
    await widget.waitFor('loaded', 2);
    // Everything posted to the frame before this report would be listed by it.
    expect(await widget.received()).to.deep.equal([]);
    expect(localStorage.getItem(el.storageKey)).to.equal(null);
    expect(events.success).to.deep.equal([]);
    expect(events.failure).to.deep.equal([]);
  });

  it('logout() reaches every element sharing the storage slot', async () => {
    const endpoint = authEndpoint();
    const key = unique('key');
    const a = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, 'widget-id': 'a' });
    const b = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key, 'widget-id': 'b' });
    const other = await mount({ 'auth-endpoint': endpoint.url, 'widget-id': 'other' });
    await Promise.all([a.widget.token(), b.widget.token(), other.widget.token()]);
    a.el.logout();
    expect([a.el.status, b.el.status, other.el.status]).to.deep.equal(['logged-out', 'logged-out', 'authenticated']);
    expect([a.events.logout, b.events.logout, other.events.logout]).to.deep.equal([1, 1, 0]);
  });

  it('a logout in another document of the origin (another tab) logs the widget out here', async () => {
    const endpoint = authEndpoint();
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url });
    await widget.token();
    // A same-origin frame is another document: its storage change reaches this window as a real `storage` event.
    const tab = document.createElement('iframe');
    document.body.append(tab);
    try {
      tab.contentWindow!.localStorage.removeItem(el.storageKey);
      await until(() => events.logout, 'the logout from the other document');
      expect(el.status).to.equal('logged-out');
      await widget.waitFor('loaded', 2);
    } finally {
      tab.remove();
    }
  });

  it('a token written by another tab is used for the widget’s next request', async () => {
    const endpoint = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
    await widget.token();
    const fromOtherTab = freshJwt();
    storeToken(el.storageKey, fromOtherTab, endpoint);
    await widget.request();
    expect(await widget.token(2)).to.equal(fromOtherTab);
    expect(endpoint.calls).to.equal(1);
  });

  it('removal aborts the request in flight and fires nothing afterwards; reconnecting works again', async () => {
    const gate = deferred();
    const issued: string[] = [];
    const endpoint = authEndpoint(async () => {
      await gate.promise;
      issued.push(freshJwt());
      poke();
      return HttpResponse.json({ token: issued.at(-1) });
    });
    const { el, events } = await mount({ 'auth-endpoint': endpoint.url });
    await until(() => endpoint.calls === 1, 'the request');
    el.remove();
    expect(el.status).to.equal('idle');
    gate.resolve();
    await until(() => issued.length === 1, 'the answer to the aborted request');
    expect(events.all).to.deep.equal([]);
    expect(localStorage.getItem(el.storageKey)).to.equal(null);

    document.body.append(el);
    await el.updateComplete;
    const token = await new WidgetFrame(el.shadowRoot!.querySelector('iframe')!).token();
    expect(endpoint.calls).to.equal(2);
    expect(token).to.equal(issued[1]);
    expect(events.success).to.have.length(1);
  });

  it('changing widget-id loads the new widget page, answered with the current token', async () => {
    const endpoint = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-id': 'one' });
    const token = await widget.token();
    el.widgetId = 'two';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('iframe')!.src).to.match(/\/store\/two$/);
    await widget.waitFor('loaded', 2);
    const reply = await widget.waitFor('token', 2);
    expect(reply.value).to.deep.equal({ token, widgetId: 'two' });
    expect(endpoint.calls).to.equal(1);
  });

  it('changing theme, widget-type or base-url loads the new URL', async () => {
    const endpoint = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
    await widget.token();
    el.setAttribute('theme', 'dark');
    el.setAttribute('widget-type', 'leaderboard');
    await el.updateComplete;
    expect(new URL(el.shadowRoot!.querySelector('iframe')!.src).pathname + new URL(el.shadowRoot!.querySelector('iframe')!.src).search).to.equal(
      '/leaderboard/w1?color=dark',
    );
    await widget.waitFor('loaded', 2);
    await widget.waitFor('token', 2);
  });

  it('changing auth-endpoint drops the token and authenticates against the new endpoint', async () => {
    const before = authEndpoint();
    const after = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': before.url });
    const first = await widget.token();
    el.authEndpoint = after.url;
    await until(() => after.calls === 1, 'the request to the new endpoint');
    await widget.request();
    const second = await widget.token(2);
    expect(second).to.equal(after.tokens[0]);
    expect(second).not.to.equal(first);
    expect(before.calls).to.equal(1);
  });

  it('does not dispatch events or touch attributes when merely created', () => {
    const el = document.createElement('returning-ai-widget');
    const events = record(el);
    el.setAttribute('widget-id', 'x');
    expect(el.hasAttribute('status')).to.equal(false);
    expect(el.status).to.equal('idle');
    expect(events.all).to.deep.equal([]);
  });
});

describe('ReturningAiWidget.logout()', () => {
  before(startWorker);
  afterEach(cleanup);

  it('signs out the widgets of a slot from code that holds no element, e.g. the host app’s sign-out', async () => {
    const endpoint = authEndpoint();
    const key = unique('key');
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key });
    const other = await mount({ 'auth-endpoint': endpoint.url });
    await Promise.all([widget.token(), other.widget.token()]);
    ReturningAiWidget.logout({ storageKey: key });
    expect(localStorage.getItem(key)).to.equal(null);
    expect(events.logout).to.equal(1);
    expect(el.status).to.equal('logged-out');
    expect(other.el.status).to.equal('authenticated');
  });

  it('clears the default slot when called with no argument, so the next user of the browser starts clean', async () => {
    const previousUser = freshJwt();
    localStorage.setItem('returning-ai-widget-token', previousUser);
    ReturningAiWidget.logout();
    expect(localStorage.getItem('returning-ai-widget-token')).to.equal(null);
    // A widget mounted on this page after the logout is signed out too, with no request, until the app signs it in.
    const endpoint = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': 'returning-ai-widget-token' });
    expect(el.status).to.equal('logged-out');
    await widget.waitFor('loaded');
    expect(await widget.received()).to.deep.equal([]);
    expect(endpoint.calls).to.equal(0);
    expect(await el.authenticate()).to.equal(true);
    expect(await widget.token()).to.equal(endpoint.tokens[0]);
    ReturningAiWidget.logout();
  });

  it('never throws, even with a storage that is none of the three: it signs the key out in all three', async () => {
    const key = unique('key');
    for (const area of [localStorage, sessionStorage]) area.setItem(key, freshJwt());
    expect(() => ReturningAiWidget.logout({ storage: 'Local' as 'local', storageKey: key })).not.to.throw();
    expect([localStorage.getItem(key), sessionStorage.getItem(key)]).to.deep.equal([null, null]);
    expect(() => ReturningAiWidget.logout(null as unknown as undefined)).not.to.throw();
  });
});
