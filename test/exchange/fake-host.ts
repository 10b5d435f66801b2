/**
 * The element as the exchange sees it, for the exchange's Node tests: a widget frame whose window records what it is
 * posted, the renders the exchange asks for, its reloads of the frame, and the events it dispatches. Paired with a
 * tab of the owner's fake browser (test/owner/fake-environment.ts), it runs the whole token conversation without a
 * browser, on a fake clock.
 */
import type { TokenOwner } from '../../src/core/token-owner.js';
import type { StorageKind } from '../../src/core/environment.js';
import { WidgetExchange, type ExchangeHost } from '../../src/element/widget-exchange.js';
import type { WidgetConfig } from '../../src/element/widget-config.js';
import { ENDPOINT, KEY } from '../owner/helpers.js';

export const WIDGET_ORIGIN = 'https://widgets.example';
export const REQUEST = { type: 'RETURNINGAI_WIDGET_REQUEST_TOKEN' };

/** A widget document's window: what it was posted, and with which targetOrigin. */
export class FakeWindow {
  readonly posted: Array<{ type: string; token: string; widgetId: string; targetOrigin: string }> = [];

  postMessage(message: { type: string; value: { token: string; widgetId: string } }, targetOrigin: string): void {
    this.posted.push({ type: message.type, ...message.value, targetOrigin });
  }

  /** The tokens posted, in order. */
  get tokens(): string[] {
    return this.posted.map((each) => each.token);
  }
}

/** The element around an exchange. */
export class FakeHost implements ExchangeHost {
  id = 'w1';
  /** The frame's current window; `undefined` while there is no frame. */
  frame: FakeWindow | undefined = new FakeWindow();
  reloads = 0;
  /** What the element's frame does on a reload: a new widget document (set by exchangeOn). */
  onReload?: () => void;
  renders = 0;
  readonly events: Array<{ type: string; detail: Record<string, unknown> }> = [];

  widgetId = (): string => this.id;
  widget = (): Window | undefined => this.frame as unknown as Window | undefined;
  reloadFrame = (): void => {
    this.reloads++;
    this.onReload?.();
  };
  render = (): void => {
    this.renders++;
  };
  dispatchEvent = (event: Event): boolean => {
    this.events.push({ type: event.type, detail: (event as CustomEvent).detail });
    return true;
  };

  /** Runs `act` once, as a page's `rai-status-change` listener would, when the status becomes `status`. */
  onStatus(status: string, act: () => void): void {
    const record = this.dispatchEvent;
    let done = false;
    this.dispatchEvent = (event) => {
      record(event);
      if (!done && (event as CustomEvent).detail?.status === status) {
        done = true;
        act();
      }
      return true;
    };
  }

  /** The details of the events of `type`. */
  detailsOf(type: string): Array<Record<string, unknown>> {
    return this.events.filter((event) => event.type === type).map((event) => event.detail);
  }

  /** The statuses the exchange went through, from its rai-status-change events. */
  get statuses(): string[] {
    return this.detailsOf('rai-status-change').map((detail) => (detail.reason ? `${detail.status}:${detail.reason}` : String(detail.status)));
  }
}

/** A valid configuration of the element. */
export function config(overrides: Partial<WidgetConfig> & { kind?: StorageKind } = {}): WidgetConfig {
  return { url: new URL(`${WIDGET_ORIGIN}/store/w1`), source: ENDPOINT, kind: 'local', key: KEY, timeoutMs: 10_000, ...overrides };
}

/** An exchange on `owner` (a tab of the fake browser), with its host. */
export function exchangeOn(owner: TokenOwner): { exchange: WidgetExchange; host: FakeHost } {
  const host = new FakeHost();
  const exchange = new WidgetExchange(host, () => owner);
  host.onReload = () => exchange.newDocument(); // as WidgetFrame.navigate() does
  return { exchange, host };
}

/** A message event as the page's window receives it: from `source`, at `origin`. */
export const messageFrom = (source: unknown, data: unknown = REQUEST, origin = WIDGET_ORIGIN) =>
  ({ source, origin, data }) as unknown as MessageEvent;
