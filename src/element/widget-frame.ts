import type { ReactiveElement } from 'lit';
import type { WidgetExchange } from './widget-exchange.js';

/**
 * Which iframe shows the widget, and where it goes: the element's own (rendered by Lit in its shadow root), or one a
 * server put in the page (`renderWidget()`: a light-DOM `<iframe slot="frame">`), adopted so that its document, which
 * may have loaded and asked before the element's script ran, is neither loaded twice nor left without its token. Every
 * navigation it makes is a new widget document for the exchange.
 */
export class WidgetFrame {
  /** The URL the frame was last sent to; undefined while the configuration is invalid. */
  url?: string | undefined;
  /** The server-rendered frame, once adopted. */
  adopted?: HTMLIFrameElement | undefined;

  constructor(
    readonly host: ReactiveElement,
    readonly exchange: WidgetExchange,
    /** Tells the exchange a document of the frame has loaded. */
    readonly loaded: () => void,
  ) {}

  /** The frame: the adopted one, or the element's own once rendered. */
  get element(): HTMLIFrameElement | null | undefined {
    return this.adopted ?? this.host.renderRoot?.querySelector('iframe');
  }

  /** Takes a (new) valid URL, or none: adopts a server-rendered frame, or navigates the one there is. */
  update(url: string | undefined): void {
    const { host } = this;
    const doc = host.ownerDocument;
    const rendered = host.querySelector<HTMLIFrameElement>(':scope > iframe[slot=frame]');
    // The app removed the adopted frame (a re-render that dropped it): the element's own frame takes over.
    if (this.adopted && !rendered) this.#release();
    if (rendered && rendered !== this.adopted) this.#adopt(rendered, url);
    // While the page is parsed, the parser may yet add a server-rendered frame: our own waits for the whole HTML.
    else if (!this.adopted && doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', () => host.requestUpdate(), { once: true });
    else if (url !== this.url) this.navigate(url);
  }

  /** Sends the frame to `url` (by default the current one again: a reload). */
  navigate(url = this.url): void {
    const reload = url === this.url;
    this.url = url;
    this.exchange.newDocument();
    const frame = this.element;
    // The element's own frame gets a new URL from its render(), and is not rendered at all without a valid
    // configuration; an adopted one shows nothing then.
    if (frame && (reload || frame === this.adopted)) frame.src = url ?? 'about:blank';
  }

  /** Takes over a server-rendered frame: it keeps its document, which may have loaded (and asked) before we ran. */
  #adopt(frame: HTMLIFrameElement, url: string | undefined): void {
    this.adopted?.removeEventListener('load', this.loaded);
    this.adopted = frame;
    frame.addEventListener('load', this.loaded);
    if (frame.src !== url) return this.navigate(url); // not the page this configuration wants
    this.url = url;
    this.exchange.newDocument();
    // A frame present while the page was parsed delays the page's load event: once the page has loaded, so has it,
    // unless it still shows its initial empty document (a frame a script added since, or a lazy one off-screen): its
    // own load event will say.
    const assumeLoaded = (): void => {
      // Its own load event may still come (it had not loaded after all): the exchange then sends the push again.
      if (this.adopted === frame && !this.exchange.loaded && !showsInitialDocument(frame)) this.loaded();
    };
    const doc = this.host.ownerDocument;
    if (doc.readyState === 'complete') assumeLoaded();
    else doc.defaultView?.addEventListener('load', assumeLoaded, { once: true });
  }

  /** Lets go of an adopted frame the app removed; the element renders its own. */
  #release(): void {
    this.adopted!.removeEventListener('load', this.loaded);
    this.adopted = undefined;
    this.url = undefined; // so that update() sends the element's own frame to the configured page
  }
}

/** Whether a frame still shows the empty document it starts with: its page has not arrived (a cross-origin one can't be read). */
function showsInitialDocument(frame: HTMLIFrameElement): boolean {
  try {
    return frame.contentWindow?.location.href === 'about:blank';
  } catch {
    return false;
  }
}
