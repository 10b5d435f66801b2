import { LitElement, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { StorageKind } from '../core/environment.js';
import { pageOwner } from '../core/page-owner.js';
import type { TokenProvider } from '../core/token-fetch.js';
import { defineOnce } from './define-once.js';
import { VERSION } from './version.js';
import { DEFAULT_BASE_URL, DEFAULT_LABEL, DEFAULT_STORAGE_KEY, DEFAULT_WIDGET_TYPE, readConfig } from './widget-config.js';
import { WidgetExchange, type WidgetStatus } from './widget-exchange.js';
import { WidgetFrame } from './widget-frame.js';
import { frameView, styles, widgetView } from './widget-view.js';

export type { WidgetStatus } from './widget-exchange.js';

/**
 * Embeds a Returning.AI widget in an iframe and signs it in with a short-lived token from the host site's
 * backend, answering the widget's postMessage token requests only from its own iframe and the widget's origin, and
 * pushing tokens as the vendor's SDK does. Tokens are owned by one object per page, shared by every element and every
 * copy of the library; the element owns its iframe (or adopts the server-rendered one in its `frame` slot), and shows
 * the state its exchange with the widget is in.
 *
 * @summary An authenticated Returning.AI widget.
 * @tag returning-ai-widget
 *
 * @fires {CustomEvent<AuthSuccessDetail>} rai-auth-success - The widget was handed a token (`refreshed` when it replaced one it had).
 * @fires {CustomEvent<AuthFailureDetail>} rai-auth-failure - An attempt to obtain a token failed, or the configuration is invalid (`reason: 'config'`).
 * @fires {CustomEvent<LogoutDetail>} rai-logout - The widget was signed out (by `logout()` of any element or copy of the library, or by another tab) and reloaded.
 * @fires {CustomEvent<StatusChangeDetail>} rai-status-change - `status` changed (or its `reason`, within `error` and `logged-out`).
 *
 * @slot loading - Replaces the loading indicator shown until the widget has loaded with a token ready for it.
 * @slot error - Replaces the error panel's content (its message and retry button) after a final failure.
 * @slot signed-out - Shown over the widget's foot while signed out (after a 401/403 or a logout): a sign-in link, say.
 * @slot frame - The widget's iframe when the page was rendered on the server (`renderWidget()` of `returning-ai-widget/ssr`): the element adopts it instead of creating its own.
 *
 * @csspart iframe - The widget's iframe (a server-rendered frame is styled as `returning-ai-widget > iframe`).
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
    defineOnce(this, tag, registry);
  }

  static override styles = styles;

  static override properties: PropertyDeclarations = {
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

  /** The widget's id: the last segment of the widget page's path, and `value.widgetId` in every message to it. Required. */
  widgetId = '';
  /** The first segment of the widget page's path. */
  widgetType: string = DEFAULT_WIDGET_TYPE;
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
  label: string = DEFAULT_LABEL;
  /** How long one token request may take, in milliseconds (1 to 2147483647), before it counts as a `timeout`. */
  timeout = 10_000;
  /** Obtains tokens in place of `auth-endpoint`, for apps with their own HTTP client. A property only. */
  tokenProvider?: TokenProvider;

  // The properties' starting values: removing an attribute, or setting null or undefined (as frameworks do for a
  // prop they drop), gives a property its default back at the next update.
  readonly #defaults = new Map<PropertyKey, unknown>();
  // The window whose messages we hear: the element's own, which changes if it moves to another document.
  #window?: Window | null;
  #onMessage = (event: MessageEvent): void => this.#exchange.heard(event);
  #onLoad = (): void => this.#exchange.documentLoaded();
  // The token conversation with the widget, and the state shown, which sees this element through these few functions.
  #exchange: WidgetExchange = new WidgetExchange({
    widgetId: () => this.widgetId,
    widget: () => this.#frame.element?.contentWindow,
    reloadFrame: () => this.#frame.navigate(),
    render: () => {
      this.setAttribute('status', this.#exchange.status);
      if (this.#exchange.busy) this.setAttribute('aria-busy', 'true');
      else this.removeAttribute('aria-busy');
      this.requestUpdate();
    },
    dispatchEvent: (event) => this.dispatchEvent(event),
  });
  // The widget's iframe: its own, or the server-rendered one it adopts.
  #frame: WidgetFrame = new WidgetFrame(this, this.#exchange, this.#onLoad);
  // Removed during its own update (a status listener moving it): the update running swallows the reconnection's.
  #reconfigure = false;

  constructor() {
    super();
    for (const name of ReturningAiWidget.elementProperties.keys()) this.#defaults.set(name, this[name as keyof this]);
  }

  /** Where the element is in the token flow, also reflected as the `status` attribute for styling. Read-only. */
  get status(): WidgetStatus {
    return this.#exchange.status;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate(); // (re)configures: a reconnected element signs in again
    // Listening starts before the iframe's src is set, so the widget's first request cannot be missed.
    this.#window = this.ownerDocument.defaultView;
    this.#window?.addEventListener('message', this.#onMessage);
  }

  /** A state-preserving move (`moveBefore`) keeps the iframe's document, the listener and the token slot as they are. */
  connectedMoveCallback(): void {}

  /** Moved into another document (a same-origin frame, a popup): a constructed stylesheet applies only in its own document. */
  adoptedCallback(): void {
    const view = this.ownerDocument.defaultView as typeof globalThis | null;
    if (!view) return;
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(styles.cssText);
    (this.renderRoot as ShadowRoot).adoptedStyleSheets = [sheet];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#reconfigure ||= this.isUpdatePending;
    this.#window?.removeEventListener('message', this.#onMessage);
    // Reinserting the iframe loads a new widget document; a configuration error is reported again.
    this.#exchange.detach();
  }

  /** Restores defaults, then validates the configuration and (re)starts what changed: the token slot, the widget page. */
  protected override willUpdate(changed: PropertyValues<this>): void {
    const self = this as unknown as Record<PropertyKey, unknown>;
    for (const name of changed.keys()) self[name] ??= this.#defaults.get(name);
    if (!this.isConnected) return;
    let url: string | undefined;
    try {
      const config = readConfig(this, this.ownerDocument.baseURI);
      this.#exchange.use(config);
      url = config.url.href;
    } catch (error) {
      this.#exchange.misconfigured((error as Error).message);
    }
    this.#frame.update(url);
  }

  protected override updated(): void {
    if (!this.#reconfigure || !this.isConnected) return;
    this.#reconfigure = false;
    this.requestUpdate();
  }

  protected override render(): TemplateResult {
    const url = !this.#frame.adopted && this.#frame.url;
    return widgetView({
      frame: url ? frameView(url, this.label, this.loading, this.#onLoad) : nothing,
      failure: this.#exchange.failure,
      retry: () => this.retry(),
      slotted: () => this.requestUpdate(), // willUpdate adopts a frame the parser added after the upgrade
    });
  }

  /**
   * Signs out every widget whose token lives in the given storage place: removes the token, aborts its requests
   * (even one waiting to retry) and reloads those widgets, which then stay signed out until `authenticate()` or
   * `reload()` on each, or a new page view; so do widgets that join the place on this page until one of those calls.
   * Reaches every copy of the library on the page and, through the `storage` event and a BroadcastChannel, every
   * other tab where the library runs. Call it from your app's sign-out, after your own session has ended, on any
   * page, with or without a widget on it. It never throws: a `storage` that is none of the three signs the key out in
   * all three.
   * @param options - The `storage` and `storageKey` the widgets use; both default as on the element.
   */
  static logout(options: { storage?: StorageKind; storageKey?: string } = {}): void {
    const { storage = 'local', storageKey } = options ?? {};
    const kinds: StorageKind[] = ['local', 'session', 'memory'];
    for (const kind of kinds.includes(storage) ? [storage] : kinds) pageOwner().logout(kind, String(storageKey ?? DEFAULT_STORAGE_KEY));
  }

  /**
   * Signs out every widget sharing the storage place this element uses (a change of `storage` or `storage-key` not
   * applied yet does not count), here, in other copies and in other tabs: see the static `logout()`. Never throws.
   */
  logout(): void {
    const place = this.#exchange.slot?.place;
    ReturningAiWidget.logout(place ? { storage: place.kind, storageKey: place.key } : this);
  }

  /** Reloads the widget iframe and ends a signed-out state; its first request is answered with the current token. */
  reload(): void {
    this.#exchange.reopen();
    this.#frame.navigate();
  }

  /**
   * Fetches a fresh token now (never one stored by an earlier request), ends a signed-out state, and hands the token to
   * the widget: as the answer it waits for, pushed to a loaded document that has none, or as a refresh of the one it
   * holds. Call it after your user signs in again without a page load.
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
}
