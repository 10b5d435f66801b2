/**
 * `rai-status-change` (issue 18): one event per change of `status` (or of its reason), with
 * `detail: { status, reason? }`. The reason says why for `error` (the failure's) and `logged-out` (`unauthorized` or
 * `logout`); the same status and reason again (a widget's repeated request, a re-render) fire nothing; no detail ever
 * holds a token.
 */
import { expect } from '@open-wc/testing';
import { HttpResponse } from 'msw';
import type { ReturningAiWidget, StatusChangeDetail } from '../../src/index.js';
import { TOKEN_REQUEST, WIDGET_ORIGIN, WidgetFrame, authEndpoint, cleanup, deferred, freshJwt, mount, poke, startWorker, unique, until } from './support.js';

/**
 * A new element whose status events are recorded from before it connects. Each event must agree with the element
 * at the time it fires: its `status` property and attribute already read the new status.
 */
function watchedElement() {
  const el = document.createElement('returning-ai-widget');
  const changes: StatusChangeDetail[] = [];
  const disagreements: string[] = [];
  el.addEventListener('rai-status-change', (event) => {
    changes.push(event.detail);
    if (el.status !== event.detail.status || el.getAttribute('status') !== event.detail.status) {
      disagreements.push(`${event.detail.status}: the element said ${el.status} / ${el.getAttribute('status')}`);
    }
    poke();
  });
  return { el, changes, disagreements };
}

const changeCount = (changes: StatusChangeDetail[], count: number) => until(() => changes.length >= count, `${count} status changes (so far ${JSON.stringify(changes)})`);

describe('rai-status-change', () => {
  before(startWorker);
  afterEach(cleanup);

  it('fires authenticating → authenticated on sign-in, once each, with no reason and no token', async () => {
    const endpoint = authEndpoint();
    const { el, changes, disagreements } = watchedElement();
    const { widget } = await mount({ 'auth-endpoint': endpoint.url }, {}, el);
    const token = await widget.token();
    await changeCount(changes, 2);
    // The widget's own request set `authenticating` again, and its document's load rendered again: no event.
    await widget.received();
    expect(changes).to.deep.equal([{ status: 'authenticating' }, { status: 'authenticated' }]);
    expect(disagreements).to.deep.equal([]);
    expect(JSON.stringify(changes)).not.to.contain(token);
  });

  it('fires logged-out with reason "logout" on logout, once, although the reloaded widget asks again', async () => {
    const endpoint = authEndpoint();
    const { el, changes, disagreements } = watchedElement();
    const { widget } = await mount({ 'auth-endpoint': endpoint.url }, {}, el);
    await widget.token();
    await changeCount(changes, 2);

    el.logout();
    expect(changes.at(-1)).to.deep.equal({ status: 'logged-out', reason: 'logout' });
    // The reloaded widget asks at once, and again: it stays signed out, which is no change.
    await widget.waitFor('loaded', 2);
    await widget.request();
    expect(await widget.received()).to.deep.equal([]);
    expect(changes).to.deep.equal([{ status: 'authenticating' }, { status: 'authenticated' }, { status: 'logged-out', reason: 'logout' }]);

    // Signing in again is a change again.
    expect(await el.authenticate()).to.equal(true);
    await widget.token(2);
    await changeCount(changes, 5);
    expect(changes.slice(3)).to.deep.equal([{ status: 'authenticating' }, { status: 'authenticated' }]);
    expect(disagreements).to.deep.equal([]);
  });

  it('fires logged-out with reason "unauthorized" when the endpoint answers 401, and again with "logout" on a logout', async () => {
    const endpoint = authEndpoint(() => new HttpResponse(null, { status: 401 }));
    const { el, changes, disagreements } = watchedElement();
    await mount({ 'auth-endpoint': endpoint.url }, {}, el);
    await changeCount(changes, 2);
    expect(changes).to.deep.equal([{ status: 'authenticating' }, { status: 'logged-out', reason: 'unauthorized' }]);
    // The same status for another reason is news too: the page can tell "never signed in" from "signed out".
    el.logout();
    expect(changes.slice(2)).to.deep.equal([{ status: 'logged-out', reason: 'logout' }]);
    expect(disagreements).to.deep.equal([]);
  });

  it('fires error with the failure’s reason on a final failure, not on the attempts before it; retry() then signs in', async () => {
    // The first answer waits until the widget has asked, so that the widget waits on the request that fails.
    let call = 0;
    const asked = deferred();
    const endpoint = authEndpoint(async () => {
      await asked.promise;
      return ++call === 1 ? new HttpResponse(null, { status: 429 }) : HttpResponse.json({ token: freshJwt() });
    });
    const { el, changes, disagreements } = watchedElement();
    const { widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent' }, {}, el);
    await widget.post(TOKEN_REQUEST);
    asked.resolve();
    await changeCount(changes, 2);
    expect(changes).to.deep.equal([{ status: 'authenticating' }, { status: 'error', reason: 'http' }]);

    el.retry();
    await widget.token();
    await changeCount(changes, 4);
    expect(changes.slice(2)).to.deep.equal([{ status: 'authenticating' }, { status: 'authenticated' }]);
    expect(disagreements).to.deep.equal([]);
  });

  it('fires error with reason "config" for an invalid attribute, and nothing more while it stays invalid', async () => {
    const { el, changes } = watchedElement();
    await mount({ 'auth-endpoint': '/never-called', theme: 'blue' }, {}, el);
    await changeCount(changes, 1);
    el.setAttribute('theme', 'purple'); // another invalid value: a new message, the same status
    await el.updateComplete;
    expect(changes).to.deep.equal([{ status: 'error', reason: 'config' }]);
  });

  it('crosses shadow roots to the document; fires idle on the element when it is removed', async () => {
    const endpoint = authEndpoint();
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    const heard: StatusChangeDetail[] = [];
    const onDocument = (event: GlobalEventHandlersEventMap['rai-status-change']) => {
      heard.push(event.detail);
      poke();
    };
    document.addEventListener('rai-status-change', onDocument);
    try {
      const el: ReturningAiWidget = document.createElement('returning-ai-widget');
      const attributes = { 'base-url': WIDGET_ORIGIN, 'widget-id': 'w1', 'storage-key': unique('key'), 'auth-endpoint': endpoint.url };
      for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
      root.append(el);
      await el.updateComplete;
      await new WidgetFrame(el.shadowRoot!.querySelector('iframe')!).token();
      await until(() => heard.length === 2, 'two changes, heard on the document');
      expect(heard).to.deep.equal([{ status: 'authenticating' }, { status: 'authenticated' }]);
      // A removed element is out of the document: only its own listeners (a framework's) hear it.
      const onElement: StatusChangeDetail[] = [];
      el.addEventListener('rai-status-change', (event) => onElement.push(event.detail));
      el.remove();
      expect(onElement).to.deep.equal([{ status: 'idle' }]);
      expect(heard).to.have.length(2);
    } finally {
      document.removeEventListener('rai-status-change', onDocument);
      host.remove();
    }
  });
});
