import { ReactiveElement, css, type PropertyValues } from '@lit/reactive-element';
import { AuthError } from './auth-error.js';
import type { StorageKind } from './environment.js';
import { widgetEvent, type AuthFailureDetail, type AuthSuccessDetail, type LogoutDetail } from './events.js';
import { tokenExpiry } from './jwt.js';
import { pageOwner } from './page-owner.js';
import { isTokenRequest, tokenReply } from './protocol.js';
import type { TokenProvider } from './token-fetch.js';
import type { TokenSlot, TokenView } from './token-owner.js';
import { VERSION } from './version.js';
import { DEFAULT_BASE_URL, oneOf, readConfig, type WidgetConfig } from './widget-config.js';

/** Where the element is in the token flow; reflected as the `status` attribute. */
export type WidgetStatus = 'idle' | 'authenticating' | 'authenticated' | 'error' | 'logged-out';

/** The vendor snippet's storage key, so that its logout (removing the key) signs our widgets out too. */
const DEFAULT_STORAGE_KEY = 'returning-ai-widget-token';

/**
 * Embeds a Returning.AI widget in an iframe and signs it in with a short-lived token from the host site's
 * backend, answering the widget's postMessage token requests only from its own iframe and the widget's origin.
 * Tokens are owned by one object per page (shared by every element and every copy of the library); the element
 * owns its iframe and the message exchange with it.
 *
 * @summary An authenticated Returning.AI widget.
 * @tag returning-ai-widget
 *
 * @fires {CustomEvent<AuthSuccessDetail>} rai-auth-success - The widget was handed a token (`refreshed` when it replaced an expired one).
 * @fires {CustomEvent<AuthFailureDetail>} rai-auth-failure - An attempt to obtain a token failed, or the configuration is invalid (`reason: 'config'`).
 * @fires {CustomEvent<LogoutDetail>} rai-logout - The widget was signed out (by `logout()` of any element or copy of the library, or by another tab) and reloaded.
 *
 * @csspart iframe - The widget's iframe.
 *
 * @attr {'idle' | 'authenticating' | 'authenticated' | 'error' | 'logged-out'} status - Set by the element to its `status`, for styling (e.g. `returning-ai-widget[status='error']`). Read-only.
 */
export class ReturningAiWidget extends ReactiveElement {
  /** This copy's version, compared when two copies of the element meet on one page. */
  static readonly version = VERSION;

  /**
   * Registers the element. Idempotent: a tag already taken (say by a CDN copy) is left alone, with a warning
   * when the versions differ.
   * @param tag - The tag name to use.
   * @param registry - The registry to define it in, e.g. a scoped one.
   */
  static define(tag = 'returning-ai-widget', registry: CustomElementRegistry = customElements): void {
    const existing = registry.get(tag) as { version?: string } | undefined;
    if (existing) {
      if (existing.version !== this.version) console.warn(`<${tag}> is ${existing.version}, not ${this.version}`);
      return;
    }
    try {
      registry.define(tag, this);
    } catch {
      // This class already backs another tag; a subclass can take a second one.
      registry.define(tag, class extends this {});
    }
  }

  static override styles = css`:host{display:block;width:100%;height:600px}iframe{display:block;width:100%;height:100%;border:0}`;

  static override properties = {
    widgetId: { attribute: 'widget-id' },
    widgetType: { attribute: 'widget-type' },
    baseUrl: { attribute: 'base-url' },
    theme: {},
    authEndpoint: { attribute: 'auth-endpoint' },
    storage: {},
    storageKey: { attribute: 'storage-key' },
    loading: {},
    label: {},
    timeout: { type: Number },
    tokenProvider: { attribute: false },
  };

  /** The widget's id: the last segment of the widget page's path, and `value.widgetId` in every reply. Required. */
  widgetId = '';

  /** The first segment of the widget page's path. */
  widgetType = 'store';

  /** The widget host (`https:`, or `http:` on loopback for development). Token messages are exchanged only with its origin. */
  baseUrl: string = DEFAULT_BASE_URL;

  /** `light` or `dark`, passed to the widget as its `color` query parameter. */
  theme?: 'light' | 'dark';

  /** The host site's endpoint that answers a credentialed `POST` with `{ "token": "…" }`. Required unless `tokenProvider` is set. */
  authEndpoint = '';

  /** Where the token is kept between page views: `local`, `session` or `memory`. */
  storage: StorageKind = 'local';

  /** The key of the token in web storage. Widgets sharing a key and a token source share one token and one request. */
  storageKey: string = DEFAULT_STORAGE_KEY;

  /** The iframe's loading mode: `eager` or `lazy`. The token is fetched at connection either way. */
  loading: 'eager' | 'lazy' = 'eager';

  /** The iframe's accessible title. */
  label = 'Returning.AI widget';

  /** How long one token request may take, in milliseconds (1 to 2147483647), before it counts as a `timeout`. */
  timeout = 10_000;

  /** Obtains tokens in place of `auth-endpoint`, for apps with their own HTTP client. A property only. */
  tokenProvider?: TokenProvider;

  #status: WidgetStatus = 'idle';

  /** Where the element is in the token flow, also reflected as the `status` attribute for styling. Read-only. */
  get status(): WidgetStatus {
    return this.#status;
  }

  #config?: WidgetConfig;
  #configError?: string;
  #slot?: TokenSlot;
  #frame?: HTMLIFrameElement;
  // The window whose messages we hear: the element's own, which changes if it moves to another document.
  #window?: Window | null;

  // The widget document's state. Bumping the epoch voids every answer still being prepared.
  #epoch = 0;
  #delivered?: string;
  #waiting = false;
  // Signed out by a logout or by the endpoint (401/403): the widget's requests stay unanswered until
  // authenticate(), reload(), or (after a 401/403) another tab storing a token says the session may have changed.
  #signedOut?: 'logout' | 'unauthorized';

  #view: TokenView = {
    failed: (error, retrying) => this.#fail(error, retrying),
    loggedOut: () => this.#loggedOut(),
    changed: () => {
      if (this.#signedOut === 'unauthorized') this.#signedOut = undefined;
      if (this.#waiting) void this.#answer();
    },
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Listening starts before the iframe's src is set, so the widget's first request cannot be missed.
    this.#window = this.ownerDocument.defaultView;
    this.#window?.addEventListener('message', this.#onMessage);
    // Reconnected with unchanged properties: configure anew all the same.
    this.requestUpdate();
  }

  /** A state-preserving move (`moveBefore`) keeps the iframe's document, the listener and the token slot as they are. */
  connectedMoveCallback(): void {}

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#window?.removeEventListener('message', this.#onMessage);
    this.#leave();
    // Reinserting the iframe loads a new widget document; a configuration error is reported again.
    this.#newDocument();
    this.#configError = undefined;
    this.#setStatus('idle');
  }

  protected override update(changed: PropertyValues): void {
    super.update(changed);
    if (this.isConnected) this.#configure();
  }

  /**
   * Signs out every widget whose token lives in the given storage place: removes the token, aborts its requests
   * (even one waiting to retry) and reloads those widgets, which then stay signed out until `authenticate()` or
   * `reload()`. Reaches every copy of the library on the page and, through the `storage` event and a
   * BroadcastChannel, every other tab. Call it from your app's sign-out, after your own session has ended, on any
   * page, with or without a widget on it.
   * @param options - The `storage` and `storageKey` the widgets use; both default as on the element.
   */
  static logout(options: { storage?: StorageKind; storageKey?: string } = {}): void {
    const { storage = 'local', storageKey = DEFAULT_STORAGE_KEY } = options;
    oneOf('storage', storage, ['local', 'session', 'memory']);
    pageOwner().logout(storage, storageKey);
  }

  /** Signs out every widget sharing this element's storage place, here, in other copies and in other tabs: see the static `logout()`. */
  logout(): void {
    ReturningAiWidget.logout(this);
  }

  /** Reloads the widget iframe and ends a signed-out state; its first request is answered with the current token. */
  reload(): void {
    this.#signedOut = undefined;
    this.#reloadFrame();
  }

  /**
   * Fetches a fresh token now, ends a signed-out state, and hands the token to the widget if the widget is waiting.
   * @returns Whether a token was obtained; failures are also reported by `rai-auth-failure` events.
   */
  async authenticate(): Promise<boolean> {
    const slot = this.#slot;
    if (!slot) return false;
    this.#signedOut = undefined;
    const epoch = this.#epoch;
    if (this.#waiting || this.#status !== 'authenticated') this.#setStatus('authenticating');
    const token = await slot.token(this.#view, { force: true, timeoutMs: this.#config!.timeoutMs });
    if (token && epoch === this.#epoch && this.#waiting && token !== this.#delivered) this.#deliver(token);
    return !!token;
  }

  /** Validates the configuration and (re)starts what changed: the token slot, the widget page. */
  #configure(): void {
    let config: WidgetConfig;
    try {
      config = readConfig(this, this.ownerDocument.baseURI);
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.#configError) {
        this.#configError = message;
        this.#leave();
        this.#config = undefined;
        this.#frame?.remove();
        this.#frame = undefined;
        this.#fail(new AuthError('config', message), false);
      }
      return;
    }
    this.#configError = undefined;
    const previous = this.#config;
    this.#config = config;

    if (!this.#slot || config.source !== previous?.source || config.kind !== previous.kind || config.key !== previous.key) {
      this.#leave();
      this.#slot = pageOwner().place(config.kind, config.key).join(config.source, this.#view);
      // Another source may accept the user; a logout, though, holds until authenticate() or reload().
      if (this.#signedOut === 'unauthorized') this.#signedOut = undefined;
      if (!this.#signedOut) {
        this.#setStatus('authenticating');
        // Fetch in parallel with the iframe's loading: by the time the widget asks, the token is usually here.
        void this.#slot.token(this.#view, { timeoutMs: config.timeoutMs });
        if (this.#waiting) void this.#answer();
      }
    }

    const frame = (this.#frame ??= this.renderRoot.appendChild(this.ownerDocument.createElement('iframe')));
    frame.setAttribute('part', 'iframe');
    frame.title = this.label;
    frame.loading = this.loading;
    frame.allow = 'clipboard-write';
    if (frame.src !== config.url.href) this.#reloadFrame();
  }

  #reloadFrame(): void {
    if (!this.#frame || !this.#config) return;
    this.#newDocument();
    this.#frame.src = this.#config.url.href;
  }

  /** Stops using the token slot; answers still being prepared for it are dropped. */
  #leave(): void {
    this.#slot?.leave(this.#view);
    this.#slot = undefined;
    this.#epoch++;
  }

  #newDocument(): void {
    this.#epoch++;
    this.#delivered = undefined;
    this.#waiting = false;
  }

  #onMessage = (event: MessageEvent): void => {
    // Only our own iframe's window, at the widget's origin: not another frame of that origin, not the page.
    const widget = this.#frame?.contentWindow;
    if (!widget || event.source !== widget || event.origin !== this.#config?.url.origin || !isTokenRequest(event.data)) return;
    this.#waiting = true;
    void this.#answer();
  };

  /** Answers the widget's request: the first one of a document with the current token, later ones with a fresh one. */
  async #answer(): Promise<void> {
    if (this.#signedOut) return this.#setStatus('logged-out');
    this.#setStatus('authenticating');
    const epoch = this.#epoch;
    const reject = this.#delivered;
    const token = await this.#slot?.token(this.#view, { reject, timeoutMs: this.#config!.timeoutMs });
    if (!token || epoch !== this.#epoch || !this.#waiting) return;
    if (token === reject) {
      // A broken backend handing back the expired token would otherwise loop with the widget forever.
      return this.#fail(new AuthError('invalid-response', 'endpoint re-sent the expired token'), false);
    }
    this.#deliver(token);
  }

  #deliver(token: string): void {
    // The origin is pinned: if the frame has navigated elsewhere meanwhile, the browser drops the message.
    this.#frame?.contentWindow?.postMessage(tokenReply(token, this.widgetId), this.#config!.url.origin);
    const refreshed = this.#delivered !== undefined;
    this.#delivered = token;
    this.#waiting = false;
    this.#setStatus('authenticated');
    this.#slot!.delivered(token);
    const expiresAt = tokenExpiry(token);
    this.dispatchEvent(widgetEvent<AuthSuccessDetail>('rai-auth-success', { widgetId: this.widgetId, refreshed, ...(expiresAt && { expiresAt }) }));
  }

  #fail(error: AuthError, retrying: boolean): void {
    // A widget that still holds a valid token stays authenticated through a failed background refresh.
    const holding = this.#status === 'authenticated' && !this.#waiting;
    if (!retrying && error.reason === 'unauthorized') {
      this.#signedOut = 'unauthorized';
      if (!holding) this.#setStatus('logged-out');
    } else if (!retrying && (error.reason === 'config' || !holding)) {
      this.#setStatus('error');
    }
    this.dispatchEvent(
      widgetEvent<AuthFailureDetail>('rai-auth-failure', {
        widgetId: this.widgetId,
        reason: error.reason,
        ...(error.status !== undefined && { status: error.status }),
        message: error.message,
        retrying,
      }),
    );
  }

  #loggedOut(): void {
    // Other tabs hear one logout twice (the storage event and the channel): a widget signed out stays as it is.
    if (this.#signedOut === 'logout') return;
    this.#reloadFrame();
    this.#signedOut = 'logout';
    this.#setStatus('logged-out');
    this.dispatchEvent(widgetEvent<LogoutDetail>('rai-logout', { widgetId: this.widgetId }));
  }

  #setStatus(status: WidgetStatus): void {
    this.#status = status;
    this.setAttribute('status', status);
  }
}
