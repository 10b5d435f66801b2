import { AuthError } from '../core/auth-error.js';
import { tokenExpiry } from '../core/jwt.js';
import { pageOwner } from '../core/page-owner.js';
import type { TokenOwner, TokenSlot, TokenView } from '../core/token-owner.js';
import { widgetEvent, type AuthFailureDetail, type AuthSuccessDetail, type LogoutDetail, type StatusChangeDetail, type StatusReason } from './events.js';
import { isTokenRequest, TOKEN_REFRESH, TOKEN_REPLY } from './protocol.js';
import type { WidgetConfig } from './widget-config.js';

/** Where the element is in the token flow; reflected as the `status` attribute. */
export type WidgetStatus = 'idle' | 'authenticating' | 'authenticated' | 'error' | 'logged-out';

/** What the exchange needs from its element. */
export interface ExchangeHost {
  widgetId(): string;
  /** The widget frame's window, if there is one. */
  widget(): Window | null | undefined;
  /** Loads a new widget document (a logout resets the widget). */
  reloadFrame(): void;
  /** The state changed: show it (status, loading cover, error panel). */
  render(): void;
  dispatchEvent(event: Event): boolean;
}

/**
 * The token conversation with one widget frame, and the state the element shows: which messages count as the
 * widget's requests, answering them with tokens of the element's token slot, pushing a token to a widget document
 * that has loaded without asking and its replacement before it expires, and the signed-out state. The page-wide owner
 * holds the tokens; this holds what the widget document was given, whether it waits, and the status.
 */
export class WidgetExchange implements TokenView {
  config?: WidgetConfig | undefined;
  slot?: TokenSlot | undefined;
  status: WidgetStatus = 'idle';
  /** Why the status is `error` (the failure's reason) or `logged-out` (`logout` or `unauthorized`). */
  reason?: StatusReason | undefined;
  /** The final failure the error panel shows. */
  failure?: AuthError | undefined;
  /** Whether the widget asked and has not been answered yet. */
  waiting = false;
  /** Whether a token is at hand for the widget (prefetched or delivered). */
  ready?: boolean;
  /** Whether the current widget document has loaded. */
  loaded = false;
  // Bumping the epoch voids every answer still being prepared for an earlier document or slot.
  #epoch = 0;
  #delivered?: string | undefined;
  // Whether a token was pushed since the widget last asked: its next request may have crossed the push on the way,
  // so it is answered with the current token rather than taken as a report that the pushed one expired.
  #crossing?: boolean;
  // The token handed out again when the endpoint answered a request with the very token the widget held: a backend
  // cache still serving it, to a widget document that reloaded itself (the element cannot tell its documents apart).
  #resent?: string | undefined;
  // The endpoint said signed out (401/403): the widget's requests stay unanswered until authenticate(), reload(), a
  // new source, or another tab storing a token says the session may have changed. (Whether a logout signed this widget
  // out is the owner's to say: `slot.open(this)`.)
  #unauthorized?: boolean;

  constructor(
    readonly host: ExchangeHost,
    readonly owner: () => TokenOwner = pageOwner,
  ) {}

  /** Whether the loading cover shows: a widget being signed in that has not loaded with a token at hand. */
  get busy(): boolean {
    return (this.status === 'authenticating' || this.status === 'authenticated') && !(this.loaded && this.ready);
  }

  /** Takes the token slot of a (new) configuration, and fetches at once unless signed out. */
  use(config: WidgetConfig): void {
    const previous = this.config;
    this.config = config;
    if (this.slot && config.source === previous!.source && config.kind === previous!.kind && config.key === previous!.key) return;
    this.stop();
    this.slot = this.owner().place(config.kind, config.key).join(config.source, this);
    // Another source may accept the user; a logout, though, holds until authenticate() or reload().
    this.#unauthorized = false;
    if (this.#signedOut()) this.#set('logged-out', 'logout');
    else this.prefetch();
  }

  /** An invalid configuration: no slot, no widget document, and a final `config` failure (reported once per message). */
  misconfigured(message: string): void {
    if (this.status === 'error' && this.failure!.message === message) return;
    this.stop();
    this.config = undefined;
    this.failed(new AuthError('config', message), false);
  }

  /** Leaves the token slot; answers still being prepared for it are dropped. */
  stop(): void {
    this.slot?.leave(this);
    this.slot = undefined;
    this.#epoch++;
    this.ready = false;
  }

  /** The element left the document: its widget document is gone, and its next connection starts afresh. */
  detach(): void {
    this.stop();
    this.config = undefined;
    this.newDocument();
    this.#set('idle');
  }

  /** Fetches in parallel with the iframe's loading: by the time the widget asks, the token is usually here. */
  prefetch(): void {
    const slot = this.slot!;
    const { timeoutMs } = this.config!;
    // A widget that holds a token (of an earlier source) stays signed in meanwhile, as through a background refresh.
    if (this.waiting || this.status !== 'authenticated') this.#set('authenticating');
    if (slot !== this.slot) return; // a status listener removed or moved the element: it starts afresh
    void slot.token(this, { timeoutMs }).then((token) => {
      if (token && slot === this.slot) this.ready = true;
      this.host.render(); // the loading cover may lift
    });
    if (this.waiting) void this.answer();
  }

  /** A new widget document: it has been given nothing, asked for nothing, and has not loaded yet. */
  newDocument(): void {
    this.#epoch++;
    this.#delivered = this.#resent = undefined;
    this.waiting = this.loaded = this.#crossing = false;
    this.host.render();
  }

  /** The widget document has loaded: one that has neither asked nor been given a token is pushed one, as the vendor's SDK does. */
  documentLoaded(): void {
    // A load event after one: a document the element did not send (the widget reloaded itself), or its own after a
    // late event of the one before, or an adopted frame's that was taken for loaded.
    const again = this.loaded;
    this.loaded = true;
    if (again) this.#resent = undefined; // a new document may be sent the same token once more
    this.host.render();
    // Not after a final failure, nor when signed out: only a widget being signed in (or one still holding a token of
    // the document before) is pushed the token at hand or the one on its way.
    if (this.status !== 'authenticating' && this.status !== 'authenticated') return;
    if (this.#delivered) {
      // The token pushed before may have reached another document, or this one before it listened: sent again,
      // unless the widget has asked since.
      if (again && this.#crossing) this.#deliver(this.#delivered);
      return;
    }
    const epoch = this.#epoch;
    void this.slot!.token(this, { timeoutMs: this.config!.timeoutMs }).then((token) => {
      // At most one push per document: the first token it gets ends it, asked for or pushed.
      if (token && epoch === this.#epoch && !this.waiting && !this.#delivered) this.#push(token, TOKEN_REPLY);
    });
  }

  /** Ends a signed-out state: authenticate() and reload() say the session may be back. */
  reopen(): void {
    this.#unauthorized = false;
    this.slot?.reopen(this);
  }

  /** Whether a logout signed this widget out (until reopen()). */
  #signedOut(): boolean {
    return !!this.slot && !this.slot.open(this);
  }

  /** Handles a message from the element's window: only its own widget's token requests count. */
  heard(event: MessageEvent): void {
    // Only our own iframe's window, at the widget's origin: not another frame of that origin, not the page.
    const widget = this.host.widget();
    if (!widget || event.source !== widget || event.origin !== this.config?.url.origin || !isTokenRequest(event.data)) return;
    this.waiting = true;
    void this.answer();
  }

  /** Answers the widget's request: the first one of a document with the current token, later ones with a fresh one. */
  async answer(): Promise<void> {
    if (this.#signedOut() || this.#unauthorized) return this.#set('logged-out', this.#signedOut() ? 'logout' : 'unauthorized');
    const slot = this.slot!;
    const { timeoutMs } = this.config!;
    const crossing = this.#crossing;
    this.#crossing = false;
    const epoch = this.#epoch;
    if (!crossing) this.#set('authenticating');
    if (epoch !== this.#epoch) return; // a status listener removed or moved the element
    const reject = crossing ? undefined : this.#delivered;
    const token = await slot.token(this, { reject, timeoutMs });
    if (!token || epoch !== this.#epoch || !this.waiting) return;
    if (token === reject) {
      // The same token back: sent once more (a document that reloaded itself asks for a token it never had); asked
      // again for it, the backend is broken, and handing it over again would loop with the widget forever.
      if (this.#resent === token) return this.failed(new AuthError('invalid-response', 'endpoint re-sent the expired token'), false);
      this.#resent = token;
    }
    this.#deliver(token);
  }

  /** Fetches a fresh token and hands it to the widget if it waits; resolves to whether one was obtained. */
  async authenticate(): Promise<boolean> {
    const slot = this.slot;
    if (!slot) return false;
    const { timeoutMs } = this.config!;
    this.reopen();
    if (this.waiting || this.status !== 'authenticated') this.#set('authenticating');
    if (slot !== this.slot) return false; // a status listener removed or moved the element
    const token = await slot.token(this, { force: true, timeoutMs });
    if (token && slot === this.slot) {
      this.ready = true;
      // The widget gets it now: as the answer it waits for, pushed to a loaded document that has none, or as the
      // replacement of the token it holds (which may be the previous user's). Else it is held for the widget's request.
      if (this.waiting) this.#deliver(token);
      else if (token === this.#delivered) this.host.render();
      else if (this.loaded) this.#push(token, this.#delivered ? TOKEN_REFRESH : TOKEN_REPLY);
      else this.host.render(); // the loading cover may lift once the document has loaded
    }
    return !!token;
  }

  /** Sends `token` to the widget as a reply (or, with `type`, unasked), and reports it unless the widget had it already. */
  #deliver(token: string, type = TOKEN_REPLY): void {
    const widgetId = this.host.widgetId();
    // The origin is pinned: if the frame has navigated elsewhere meanwhile, the browser drops the message.
    this.host.widget()?.postMessage({ type, value: { token, widgetId } }, this.config!.url.origin);
    const before = this.#delivered;
    this.#delivered = token;
    this.waiting = false;
    this.ready = true;
    const news = token !== before; // not a token sent again (to a request that crossed its push, say)
    // The owner hears of it before any listener runs: a listener may log out or remove the element.
    if (news) this.slot!.delivered(token);
    const epoch = this.#epoch;
    this.#set('authenticated');
    // No success to report for a document a status listener replaced (a logout) or an element it removed.
    if (!news || epoch !== this.#epoch) return;
    const expiresAt = tokenExpiry(token);
    this.host.dispatchEvent(widgetEvent<AuthSuccessDetail>('rai-auth-success', { widgetId, refreshed: !!before, ...(expiresAt && { expiresAt }) }));
  }

  #push(token: string, type: string): void {
    this.#deliver(token, type);
    this.#crossing = true;
  }

  /** From the owner: a newer token of the slot is in; a widget holding an older one gets it before that one expires. */
  renewed(token: string): void {
    if (this.#delivered && this.#delivered !== token && !this.waiting) this.#push(token, TOKEN_REFRESH);
  }

  /** From the owner (an attempt this widget waited on), or our own: reports the failure, and settles the status. */
  failed(error: AuthError, retrying: boolean): void {
    const { reason, status, message } = error;
    // A widget that still holds a valid token stays authenticated through a failed background refresh.
    const holding = this.status === 'authenticated' && !this.waiting;
    if (!retrying && reason === 'unauthorized') {
      this.#unauthorized = true;
      if (!holding) this.#set('logged-out', reason);
    } else if (!retrying && (reason === 'config' || !holding)) {
      this.failure = error;
      this.#set('error', reason);
    }
    const detail = { widgetId: this.host.widgetId(), reason, ...(status !== undefined && { status }), message, retrying };
    this.host.dispatchEvent(widgetEvent<AuthFailureDetail>('rai-auth-failure', detail));
  }

  /** From the owner: a logout signed this widget out (the owner tells each view once). */
  loggedOut(): void {
    this.ready = false; // the place's tokens are gone
    this.host.reloadFrame();
    this.#set('logged-out', 'logout');
    this.host.dispatchEvent(widgetEvent<LogoutDetail>('rai-logout', { widgetId: this.host.widgetId() }));
  }

  /** From the owner: another tab stored a token, so the session may have changed. */
  changed(): void {
    this.#unauthorized = false;
    if (this.waiting) void this.answer();
  }

  /** Sets the status, shows it, and tells the page when it (or its reason) changed. */
  #set(status: WidgetStatus, reason?: StatusReason): void {
    const changed = status !== this.status || reason !== this.reason;
    this.status = status;
    this.reason = reason;
    this.host.render();
    if (changed) this.host.dispatchEvent(widgetEvent<StatusChangeDetail>('rai-status-change', { status, ...(reason && { reason }) }));
  }
}
