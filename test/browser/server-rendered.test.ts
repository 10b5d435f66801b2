/**
 * Server-rendered markup (`renderWidget()` of `returning-ai-widget/ssr`, run in Node by the test server): the widget's
 * iframe is in the HTML, so its page loads while the HTML is parsed, before any script. The element, whenever its
 * script comes, adopts that iframe (the widget document is not loaded twice) and hands the widget its token, even
 * though the widget asked before anything listened. Needs `npm run build` (the server imports dist/ssr).
 */
import { expect } from '@open-wc/testing';
import type { ReturningAiWidget } from '../../src/element/returning-ai-widget.js';
import { TOKEN_REQUEST, WIDGET_ORIGIN, poll, unique } from './support.js';

interface Received {
  data: { fake?: boolean; kind?: string; doc?: string; value?: { token: string; widgetId: string }; type?: string };
  source: MessageEventSource | null;
}
type HostWindow = Window & { received: Received[] };

/** How many times the fixture server was asked for the widget page at `path`. */
const pageRequests = async (path: string): Promise<number> => (await fetch(`/__widget-requests?path=${encodeURIComponent(path)}`)).json();

/** Opens the server-rendered host page in a same-origin frame; its recorder keeps every message its window receives. */
async function openHost(query: Record<string, string> = {}) {
  const frame = document.createElement('iframe');
  frame.src = `/__ssr-host?${new URLSearchParams({ base: WIDGET_ORIGIN, key: unique('ssr-key'), ...query })}`;
  document.body.append(frame);
  const win = () => frame.contentWindow as HostWindow;
  await poll(() => frame.contentDocument?.readyState === 'complete' && win().received, 'the host page');
  const reports = (kind: string) => win().received.filter(({ data }) => data?.fake && data.kind === kind);
  return {
    frame,
    el: () => frame.contentDocument!.querySelector('returning-ai-widget') as ReturningAiWidget,
    reports,
    /** The token requests the page's window received from a frame of the widget's origin. */
    requests: () => win().received.filter(({ data }) => data?.type === TOKEN_REQUEST.type),
    /** Loads the element's script into the page, as a deferred script that arrives late would. */
    loadScript: () => {
      const script = frame.contentDocument!.createElement('script');
      script.type = 'module';
      script.src = '/dist/cdn/returning-ai-widget.js';
      frame.contentDocument!.head.append(script);
    },
  };
}

describe('server-rendered markup', () => {
  const opened: HTMLIFrameElement[] = [];
  afterEach(() => opened.splice(0).forEach((frame) => frame.remove()));

  it('keeps the server’s iframe and answers the request the widget sent before the script ran', async () => {
    const id = unique('ssr');
    const host = await openHost({ id });
    opened.push(host.frame);
    // The widget page has loaded and asked: nothing listened yet, the request is lost.
    await poll(() => host.requests().length === 1 && host.reports('loaded').length === 1, 'the widget to load and ask');
    const frame = host.frame.contentDocument!.querySelector('iframe')!;
    expect(frame.slot).to.equal('frame');
    expect(frame.src).to.equal(`${WIDGET_ORIGIN}/store/${id}`);

    host.loadScript();
    const token = await poll(() => host.reports('token')[0], 'the token, pushed to the widget that had asked');
    expect(token.data.value!.widgetId).to.equal(id);
    expect(token.source).to.equal(frame.contentWindow);
    await poll(() => host.el().status === 'authenticated', 'status authenticated');
    // One widget document: the one the server's HTML started, kept by the element.
    expect(host.reports('loaded')).to.have.length(1);
    expect(await pageRequests(`/store/${id}`)).to.equal(1);
    expect(host.el().shadowRoot!.querySelector('iframe')).to.equal(null);
    expect(host.frame.contentDocument!.querySelectorAll('iframe')).to.have.length(1);
    expect(host.el().hasAttribute('aria-busy')).to.equal(false);
  });

  it('a script defined before the body is parsed waits for the server’s iframe instead of loading its own', async () => {
    const id = unique('ssr');
    const host = await openHost({ id, script: 'classic-head' });
    opened.push(host.frame);
    await poll(() => host.reports('token').length === 1, 'the token');
    await poll(() => host.el().status === 'authenticated', 'status authenticated');
    expect(host.reports('loaded')).to.have.length(1);
    expect(await pageRequests(`/store/${id}`)).to.equal(1);
    expect(host.el().shadowRoot!.querySelector('iframe')).to.equal(null);
  });

  it('a server-rendered frame of another page is sent to the page the attributes name', async () => {
    const id = unique('ssr');
    const host = await openHost({ id, src: `${WIDGET_ORIGIN}/silent/elsewhere` });
    opened.push(host.frame);
    await poll(() => host.reports('loaded').length === 1, 'the server’s frame to load');
    host.loadScript();
    await poll(() => host.reports('token').length === 1, 'the token');
    const loaded = host.reports('loaded').map(({ data }) => (data as { href: string }).href);
    expect(loaded).to.deep.equal([`${WIDGET_ORIGIN}/silent/elsewhere`, `${WIDGET_ORIGIN}/store/${id}`]);
  });
});
