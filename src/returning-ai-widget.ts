import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { AuthError } from './auth-error.js';
import { widgetEvent, type AuthFailureDetail, type AuthSuccessDetail, type LogoutDetail } from './events.js';
import { isFresh, tokenExpiry } from './jwt.js';
import { isTokenRequest, tokenReply } from './protocol.js';
import { abortFlights, joinFlight } from './token-broker.js';
import { fetchToken, type TokenProvider } from './token-fetch.js';
import { openTokenStore, type StorageKind, type TokenStore } from './token-store.js';
import { VERSION } from './version.js';
import { DEFAULT_BASE_URL, oneOf, widgetUrl } from './widget-url.js';

/** Where the element is in the token flow; reflected as the `status` attribute. */
export type WidgetStatus = 'idle' | 'authenticating' | 'authenticated' | 'error' | 'logged-out';

// The connected elements: a logout reaches every one that shares the storage slot, as a `storage` event does across tabs.
const connected = new Set<ReturningAiWidget>();

/** The vendor snippet's storage key, so pages migrating from it keep their users signed in. */
const DEFAULT_STORAGE_KEY = 'returning-ai-widget-token';

// A refresh-ahead timer this long would overflow setTimeout and fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Embeds a Returning.AI widget in an iframe and signs it in with a short-lived token from the host site's
 * backend, answering the widget's postMessage token requests only from its own iframe and the widget's origin.
 *
 * @summary An authenticated Returning.AI widget.
 * @tag returning-ai-widget
 *
 * @fires {CustomEvent<AuthSuccessDetail>} rai-auth-success - The widget was handed a token (`refreshed` when it replaced an expired one).
 * @fires {CustomEvent<AuthFailureDetail>} rai-auth-failure - An attempt to obtain a token failed, or the configuration is invalid (`reason: 'config'`).
 * @fires {CustomEvent<LogoutDetail>} rai-logout - The token was removed (by `logout()` here, another element sharing the slot, or another tab) and the widget reset.
 *
 * @csspart iframe - The widget's iframe.
 *
 * @attr {'idle' | 'authenticating' | 'authenticated' | 'error' | 'logged-out'} status - Set by the element to its `status`, for styling (e.g. `returning-ai-widget[status='error']`). Read-only.
 */
export class ReturningAiWidget extends LitElement {
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

  // Lit's reactive properties, declared without decorators: the decorator helpers cost more bytes than the element's logic.
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

  /** The key of the token in web storage; widgets sharing a key (and an endpoint) share one token and one request. */
  storageKey: string = DEFAULT_STORAGE_KEY;

  /** The iframe's loading mode: `eager` or `lazy`. The token is fetched at connection either way. */
  loading: 'eager' | 'lazy' = 'eager';

  /** The iframe's accessible title. */
  label = 'Returning.AI widget';

  /** How long one token request may take, in milliseconds, before it counts as a `timeout`. */
  timeout = 10_000;

  /** Obtains tokens in place of `auth-endpoint`, for apps with their own HTTP client. A property only. */
  tokenProvider?: TokenProvider;

  #status: WidgetStatus = 'idle';

  /** Where the element is in the token flow, also reflected as the `status` attribute for styling. Read-only. */
  get status(): WidgetStatus {
    return this.#status;
  }

  // The widget page and its origin, set only from a valid configuration.
  #src?: string;
  #origin?: string;
  #configError?: string;

  // The auth configuration: one session per connection and token source; aborting it ends its requests.
  #session?: AbortController;
  #source?: string | TokenProvider;
  #slot = '';
  #store?: TokenStore;
  #inFlight?: Promise<string | undefined>;
  #refreshTimer?: ReturnType<typeof setTimeout>;

  // The widget document's state. Bumping the epoch voids every answer still being prepared.
  #epoch = 0;
  #delivered?: string;
  #waiting = false;

  get #frame(): HTMLIFrameElement | null | undefined {
    return this.renderRoot?.querySelector('iframe');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Listening starts before the iframe's src is set, so the widget's first request cannot be missed.
    addEventListener('message', this.#onMessage);
    addEventListener('storage', this.#onStorage);
    connected.add(this);
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('message', this.#onMessage);
    removeEventListener('storage', this.#onStorage);
    connected.delete(this);
    this.#endSession();
    // Reinserting the iframe loads a new widget document; a configuration error is reported again.
    this.#newDocument();
    this.#configError = undefined;
    this.#setStatus('idle');
  }

  protected override willUpdate(): void {
    if (this.isConnected) this.#configure();
  }

  protected override render(): TemplateResult | typeof nothing {
    // No iframe at all while the configuration is invalid.
    return this.#src
      ? html`<iframe part="iframe" src=${this.#src} title=${this.label} loading=${this.loading} allow="clipboard-write"></iframe>`
      : nothing;
  }

  /**
   * Signs out every widget whose token lives in the given slot: removes the token, aborts its requests and
   * reloads those widgets on this page (other tabs follow through the `storage` event). Call it from your
   * app's sign-out, on any page, with or without a widget on it, so the next user of a shared browser
   * never inherits the token.
   * @param options - The `storage` and `storageKey` the widgets use; both default as on the element.
   */
  static logout(options: { storage?: StorageKind; storageKey?: string } = {}): void {
    const { storage = 'local', storageKey = DEFAULT_STORAGE_KEY } = options;
    const slot = `${storage}:${storageKey}`;
    openTokenStore(storage, storageKey).remove();
    abortFlights(slot);
    connected.forEach((widget) => widget.#slot === slot && widget.#session && widget.#loggedOut());
  }

  /**
   * Removes the stored token, aborts any token request in flight and reloads the widget, here and in every
   * element sharing the storage slot. The reloaded widget's request starts a fresh sign-in.
   */
  logout(): void {
    ReturningAiWidget.logout(this);
  }

  /** Reloads the widget iframe; its first request is answered with the current token. */
  reload(): void {
    const frame = this.#frame;
    if (frame && this.#src) {
      this.#newDocument();
      frame.src = this.#src;
    }
  }

  /**
   * Fetches a fresh token now, and hands it to the widget if the widget is waiting for one.
   * @returns Whether a token was obtained; failures are also reported by `rai-auth-failure` events.
   */
  async authenticate(): Promise<boolean> {
    if (!this.#session) return false;
    const epoch = this.#epoch;
    if (this.#waiting || this.#status !== 'authenticated') this.#setStatus('authenticating');
    const token = await this.#acquire(undefined, true);
    if (token && epoch === this.#epoch && this.#waiting && token !== this.#delivered) this.#deliver(token);
    return !!token;
  }

  /** Validates the configuration and (re)starts what changed: the token session, the widget page. */
  #configure(): void {
    let url: URL;
    let source: string | TokenProvider;
    try {
      url = widgetUrl(this.baseUrl, this.widgetType, this.widgetId, this.theme || undefined);
      oneOf('storage', this.storage, ['local', 'session', 'memory']);
      oneOf('loading', this.loading, ['eager', 'lazy']);
      // Frameworks may set the property to a string ("5000"): Lit converts attributes only.
      if (!(+this.timeout > 0)) throw new Error('timeout must be > 0 (ms)');
      source = this.tokenProvider ?? this.#endpoint();
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.#configError) {
        this.#configError = message;
        this.#endSession();
        this.#src = this.#source = undefined;
        this.#fail(new AuthError('config', message), false);
      }
      return;
    }
    this.#configError = undefined;

    const slot = `${this.storage}:${this.storageKey}`;
    if (!this.#session || source !== this.#source || slot !== this.#slot) {
      // A new source means a new identity provider: the token we hold is not its answer.
      const force = !!this.#source && source !== this.#source;
      this.#endSession();
      this.#session = new AbortController();
      this.#source = source;
      this.#slot = slot;
      this.#store = openTokenStore(this.storage, this.storageKey);
      this.#setStatus('authenticating');
      // Fetch in parallel with the iframe's loading: by the time the widget asks, the token is usually here.
      void this.#acquire(undefined, force);
      if (this.#waiting) void this.#answer();
    }

    if (url.href !== this.#src) {
      this.#newDocument();
      this.#src = url.href;
      this.#origin = url.origin;
    }
  }

  #endpoint(): string {
    if (!this.authEndpoint) throw new Error('auth-endpoint or tokenProvider is required');
    const url = new URL(this.authEndpoint, document.baseURI);
    oneOf('auth-endpoint protocol', url.protocol, ['https:', 'http:']);
    return url.href;
  }

  /** Ends the token session: its requests are aborted and answers still being prepared are dropped. */
  #endSession(): void {
    this.#session?.abort();
    this.#session = this.#inFlight = undefined;
    clearTimeout(this.#refreshTimer);
    this.#epoch++;
  }

  #newDocument(): void {
    this.#epoch++;
    this.#delivered = undefined;
    this.#waiting = false;
  }

  /**
   * A token to hand the widget, other than `reject` (the one it gave back as expired): the stored one while it
   * is fresh, else the result of the page's shared request. Undefined when that fails or is aborted.
   */
  #acquire(reject?: string, force = false): Promise<string | undefined> {
    const stored = this.#store!.read();
    if (!force && stored && stored !== reject && isFresh(stored)) return Promise.resolve(stored);
    if (!this.#inFlight) {
      const request = this.#request();
      this.#inFlight = request;
      void request.finally(() => this.#inFlight === request && (this.#inFlight = undefined));
    }
    return this.#inFlight;
  }

  async #request(): Promise<string | undefined> {
    const session = this.#session!;
    const store = this.#store!;
    const source = this.#source!;
    const timeout = +this.timeout;
    const [token, leave] = joinFlight(
      this.#slot,
      source,
      async (signal, report) => {
        const fresh = await fetchToken(source, timeout, signal, report);
        store.write(fresh);
        return fresh;
      },
      this.#onAttemptFailed,
    );
    session.signal.addEventListener('abort', leave);
    try {
      return await token;
    } catch {
      return undefined; // reported attempt by attempt, or aborted
    } finally {
      session.signal.removeEventListener('abort', leave);
      leave();
    }
  }

  #onMessage = (event: MessageEvent): void => {
    // Only our own iframe's window, at the widget's origin: not another frame of that origin, not the page.
    const widget = this.#frame?.contentWindow;
    if (!widget || event.source !== widget || event.origin !== this.#origin || !isTokenRequest(event.data)) return;
    this.#waiting = true;
    this.#setStatus('authenticating');
    void this.#answer();
  };

  /** Answers the widget's request: the first one of a document with the current token, later ones with a fresh one. */
  async #answer(): Promise<void> {
    const epoch = this.#epoch;
    const reject = this.#delivered;
    const token = await this.#acquire(reject);
    if (!token || epoch !== this.#epoch || !this.#waiting) return;
    if (token === reject) {
      // A broken backend handing back the expired token would otherwise loop with the widget forever.
      this.#fail(new AuthError('invalid-response', 'endpoint re-sent the expired token'), false);
      return;
    }
    this.#deliver(token);
  }

  #deliver(token: string): void {
    // The origin is pinned: if the frame has navigated elsewhere meanwhile, the browser drops the message.
    this.#frame?.contentWindow?.postMessage(tokenReply(token, this.widgetId), this.#origin!);
    const refreshed = this.#delivered !== undefined;
    this.#delivered = token;
    this.#waiting = false;
    this.#setStatus('authenticated');
    const expiresAt = tokenExpiry(token);
    this.#scheduleRefresh(expiresAt);
    this.dispatchEvent(widgetEvent<AuthSuccessDetail>('rai-auth-success', { widgetId: this.widgetId, refreshed, ...(expiresAt && { expiresAt }) }));
  }

  /** Fetches the next token shortly before this one expires, so the widget's expiry request is answered at once. */
  #scheduleRefresh(expiresAt: number | undefined): void {
    clearTimeout(this.#refreshTimer);
    if (!expiresAt) return;
    const left = expiresAt - Date.now();
    const delay = left - Math.min(60_000, left / 4);
    if (delay < MAX_TIMER_MS) this.#refreshTimer = setTimeout(() => void this.#acquire(this.#delivered), delay);
  }

  #onAttemptFailed = (error: AuthError, retrying: boolean): void => this.#fail(error, retrying);

  #fail(error: AuthError, retrying: boolean): void {
    if (!retrying) this.#inFlight = undefined;
    // A failed background refresh leaves a widget that still holds a valid token authenticated.
    if (!retrying && (error.reason === 'config' || this.#status !== 'authenticated' || this.#waiting)) this.#setStatus('error');
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

  #onStorage = (event: StorageEvent): void => {
    // Another tab changed our slot: a removal is a logout; a new token serves a widget that is waiting.
    if (!this.#session || (event.key !== null && event.key !== this.storageKey)) return;
    try {
      // The memory kind has no such area, so its widgets ignore every storage event.
      if (event.storageArea !== (globalThis as unknown as Record<string, Storage>)[`${this.storage}Storage`]) return;
    } catch {
      return; // storage blocked: nothing of ours lives there
    }
    if (event.newValue === null) this.#loggedOut();
    else if (this.#waiting) void this.#answer();
  };

  #loggedOut(): void {
    this.#inFlight = undefined;
    clearTimeout(this.#refreshTimer);
    this.reload();
    this.#setStatus('logged-out');
    this.dispatchEvent(widgetEvent<LogoutDetail>('rai-logout', { widgetId: this.widgetId }));
  }

  #setStatus(status: WidgetStatus): void {
    this.#status = status;
    this.setAttribute('status', status);
  }
}
