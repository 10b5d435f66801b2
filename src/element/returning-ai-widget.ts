import { AuthError } from '../core/auth-error.js';
import { BaseElement, type PropertyOptions } from './base-element.js';
import { defineOnce } from './define-once.js';
import { widgetEvent, type StatusChangeDetail, type StatusChangeReason } from './events.js';
import type { StorageKind } from '../core/environment.js';
import { pageOwner } from '../core/page-owner.js';
import type { TokenProvider } from '../core/token-fetch.js';
import { VERSION } from './version.js';
import { DEFAULT_BASE_URL, oneOf, readConfig, type WidgetConfig } from './widget-config.js';
import { WidgetExchange, type WidgetStatus } from './widget-exchange.js';
import { createFrame, failureText, renderShadow, styles } from './widget-view.js';

export type { WidgetStatus } from './widget-exchange.js';

/** The vendor snippet's storage key, so that its logout (removing the key) signs our widgets out too. */
const DEFAULT_STORAGE_KEY = 'returning-ai-widget-token';

/**
 * Embeds a Returning.AI widget in an iframe and signs it in with a short-lived token from the host site's
 * backend, answering the widget's postMessage token requests only from its own iframe and the widget's origin.
 * Tokens are owned by one object per page, shared by every element and every copy of the library; the element
 * owns its iframe, the message exchange with it, and the states it shows.
 *
 * @summary An authenticated Returning.AI widget.
 * @tag returning-ai-widget
 *
 * @fires {CustomEvent<AuthSuccessDetail>} rai-auth-success - The widget was handed a token (`refreshed` when it replaced an expired one).
 * @fires {CustomEvent<AuthFailureDetail>} rai-auth-failure - An attempt to obtain a token failed, or the configuration is invalid (`reason: 'config'`).
 * @fires {CustomEvent<LogoutDetail>} rai-logout - The widget was signed out (by `logout()` of any element or copy of the library, or by another tab) and reloaded.
 * @fires {CustomEvent<StatusChangeDetail>} rai-status-change - `status` changed (only on a change): `detail.status`, and `detail.reason` for `error` (the failure's reason) and `logged-out` (`unauthorized` or `logout`).
 *
 * @slot loading - Replaces the loading indicator shown until the widget has loaded with a token ready for it.
 * @slot error - Replaces the error panel's content (its message and retry button) after a final failure.
 * @slot signed-out - Shown over the widget's foot while signed out (after a 401/403 or a logout): a sign-in link, say.
 *
 * @csspart iframe - The widget's iframe.
 * @csspart loading - The loading cover.
 * @csspart error - The error panel (`role="alert"`).
 * @csspart message - The error panel's fixed message.
 * @csspart retry - The error panel's button: `retry()`.
 * @csspart signed-out - The box of the `signed-out` slot.
 *
 * @cssproperty [--rai-widget-background=#fff] - Background of the loading and error panels (`#0d1117` with `theme="dark"`).
 * @cssproperty [--rai-widget-color=#1f2328] - Text colour of the panels (`#e6edf3` dark).
 * @cssproperty [--rai-widget-accent=#0969da] - The spinner and the retry button (`#4493f8` dark).
 * @cssproperty [--rai-widget-radius=8px] - Corner radius of the frame, the panels and the button.
 *
 * @attr {'idle' | 'authenticating' | 'authenticated' | 'error' | 'logged-out'} status - Set by the element to its `status`, for styling (e.g. `returning-ai-widget[status='error']`). Read-only.
 */
export class ReturningAiWidget extends BaseElement {
  /** This copy's version, compared when two copies of the element meet on one page. */
  static readonly version = VERSION;

  /**
   * Registers the element. Idempotent: a tag already taken (say by a CDN copy) is left alone, with a warning
   * when the versions differ.
   * @param tag - The tag name to use.
   * @param registry - The registry to define it in, e.g. a scoped one.
   */
  static define(tag = 'returning-ai-widget', registry: CustomElementRegistry = customElements): void {
    defineOnce(this, tag, registry);
  }

  static override styles = styles;

  static override properties: Record<string, PropertyOptions> = {
    widgetId: { attribute: 'widget-id' },
    widgetType: { attribute: 'widget-type' },
    baseUrl: { attribute: 'base-url' },
    theme: { reflect: true },
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
  /** `light` or `dark`: the widget's `color` query parameter, and the panels' colours. */
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

  constructor() {
    super();
    this.keepDefaults(); // after the field initializers above
  }

  #status: WidgetStatus = 'idle';

  /** Where the element is in the token flow, also reflected as the `status` attribute for styling. Read-only. */
  get status(): WidgetStatus {
    return this.#status;
  }

  #configError?: string;
  #frame?: HTMLIFrameElement;
  // Whether the widget document has loaded: until it has, with a token at hand, the loading cover shows.
  #loaded = false;
  // The window whose messages we hear: the element's own, which changes if it moves to another document.
  #window?: Window | null;
  #onMessage = (event: MessageEvent): void => this.#exchange.heard(event);
  #panel = renderShadow(this.renderRoot, () => this.retry());
  // The token conversation with the widget, which sees this element through these few functions.
  #exchange = new WidgetExchange({
    widgetId: () => this.widgetId,
    status: (next, reason) => (next ? this.#setStatus(next, reason) : this.#status),
    widget: () => this.#frame?.contentWindow,
    reloadFrame: () => this.#reloadFrame(),
    showFailure: ({ reason, message }) => {
      this.#panel.message.textContent = failureText(reason, message);
      this.#panel.retry.hidden = reason === 'config'; // only a change of attribute mends that
    },
    dispatchEvent: (event) => this.dispatchEvent(event),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    // Listening starts before the iframe's src is set, so the widget's first request cannot be missed.
    this.#window = this.ownerDocument.defaultView;
    this.#window?.addEventListener('message', this.#onMessage);
  }

  /** A state-preserving move (`moveBefore`) keeps the iframe's document, the listener and the token slot as they are. */
  connectedMoveCallback(): void {}

  override disconnectedCallback(): void {
    this.#window?.removeEventListener('message', this.#onMessage);
    this.#exchange.stop();
    // Reinserting the iframe loads a new widget document; a configuration error is reported again.
    this.#exchange.newDocument();
    this.#loaded = false;
    this.#configError = undefined;
    this.#setStatus('idle');
  }

  protected override update(): void {
    if (this.isConnected) this.#configure();
  }

  /**
   * Signs out every widget whose token lives in the given storage place: removes the token, aborts its requests
   * (even one waiting to retry) and reloads those widgets, which then stay signed out until `authenticate()` or
   * `reload()`. Reaches every copy of the library on the page and, through the `storage` event and a
   * BroadcastChannel, every other tab where the library runs. Call it from your app's sign-out, after your own
   * session has ended, on any page, with or without a widget on it.
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
    this.#exchange.reopen();
    this.#reloadFrame();
  }

  /**
   * Fetches a fresh token now, ends a signed-out state, and hands the token to the widget if the widget is waiting.
   * @returns Whether a token was obtained; failures are also reported by `rai-auth-failure` events.
   */
  authenticate(): Promise<boolean> {
    return this.#exchange.authenticate();
  }

  /** Tries again after a failure, as the error panel's button does: a fresh token for a widget that waits, else a reload. */
  retry(): void {
    if (this.#exchange.waiting) return void this.authenticate();
    this.reload();
    if (this.#exchange.slot) this.#exchange.prefetch();
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
        this.#exchange.stop();
        this.#exchange.config = undefined;
        this.#frame?.remove();
        this.#frame = undefined;
        this.#exchange.failed(new AuthError('config', message), false);
      }
      return;
    }
    this.#configError = undefined;
    this.#exchange.use(config);
    const frame = (this.#frame ??= createFrame(this.renderRoot, () => this.#documentLoaded()));
    frame.title = this.label;
    frame.loading = this.loading;
    if (frame.src !== config.url.href) this.#reloadFrame();
  }

  #documentLoaded(): void {
    this.#loaded = true;
    this.#setStatus(this.#status); // the loading cover may lift
  }

  #reloadFrame(): void {
    const url = this.#exchange.config?.url.href;
    if (!this.#frame || !url) return;
    this.#exchange.newDocument();
    this.#loaded = false;
    this.#frame.src = url;
  }

  /**
   * Sets `status`, and `aria-busy` while the loading cover shows: a widget being signed in that is not yet loaded
   * with a token at hand. Fires `rai-status-change` on a change only: the same status is set again to lift the cover.
   */
  #setStatus(status: WidgetStatus, reason?: StatusChangeReason): WidgetStatus {
    const changed = status !== this.#status;
    this.#status = status;
    this.setAttribute('status', status);
    const busy = (status === 'authenticating' || status === 'authenticated') && !(this.#loaded && this.#exchange.ready);
    if (busy) this.setAttribute('aria-busy', 'true');
    else this.removeAttribute('aria-busy');
    if (changed) this.dispatchEvent(widgetEvent<StatusChangeDetail>('rai-status-change', reason ? { status, reason } : { status }));
    return status;
  }
}
