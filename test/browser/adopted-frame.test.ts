/**
 * A frame in the `frame` slot that no parser put there: the React component renders `<iframe slot="frame">` in the
 * browser too (a client-side route change), and an app may re-render it away. The page has long loaded, so its load
 * event says nothing about such a frame: the element waits for the frame's own.
 */
import { expect } from '@open-wc/testing';
import type { ReturningAiWidget } from '../../src/element/returning-ai-widget.js';
import { WIDGET_ORIGIN, WidgetFrame, authEndpoint, cleanup, freshJwt, mount, poll, startWorker, storeToken, unique } from './support.js';

/** An element with a light-DOM `<iframe slot="frame">` of the widget page `path`, before it is connected. */
function withSlotFrame(path: string) {
  const el = document.createElement('returning-ai-widget') as ReturningAiWidget;
  const iframe = document.createElement('iframe');
  iframe.slot = 'frame';
  iframe.src = `${WIDGET_ORIGIN}${path}`;
  el.append(iframe);
  return { el, iframe, widget: new WidgetFrame(iframe) };
}

describe('a slot frame added after the page loaded', () => {
  before(startWorker);
  afterEach(cleanup);

  it('is not taken for loaded: a widget that never asks is pushed its one token once its document has loaded', async () => {
    const endpoint = authEndpoint();
    const key = unique('key');
    const token = freshJwt();
    storeToken(key, token, endpoint);
    const { el, widget } = withSlotFrame('/silent/a1');
    await mount({ 'widget-id': 'a1', 'auth-endpoint': endpoint.url, 'storage-key': key }, {}, el);
    expect(await widget.token()).to.equal(token);
    expect(await widget.received()).to.deep.equal([token]);
    expect(el.status).to.equal('authenticated');
    expect(endpoint.calls).to.equal(0);
  });

  it('reports success only once the widget document that got the token has loaded', async () => {
    const endpoint = authEndpoint();
    const key = unique('key');
    storeToken(key, freshJwt(), endpoint);
    const { el, widget } = withSlotFrame('/store/a2');
    let loadedAtSuccess: number | undefined;
    el.addEventListener('rai-auth-success', () => (loadedAtSuccess ??= widget.reports('loaded').length));
    let busyWhileUnloaded: boolean | undefined;
    el.addEventListener('rai-status-change', () => (busyWhileUnloaded ??= widget.reports('loaded').length === 0 && el.getAttribute('aria-busy') === 'true'));
    await mount({ 'widget-id': 'a2', 'auth-endpoint': endpoint.url, 'storage-key': key }, {}, el);
    await widget.token();
    await poll(() => loadedAtSuccess !== undefined, 'rai-auth-success');
    expect(loadedAtSuccess).to.equal(1);
    expect(busyWhileUnloaded, 'the loading cover stays until the document has loaded').to.equal(true);
  });

  it('removed by the app: the element renders its own frame, sent to the configured page, which signs in', async () => {
    const endpoint = authEndpoint();
    const { el, iframe, widget } = withSlotFrame('/store/a3');
    await mount({ 'widget-id': 'a3', 'auth-endpoint': endpoint.url }, {}, el);
    await widget.token();
    iframe.remove();
    const own = await poll(() => el.shadowRoot!.querySelector('iframe') ?? undefined, 'the element’s own frame');
    expect(own.src).to.equal(`${WIDGET_ORIGIN}/store/a3`);
    const token = await new WidgetFrame(own).token();
    expect(token).to.be.a('string');
    expect(el.status).to.equal('authenticated');
    el.reload();
    await new WidgetFrame(own).waitFor('loaded', 2);
    expect(el.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
  });
});
