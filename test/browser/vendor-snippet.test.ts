/**
 * Pages of the site still on the vendor's snippet next to pages with the element (issue 17, finding 9): both keep the
 * raw token under the key, so a site can move page by page. The snippet's pages are same-origin documents running
 * the vendor's code (test/support/snippet-tab.html), each with a fake widget frame of its own.
 */
import { expect } from '@open-wc/testing';
import { WIDGET_ORIGIN, authEndpoint, boundSource, cleanup, mount, poll, scriptedEndpoint, sourceOf, startWorker, unique, until } from './support.js';

type SnippetTab = Window & { authenticated: Promise<void>; openWidget(): void; reports: Array<{ kind: string; value?: { token: string } }> };
const frames = new Set<HTMLIFrameElement>();

/** Opens a page of the site on the vendor's snippet; with `endpoint`, it fetches and stores a token as it loads. */
async function openSnippetTab(key: string, endpoint?: string): Promise<SnippetTab> {
  const query = new URLSearchParams({ key, widget: `${WIDGET_ORIGIN}/store/w1`, ...(endpoint && { endpoint }) });
  const frame = document.createElement('iframe');
  frame.src = `/test/support/snippet-tab.html?${query}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  frames.add(frame);
  await loaded;
  const tab = frame.contentWindow as SnippetTab;
  await tab.authenticated;
  return tab;
}

describe('the vendor snippet’s pages and ours share the token', () => {
  before(startWorker);
  afterEach(() => {
    cleanup();
    frames.forEach((frame) => frame.remove());
    frames.clear();
  });

  it('a page on the snippet hands its widget the token the element stored: the token itself', async () => {
    const endpoint = authEndpoint();
    const key = unique('key');
    const { widget } = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key });
    const ours = await widget.token();
    const tab = await openSnippetTab(key);
    tab.openWidget();
    const report = await poll(() => tab.reports.find((each) => each.kind === 'token'), 'the snippet’s widget’s token');
    expect(report.value!.token).to.equal(ours);
  });

  it('the element takes a fresh token the snippet stored, without a request of its own', async () => {
    const endpoint = scriptedEndpoint();
    await endpoint.ready;
    const key = unique('key');
    await openSnippetTab(key, endpoint.url);
    const theirs = localStorage.getItem(key)!;
    expect(theirs).to.match(/^ey/);
    const { widget } = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key });
    expect(await widget.token()).to.equal(theirs);
    expect((await endpoint.state()).calls, 'the snippet’s request only').to.equal(1);
  });

  it('the snippet’s logout (it removes the token) signs the element out; the binding goes too', async () => {
    const endpoint = authEndpoint();
    const key = unique('key');
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, 'storage-key': key });
    await widget.token();
    expect(boundSource(key)).to.equal(sourceOf(endpoint));
    const tab = await openSnippetTab(key);
    tab.localStorage.removeItem(key); // the snippet's onUserLogout()
    await until(() => events.logout, 'the logout');
    expect(el.status).to.equal('logged-out');
    expect(localStorage.getItem(`${key}.source`)).to.equal(null);
  });
});
