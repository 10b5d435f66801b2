/**
 * What the element shows (issue 11): the loading cover and aria-busy, the error panel and its retry, the signed-out
 * slot, the replacement slots, the theme and custom properties, reduced motion, and a layout that no state moves.
 * Each state against the real cross-origin widget frame, with an accessibility check (axe) in each.
 */
import { expect } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { HttpResponse } from 'msw';
import type { ReturningAiWidget } from '../../src/element/returning-ai-widget.js';
import { TOKEN_REQUEST, authEndpoint, cleanup, deferred, freshJwt, mount, poll, startWorker } from './support.js';

const part = (el: ReturningAiWidget, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part="${name}"]`)!;
const shown = (node: Element) => getComputedStyle(node).display !== 'none' && node.getClientRects().length > 0;
const waitForStatus = (el: ReturningAiWidget, status: string) => poll(() => el.status === status, `status ${status} (now ${el.status})`);

describe('states', () => {
  before(startWorker);
  afterEach(cleanup);

  it('loading: covers the frame and sets aria-busy until the widget has loaded with its token, then uncovers', async () => {
    const gate = deferred();
    const token = freshJwt();
    const endpoint = authEndpoint(async () => {
      await gate.promise;
      return HttpResponse.json({ token });
    });
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
    await widget.waitFor('loaded');
    expect(el.getAttribute('aria-busy')).to.equal('true');
    expect(shown(part(el, 'loading'))).to.equal(true);
    expect(shown(part(el, 'error'))).to.equal(false);
    await expect(el).to.be.accessible();
    gate.resolve();
    expect(await widget.token()).to.equal(token);
    await poll(() => !el.hasAttribute('aria-busy'), 'aria-busy to go');
    expect(shown(part(el, 'loading'))).to.equal(false);
    expect(shown(part(el, 'iframe'))).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('a widget that never asks is pushed one token once it has loaded, and is not left covered', async () => {
    const endpoint = authEndpoint();
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    await widget.waitFor('loaded');
    expect(await widget.token()).to.equal(endpoint.tokens[0]);
    await poll(() => !el.hasAttribute('aria-busy'), 'aria-busy to go');
    expect(el.status).to.equal('authenticated');
    expect(shown(part(el, 'loading'))).to.equal(false);
    // At most one push per document: what the document holds after everything posted to it is that one token.
    expect(await widget.received()).to.deep.equal([endpoint.tokens[0]]);
    expect(endpoint.calls).to.equal(1);
  });

  it('error: a final failure shows the panel with a fixed text and retry; retry then signs the waiting widget in', async () => {
    // The first answer waits until the widget has asked, so that the widget waits on the request that fails.
    let call = 0;
    const asked = deferred();
    const token = freshJwt();
    const endpoint = authEndpoint(async () => {
      await asked.promise;
      return ++call === 1 ? new HttpResponse('<h1>Internal detail: db-7 is down</h1>', { status: 429 }) : HttpResponse.json({ token });
    });
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    await widget.post(TOKEN_REQUEST);
    asked.resolve();
    await waitForStatus(el, 'error');
    const panel = part(el, 'error');
    expect(shown(panel)).to.equal(true);
    expect(panel.getAttribute('role')).to.equal('alert');
    expect(part(el, 'message').textContent).to.equal('Signing in failed.');
    expect(panel.textContent).not.to.contain('db-7');
    expect(shown(part(el, 'retry'))).to.equal(true);
    expect(el.hasAttribute('aria-busy')).to.equal(false);
    await expect(el).to.be.accessible();

    part(el, 'retry').click();
    expect(await widget.token()).to.equal(token);
    await waitForStatus(el, 'authenticated');
    expect(shown(panel)).to.equal(false);
    expect(endpoint.calls).to.equal(2);
  });

  it('retry() reloads a widget that is not waiting, and fetches: a failed prefetch of a widget that never asked', async () => {
    let call = 0;
    const token = freshJwt();
    const endpoint = authEndpoint(() => (++call === 1 ? HttpResponse.json({}) : HttpResponse.json({ token })));
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
    await waitForStatus(el, 'error');
    // The first document has loaded (a reload while it still loads merges into that navigation: one document).
    await widget.waitFor('loaded');
    el.retry();
    expect(el.status).to.equal('authenticating');
    expect(shown(part(el, 'error'))).to.equal(false);
    await widget.waitFor('loaded', 2);
    await poll(() => endpoint.calls === 2 && !el.hasAttribute('aria-busy'), 'the new token, at hand');
    await widget.post(TOKEN_REQUEST);
    expect(await widget.token()).to.equal(token);
    expect(endpoint.calls).to.equal(2);
  });

  for (const [reason, respond, text] of [
    ['network', () => HttpResponse.error(), 'The sign-in service cannot be reached.'],
    ['invalid-response', () => HttpResponse.json({ token: 42 }), 'Signing in failed.'],
  ] as const) {
    it(`shows a fixed text for ${reason}`, async () => {
      const endpoint = authEndpoint(respond);
      const { el } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' });
      await poll(() => el.status === 'error', 'the final failure', 8000);
      expect(part(el, 'message').textContent).to.equal(text);
    });
  }

  it('timeout has its own text', async () => {
    const endpoint = authEndpoint(() => new Promise<Response>(() => {}));
    const { el } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent', timeout: '50' });
    await poll(() => el.status === 'error', 'the final failure', 8000);
    expect(part(el, 'message').textContent).to.equal('Signing in took too long.');
  });

  it('config: the panel names the attribute at fault, without a retry, and no frame', async () => {
    const { el } = await mount({ 'auth-endpoint': '/x', theme: 'blue' });
    expect(el.status).to.equal('error');
    expect(shown(part(el, 'error'))).to.equal(true);
    expect(part(el, 'message').textContent).to.equal('theme must be light or dark, not "blue"');
    expect(part(el, 'retry').hidden).to.equal(true);
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('signed out after a 401: no error panel, the widget stays visible, and the signed-out slot shows', async () => {
    const endpoint = authEndpoint(() => new HttpResponse(null, { status: 401 }));
    const link = Object.assign(document.createElement('a'), { slot: 'signed-out', href: '/signin', textContent: 'Sign in' });
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
    el.append(link);
    await widget.waitFor('loaded');
    await waitForStatus(el, 'logged-out');
    expect(shown(part(el, 'error'))).to.equal(false);
    expect(shown(part(el, 'loading'))).to.equal(false);
    expect(shown(part(el, 'iframe'))).to.equal(true);
    expect(shown(link)).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('signed out after a logout too; the signed-out slot hides once signed in again', async () => {
    const endpoint = authEndpoint();
    const link = Object.assign(document.createElement('a'), { slot: 'signed-out', href: '/signin', textContent: 'Sign in' });
    const { el, widget } = await mount({ 'auth-endpoint': endpoint.url });
    el.append(link);
    await widget.token();
    expect(shown(link)).to.equal(false);
    el.logout();
    expect(shown(link)).to.equal(true);
    expect(shown(part(el, 'error'))).to.equal(false);
    await el.authenticate();
    await widget.token(2);
    expect(shown(link)).to.equal(false);
  });

  it('slot="loading" and slot="error" replace the defaults', async () => {
    const endpoint = authEndpoint(() => new HttpResponse(null, { status: 500 }));
    const loading = Object.assign(document.createElement('p'), { slot: 'loading', textContent: 'Chargement…' });
    const error = Object.assign(document.createElement('p'), { slot: 'error', textContent: 'Connexion impossible.' });
    const el = document.createElement('returning-ai-widget');
    el.append(loading, error);
    const { el: mounted } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' }, {}, el);
    expect(shown(loading)).to.equal(true);
    await poll(() => mounted.status === 'error', 'the final failure', 8000);
    expect(shown(error)).to.equal(true);
    expect(shown(loading)).to.equal(false);
    const slot = mounted.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="error"]')!;
    expect(slot.assignedElements()).to.deep.equal([error]);
    expect(shown(part(mounted, 'message'))).to.equal(false);
    await expect(mounted).to.be.accessible();
  });

  it('the states overlay the frame: the element keeps its box, whatever it shows', async () => {
    const gate = deferred();
    const endpoint = authEndpoint(async () => {
      await gate.promise;
      return new HttpResponse(null, { status: 400 });
    });
    const { el } = await mount({ 'auth-endpoint': endpoint.url });
    const box = () => JSON.stringify(el.getBoundingClientRect());
    const loadingBox = box();
    const coverBox = JSON.stringify(part(el, 'loading').getBoundingClientRect());
    gate.resolve();
    await waitForStatus(el, 'error');
    expect(box()).to.equal(loadingBox);
    expect(JSON.stringify(part(el, 'error').getBoundingClientRect())).to.equal(coverBox);
    expect(coverBox).to.equal(loadingBox);
  });

  it('custom properties colour the panels; theme="dark" switches the defaults, also when set as a property', async () => {
    const endpoint = authEndpoint(() => new Promise<Response>(() => {}));
    const { el } = await mount({ 'auth-endpoint': endpoint.url });
    const cover = part(el, 'loading');
    expect(getComputedStyle(cover).backgroundColor).to.equal('rgb(255, 255, 255)');
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(getComputedStyle(cover).backgroundColor).to.equal('rgb(13, 17, 23)');
    el.style.setProperty('--rai-widget-background', 'rgb(1, 2, 3)');
    el.style.setProperty('--rai-widget-radius', '3px');
    expect(getComputedStyle(cover).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(cover).borderTopLeftRadius).to.equal('3px');
  });

  it('stops the spinner for prefers-reduced-motion', async () => {
    const endpoint = authEndpoint(() => new Promise<Response>(() => {}));
    const { el } = await mount({ 'auth-endpoint': endpoint.url });
    const spinner = el.shadowRoot!.querySelector('i')!;
    expect(getComputedStyle(spinner).animationName).to.equal('r');
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(getComputedStyle(spinner).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });
});
