import { AuthError } from '../core/auth-error.js';
import { widgetEvent, type AuthFailureDetail, type AuthSuccessDetail, type LogoutDetail, type StatusChangeReason } from './events.js';
import { tokenExpiry } from '../core/jwt.js';
import { pageOwner } from '../core/page-owner.js';
import { isTokenRequest, tokenReply } from './protocol.js';
import type { TokenSlot, TokenView } from '../core/token-owner.js';
import type { WidgetConfig } from './widget-config.js';

/** Where the element is in the token flow; reflected as the `status` attribute. */
export type WidgetStatus = 'idle' | 'authenticating' | 'authenticated' | 'error' | 'logged-out';

/** What the exchange needs from its element. */
export interface ExchangeHost {
  widgetId(): string;
  /** The element's status; with an argument, sets it (with the reason of an `error` or `logged-out`). */
  status(next?: WidgetStatus, reason?: StatusChangeReason): WidgetStatus;
  /** The widget frame's window, if there is one. */
  widget(): Window | null | undefined;
  /** Loads a new widget document (a logout resets the widget). */
  reloadFrame(): void;
  /** Shows a final failure's fixed text on the error panel. */
  showFailure(error: AuthError): void;
  dispatchEvent(event: Event): boolean;
}

/**
 * The token conversation with one widget frame: which messages count as its requests, answering them with tokens of
 * the element's token slot, and the signed-out state. The page-wide owner holds the tokens; this holds only what the
 * widget document was given and whether it waits.
 */
export class WidgetExchange implements TokenView {
  config?: WidgetConfig;
  slot?: TokenSlot;
  /** Whether the widget asked and has not been answered yet. */
  waiting = false;
  /** Whether a token is at hand for the widget (prefetched or delivered). */
  ready = false;
  // Bumping the epoch voids every answer still being prepared for an earlier document or slot.
  #epoch = 0;
  #delivered?: string;
  // Signed out by a logout or by the endpoint (401/403): the widget's requests stay unanswered until authenticate(),
  // reload(), or (after a 401/403) a new source or another tab storing a token says the session may have changed.
  #signedOut?: 'logout' | 'unauthorized';

  constructor(readonly host: ExchangeHost) {}

  /** Takes the token slot of a (new) configuration, and fetches at once unless signed out. */
  use(config: WidgetConfig): void {
    const previous = this.config;
    this.config = config;
    if (this.slot && config.source === previous?.source && config.kind === previous.kind && config.key === previous.key) return;
    this.stop();
    this.slot = pageOwner().place(config.kind, config.key).join(config.source, this);
    // Another source may accept the user; a logout, though, holds until authenticate() or reload().
    if (this.#signedOut === 'unauthorized') this.#signedOut = undefined;
    if (this.#signedOut) this.host.status('logged-out', this.#signedOut);
    else this.prefetch();
  }

  /** Leaves the token slot; answers still being prepared for it are dropped. */
  stop(): void {
    this.slot?.leave(this);
    this.slot = undefined;
    this.#epoch++;
    this.ready = false;
  }

  /** Fetches in parallel with the iframe's loading: by the time the widget asks, the token is usually here. */
  prefetch(): void {
    const slot = this.slot!;
    // A widget that holds a token (of an earlier source) stays signed in meanwhile, as through a background refresh.
    if (this.waiting || this.host.status() !== 'authenticated') this.host.status('authenticating');
    void slot.token(this, { timeoutMs: this.config!.timeoutMs }).then((token) => {
      if (token && slot === this.slot) this.ready = true;
      this.host.status(this.host.status()); // the loading cover may lift
    });
    if (this.waiting) void this.answer();
  }

  /** A new widget document: it has been given nothing and asked for nothing. */
  newDocument(): void {
    this.#epoch++;
    this.#delivered = undefined;
    this.waiting = false;
  }

  /** Ends a signed-out state: authenticate() and reload() say the session may be back. */
  reopen(): void {
    this.#signedOut = undefined;
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
    if (this.#signedOut) return void this.host.status('logged-out', this.#signedOut);
    this.host.status('authenticating');
    const epoch = this.#epoch;
    const reject = this.#delivered;
    const token = await this.slot?.token(this, { reject, timeoutMs: this.config!.timeoutMs });
    if (!token || epoch !== this.#epoch || !this.waiting) return;
    // A broken backend handing back the expired token would otherwise loop with the widget forever.
    if (token === reject) return this.failed(new AuthError('invalid-response', 'endpoint re-sent the expired token'), false);
    this.#deliver(token);
  }

  /** Fetches a fresh token and hands it to the widget if it waits; resolves to whether one was obtained. */
  async authenticate(): Promise<boolean> {
    const slot = this.slot;
    if (!slot) return false;
    this.reopen();
    const epoch = this.#epoch;
    if (this.waiting || this.host.status() !== 'authenticated') this.host.status('authenticating');
    const token = await slot.token(this, { force: true, timeoutMs: this.config!.timeoutMs });
    if (token && slot === this.slot) {
      this.ready = true;
      if (epoch === this.#epoch && this.waiting && token !== this.#delivered) this.#deliver(token);
      else this.host.status(this.host.status()); // held for the widget's request: the loading cover may lift
    }
    return !!token;
  }

  #deliver(token: string): void {
    // The origin is pinned: if the frame has navigated elsewhere meanwhile, the browser drops the message.
    this.host.widget()?.postMessage(tokenReply(token, this.host.widgetId()), this.config!.url.origin);
    const refreshed = this.#delivered !== undefined;
    this.#delivered = token;
    this.waiting = false;
    this.ready = true;
    this.host.status('authenticated');
    this.slot!.delivered(token);
    const expiresAt = tokenExpiry(token);
    this.host.dispatchEvent(widgetEvent<AuthSuccessDetail>('rai-auth-success', { widgetId: this.host.widgetId(), refreshed, ...(expiresAt && { expiresAt }) }));
  }

  /** From the owner (an attempt this widget waited on), or our own: reports the failure, and settles the status. */
  failed(error: AuthError, retrying: boolean): void {
    const { reason, status, message } = error;
    // A widget that still holds a valid token stays authenticated through a failed background refresh.
    const holding = this.host.status() === 'authenticated' && !this.waiting;
    if (!retrying && reason === 'unauthorized') {
      this.#signedOut = 'unauthorized';
      if (!holding) this.host.status('logged-out', 'unauthorized');
    } else if (!retrying && (reason === 'config' || !holding)) {
      this.host.showFailure(error);
      this.host.status('error', reason);
    }
    const detail = { widgetId: this.host.widgetId(), reason, ...(status !== undefined && { status }), message, retrying };
    this.host.dispatchEvent(widgetEvent<AuthFailureDetail>('rai-auth-failure', detail));
  }

  /** From the owner: the storage place was signed out. */
  loggedOut(): void {
    // Other tabs hear one logout twice (the storage event and the channel): a widget signed out stays as it is.
    if (this.#signedOut === 'logout') return;
    this.ready = false; // the place's tokens are gone
    this.host.reloadFrame();
    this.#signedOut = 'logout';
    this.host.status('logged-out', 'logout');
    this.host.dispatchEvent(widgetEvent<LogoutDetail>('rai-logout', { widgetId: this.host.widgetId() }));
  }

  /** From the owner: another tab stored a token, so the session may have changed. */
  changed(): void {
    if (this.#signedOut === 'unauthorized') this.#signedOut = undefined;
    if (this.waiting) void this.answer();
  }
}
