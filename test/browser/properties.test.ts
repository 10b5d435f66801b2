/**
 * The element's properties, as Lit gives them: they mirror attributes, removed attributes and null or undefined
 * restore defaults, property-only ones still update the element, frameworks may set properties before the element is
 * defined, changes are batched into one update that `updateComplete` waits for, and the styles follow the element
 * into another document.
 */
import { expect } from '@open-wc/testing';
import { LitElement } from 'lit';
import { ReturningAiWidget } from '../../src/element/returning-ai-widget.js';
import { WIDGET_ORIGIN, WidgetFrame, authEndpoint, cleanup, freshJwt, mount, poll, startWorker, unique } from './support.js';

describe('properties', () => {
  before(startWorker);
  afterEach(cleanup);

  it('mirrors attributes into properties, converting timeout to a number; theme reflects back', async () => {
    const endpoint = authEndpoint();
    const { el } = await mount({ 'auth-endpoint': endpoint.url, timeout: '2500', 'widget-type': 'silent' });
    expect(el.timeout).to.equal(2500);
    expect(el.authEndpoint).to.equal(endpoint.url);
    el.setAttribute('widget-id', 'changed');
    expect(el.widgetId).to.equal('changed');
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    // Removing an attribute, or setting null or undefined, gives the property its default back at the next update.
    el.removeAttribute('theme');
    el.removeAttribute('timeout');
    el.widgetType = null as unknown as string;
    el.storageKey = undefined as unknown as string;
    await el.updateComplete;
    expect([el.theme, el.timeout, el.widgetType, el.storageKey]).to.deep.equal([undefined, 10_000, 'store', 'returning-ai-widget-token']);
    expect(el.hasAttribute('theme')).to.equal(false);
    expect(el.shadowRoot!.querySelector('iframe')!.src).to.equal(`${WIDGET_ORIGIN}/store/changed`);
  });

  it('is a LitElement', () => {
    expect(ReturningAiWidget.prototype).to.be.instanceOf(LitElement);
  });

  it('batches changes into one update, and updateComplete resolves once it ran', async () => {
    const endpoint = authEndpoint();
    const { el } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    const frame = el.shadowRoot!.querySelector('iframe')!;
    el.widgetId = 'one';
    el.widgetType = 'leaderboard';
    expect(frame.src).to.equal(`${WIDGET_ORIGIN}/silent/w1`);
    expect(await el.updateComplete).to.equal(true);
    expect(frame.src).to.equal(`${WIDGET_ORIGIN}/leaderboard/one`);
  });

  it('a property-only property (tokenProvider) updates the element when it changes', async () => {
    const first = freshJwt();
    const second = freshJwt();
    const { el, widget } = await mount({}, { tokenProvider: async () => first });
    expect('tokenProvider' in ReturningAiWidget.prototype).to.equal(true);
    expect(await widget.token()).to.equal(first);
    el.tokenProvider = async () => second;
    await el.updateComplete;
    await widget.request();
    expect(await widget.token(2)).to.equal(second);
  });

  it('keeps properties set before the element was defined, over its defaults, as frameworks set them', async () => {
    const tag = `rai-late-${unique('tag').toLowerCase()}`;
    const token = freshJwt();
    const el = document.createElement(tag) as ReturningAiWidget;
    Object.assign(el, { widgetId: 'early', timeout: 4321, baseUrl: WIDGET_ORIGIN, storage: 'memory', tokenProvider: async () => token });
    document.body.append(el);
    ReturningAiWidget.define(tag);
    const upgraded = document.querySelector(tag) as ReturningAiWidget;
    await upgraded.updateComplete;
    expect(upgraded).to.be.instanceOf(ReturningAiWidget);
    expect([upgraded.widgetId, upgraded.timeout, upgraded.storage]).to.deep.equal(['early', 4321, 'memory']);
    expect(await new WidgetFrame(upgraded.shadowRoot!.querySelector('iframe')!).token()).to.equal(token);
    upgraded.remove();
  });

  it('carries its styles into another document', async () => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    try {
      const endpoint = authEndpoint();
      const { el } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
      frame.contentDocument!.body.append(el);
      await poll(() => el.shadowRoot!.querySelector('iframe')!.getBoundingClientRect().height === 600, 'the styled frame in the other document');
      expect(getComputedStyle(el.shadowRoot!.querySelector('iframe')!).borderTopStyle).to.equal('none');
    } finally {
      frame.remove();
    }
  });
});
