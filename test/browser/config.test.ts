import { expect } from '@open-wc/testing';
import { ReturningAiWidget } from '../../src/element/returning-ai-widget.js';
import { widgetUrl } from '../../src/element/widget-config.js';
import { WIDGET_ORIGIN, authEndpoint, cleanup, mount, startWorker, until } from './support.js';

describe('the widget page URL and configuration', () => {
  before(startWorker);
  afterEach(cleanup);

  it('loads {base-url}/{widget-type}/{widget-id}, with the theme as ?color=', async () => {
    const endpoint = authEndpoint();
    const plain = await mount({ 'auth-endpoint': endpoint.url, 'widget-id': 'abc' });
    expect(plain.widget.frame.src).to.equal(`${WIDGET_ORIGIN}/store/abc`);
    const themed = await mount({ 'auth-endpoint': endpoint.url, 'widget-id': 'abc', 'widget-type': 'leaderboard', theme: 'dark' });
    expect(themed.widget.frame.src).to.equal(`${WIDGET_ORIGIN}/leaderboard/abc?color=dark`);
    expect((await themed.widget.waitFor('loaded')).href).to.equal(`${WIDGET_ORIGIN}/leaderboard/abc?color=dark`);
  });

  it('encodes the widget id so that it cannot change the path, query or fragment', async () => {
    const endpoint = authEndpoint();
    const { widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-id': 'a/../b?c=1#d%2F' });
    expect(widget.frame.src).to.equal(`${WIDGET_ORIGIN}/store/a%2F..%2Fb%3Fc%3D1%23d%252F`);
    const loaded = new URL((await widget.waitFor('loaded')).href!);
    expect([loaded.origin, loaded.pathname, loaded.search, loaded.hash]).to.deep.equal([WIDGET_ORIGIN, '/store/a%2F..%2Fb%3Fc%3D1%23d%252F', '', '']);
    await widget.token();
  });

  it('keeps a path prefix of base-url', () => {
    expect(widgetUrl('https://tenant.returning.ai/widgets/', 'store', 'x', undefined).href).to.equal('https://tenant.returning.ai/widgets/store/x');
    expect(widgetUrl('https://prod-widgets.returning.ai', 'store', 'x', 'light').href).to.equal('https://prod-widgets.returning.ai/store/x?color=light');
    expect(widgetUrl('http://[::1]:8080', 'store', 'x', undefined).origin).to.equal('http://[::1]:8080');
  });

  it('renders an iframe that allows clipboard writes, has no border and fills the 100% × 600px element', async () => {
    const endpoint = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url, label: 'Rewards store', loading: 'lazy' });
    const frame = widget.frame;
    expect(frame.getAttribute('allow')).to.equal('clipboard-write');
    expect(frame.getAttribute('part')).to.equal('iframe');
    expect(frame.title).to.equal('Rewards store');
    expect(frame.getAttribute('loading')).to.equal('lazy');
    expect(getComputedStyle(frame).borderTopStyle).to.equal('none');
    expect(el.getBoundingClientRect().height).to.equal(600);
    expect(el.getBoundingClientRect().width).to.equal(document.body.getBoundingClientRect().width);
    expect(frame.getBoundingClientRect().height).to.equal(600);
    el.style.height = '320px';
    expect(frame.getBoundingClientRect().height).to.equal(320);
  });

  const refused: Array<[string, Record<string, string>, RegExp]> = [
    ['a non-loopback http: base-url', { 'base-url': 'http://widgets.example.com' }, /base-url protocol must be https:, not "http:"/],
    ['a javascript: base-url', { 'base-url': 'javascript:alert(1)//' }, /base-url protocol must be https:/],
    ['a data: base-url', { 'base-url': 'data:text/html,<script>alert(1)</script>' }, /base-url protocol must be https:/],
    ['credentials in base-url', { 'base-url': 'https://user:secret@prod-widgets.returning.ai' }, /credentials/],
    ['a query in base-url', { 'base-url': `${WIDGET_ORIGIN}/?next=evil` }, /query/],
    ['a relative base-url', { 'base-url': '/widgets' }, /base-url must be an absolute URL/],
    ['a widget-type with a slash', { 'widget-type': 'store/../admin' }, /widget-type/],
    ['a widget-type with a query', { 'widget-type': 'store?x' }, /widget-type/],
    ['a widget-id of ".."', { 'widget-id': '..' }, /widget-id/],
    ['a widget-id with whitespace', { 'widget-id': 'abc def' }, /widget-id/],
    ['an empty widget-id', { 'widget-id': '' }, /widget-id/],
    ['an unknown theme', { theme: 'blue' }, /theme must be light or dark, not "blue"/],
    ['an unknown storage', { storage: 'cookie' }, /storage must be local or session or memory/],
    ['an unknown loading', { loading: 'soon' }, /loading must be eager or lazy/],
    ['a non-numeric timeout', { timeout: 'soon' }, /timeout must be 1 to 2147483647 \(ms\)/],
    ['a timeout of 0', { timeout: '0' }, /timeout must be 1 to 2147483647 \(ms\)/],
    ['a timeout beyond what timers hold', { timeout: '1e20' }, /timeout must be 1 to 2147483647 \(ms\)/],
    ['a fragment in base-url', { 'base-url': `${WIDGET_ORIGIN}/#x` }, /fragment/],
    ['a javascript: auth-endpoint', { 'auth-endpoint': 'javascript:alert(1)' }, /auth-endpoint protocol must be https: or http:/],
  ];
  for (const [what, attributes, message] of refused) {
    it(`refuses ${what}: no iframe, no request, a config failure`, async () => {
      const endpoint = authEndpoint();
      const { el, events } = await mount({ 'auth-endpoint': endpoint.url, ...attributes });
      expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
      expect(events.failure).to.have.length(1);
      expect(events.failure[0]).to.include({ reason: 'config', retrying: false, widgetId: el.widgetId });
      expect(events.failure[0]!.message).to.match(message);
      expect(el.status).to.equal('error');
      expect(endpoint.calls).to.equal(0);
    });
  }

  it('accepts timeout set as a string property, as Vue and React do', async () => {
    const endpoint = authEndpoint();
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url }, { timeout: '5000' as unknown as number });
    await widget.token();
    expect(events.failure).to.deep.equal([]);
    expect(el.status).to.equal('authenticated');
  });

  it('requires an auth-endpoint or a tokenProvider', async () => {
    const { el, events } = await mount({});
    expect(events.failure[0]).to.include({ reason: 'config' });
    expect(events.failure[0]!.message).to.match(/auth-endpoint/);
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
  });

  it('recovers once the configuration is fixed, reporting each distinct problem once', async () => {
    const endpoint = authEndpoint();
    const { el, events } = await mount({ 'auth-endpoint': endpoint.url, 'base-url': 'http://widgets.example.com' });
    el.label = 'still broken';
    await el.updateComplete;
    expect(events.failure).to.have.length(1);
    el.baseUrl = WIDGET_ORIGIN;
    await el.updateComplete;
    const frame = el.shadowRoot!.querySelector('iframe')!;
    expect(frame.src).to.equal(`${WIDGET_ORIGIN}/store/w1`);
    const { WidgetFrame } = await import('./support.js');
    await new WidgetFrame(frame).token();
    expect(el.status).to.equal('authenticated');
  });

  it('resolves a relative auth-endpoint against the page', async () => {
    const endpoint = authEndpoint();
    const { widget } = await mount({ 'auth-endpoint': endpoint.url.slice(1) });
    await widget.token();
    expect(endpoint.requests[0]!.url).to.equal(new URL(endpoint.url, location.href).href);
  });
});

describe('registration', () => {
  afterEach(cleanup);

  it('is defined by the package entry, and defining again is a no-op', () => {
    expect(customElements.get('returning-ai-widget')).to.equal(ReturningAiWidget);
    expect(() => ReturningAiWidget.define()).not.to.throw();
    expect(customElements.get('returning-ai-widget')).to.equal(ReturningAiWidget);
  });

  it('can be defined under another tag name too', async () => {
    ReturningAiWidget.define('my-rewards-widget');
    const el = document.createElement('my-rewards-widget');
    expect(el).to.be.instanceOf(ReturningAiWidget);
  });

  it('warns once when another version already holds the tag', () => {
    class OtherCopy extends HTMLElement {
      static version = '0.0.0-other';
    }
    customElements.define('rai-other-copy', OtherCopy);
    const warnings: unknown[][] = [];
    const { warn } = console;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      ReturningAiWidget.define('rai-other-copy');
    } finally {
      console.warn = warn;
    }
    expect(customElements.get('rai-other-copy')).to.equal(OtherCopy);
    expect(warnings).to.have.length(1);
    expect(String(warnings[0]![0])).to.contain('0.0.0-other');
  });
});

describe('status attribute', () => {
  before(startWorker);
  afterEach(cleanup);

  it('reflects the flow so pages can style it', async () => {
    const endpoint = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
    expect(['authenticating', 'authenticated']).to.include(el.getAttribute('status'));
    await widget.token();
    await until(() => el.matches('[status="authenticated"]'), 'the status attribute');
  });
});
