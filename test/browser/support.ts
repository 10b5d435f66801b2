/** Shared helpers of the browser tests: the auth endpoint (msw), the fake widget frames, and mounting. */
import { HttpResponse, http, type DefaultBodyType, type HttpResponseResolver, type PathParams } from 'msw';
import { setupWorker } from 'msw/browser';
import '../../src/index.js';
import type { AuthFailureDetail, AuthSuccessDetail, ReturningAiWidget } from '../../src/index.js';

// The loopback origins of the fixture servers, announced by the test runner config.
const ORIGINS: { WIDGET_ORIGIN: string; ATTACKER_ORIGIN: string; REFUSED_ORIGIN: string } = await (await fetch('/__fixtures.json')).json();
export const { WIDGET_ORIGIN, ATTACKER_ORIGIN, REFUSED_ORIGIN } = ORIGINS;
export const TOKEN_REQUEST = { type: 'RETURNINGAI_WIDGET_REQUEST_TOKEN' };

const worker = setupWorker();
let started: Promise<unknown> | undefined;
/** Starts msw's service worker once per test file; call it from `before`. */
export const startWorker = () => (started ??= worker.start({ quiet: true, onUnhandledRequest: 'bypass' }));

let counter = 0;
/** A name no other test (or concurrently running test file) uses: storage keys, endpoint paths. */
export const unique = (name: string) => `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${++counter}`;

/** An unsigned JWT with the given claims: the element only reads `exp`; the widget verifies signatures. */
export function jwt(claims: Record<string, unknown>): string {
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.test-signature`;
}

/** A distinct JWT issued now that expires in `seconds`. */
export function freshJwt(seconds = 300): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt({ iat: now, exp: now + seconds, jti: unique('jti') });
}

type Resolver = HttpResponseResolver<PathParams, DefaultBodyType>;

export interface Endpoint {
  /** The URL to use as `auth-endpoint`. */
  url: string;
  /** How many requests reached it. */
  calls: number;
  /** The tokens it answered with, in order. */
  tokens: string[];
  /** The requests it received. */
  requests: Request[];
}

/**
 * An auth endpoint on the test page's origin, answered by msw inside the browser. By default it answers
 * each request with a new JWT valid for 5 minutes; `resolver` replaces that.
 */
export function authEndpoint(resolver?: Resolver): Endpoint {
  const endpoint: Endpoint = { url: `/auth/${unique('endpoint')}`, calls: 0, tokens: [], requests: [] };
  worker.use(
    http.post(endpoint.url, async (info) => {
      endpoint.calls++;
      endpoint.requests.push(info.request.clone());
      poke();
      if (resolver) return resolver(info);
      const token = freshJwt();
      endpoint.tokens.push(token);
      return HttpResponse.json({ token });
    }),
  );
  return endpoint;
}

/** What a scripted endpoint (test/support/scripted-auth.mjs) has seen. */
export interface ScriptedState {
  calls: number;
  open: number[];
  held: Array<{ n: number; query: string }>;
  aborted: number;
  tokens: Array<{ n: number; token: string }>;
}

/**
 * A real auth endpoint on the test server, reachable from any document of the origin (msw answers only for the
 * test page itself): a second "tab", or another copy of the library. `mode` decides how it answers.
 */
export function scriptedEndpoint(mode: 'auto' | 'hold' | '401' | '503' = 'auto', ttl = 300) {
  const id = unique('ep');
  const control = `/__auth-control/${id}`;
  const post = (path: string) => fetch(path, { method: 'POST' }).then((response) => response.json());
  const ready = post(`${control}?mode=${mode}&ttl=${ttl}`);
  return {
    id,
    url: `/__auth/${id}`,
    ready,
    state: async (): Promise<ScriptedState> => (await fetch(control)).json(),
    mode: (next: string) => post(`${control}?mode=${next}`),
    /** Answers held request `n` (default: every held one) with a token, or with `status`. */
    answer: (n?: number, status = 200) => post(`${control}/answer?status=${status}${n === undefined ? '' : `&n=${n}`}`),
  };
}

/** The absolute URL of an endpoint: the source a stored token is bound to. */
export const sourceOf = (endpoint: Endpoint | string) => new URL(typeof endpoint === 'string' ? endpoint : endpoint.url, location.href).href;

/** Stores `token` under `key` as the element does: raw, as the vendor's snippet keeps it, bound to its endpoint beside it. */
export function storeToken(key: string, token: string, endpoint: Endpoint | string, area: Storage = localStorage): void {
  area.setItem(key, token);
  area.setItem(`${key}.source`, `${token.slice(-16)} ${sourceOf(endpoint)}`);
}

/** The token stored under `key`. */
export const storedToken = (key: string, area: Storage = localStorage): string | null => area.getItem(key);

/** The source the token stored under `key` is bound to, if its binding is there and matches it. */
export function boundSource(key: string, area: Storage = localStorage): string | undefined {
  const tail = `${area.getItem(key)?.slice(-16)} `;
  const binding = area.getItem(`${key}.source`);
  return binding?.startsWith(tail) ? binding.slice(tail.length) : undefined;
}

/** A promise with its resolve function outside, to hold a response until the test lets it go. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

// ---- Messages from the fake widget frames ----

export interface Report {
  source: MessageEventSource | null;
  origin: string;
  kind: 'loaded' | 'token' | 'posted' | 'report';
  /** For a token: the message it came in, a reply or push (`RETURNINGAI_WIDGET_TOKEN`) or a refresh; and when (ms). */
  type?: 'RETURNINGAI_WIDGET_TOKEN' | 'RETURNINGAI_WIDGET_REFRESH';
  at?: number;
  value?: { token: string; widgetId: string };
  tokens?: Array<{ token: string; widgetId: string }>;
  href?: string;
}

const reports: Report[] = [];
const wakers = new Set<() => void>();
addEventListener('message', (event) => {
  if (event.data?.fake !== true) return;
  reports.push({ ...event.data, source: event.source, origin: event.origin });
  wakers.forEach((wake) => wake());
});

/** Waits until `check` holds, re-checking at each message or event it is poked by; fails after `timeoutMs`. */
export function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const wake = () => {
      const value = check();
      if (value) {
        cleanup();
        resolve(value);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      wakers.delete(wake);
    };
    wakers.add(wake);
    wake();
  });
}

/**
 * Waits until `check` (which may be async) holds, asking every 10 ms: for state nothing announces, such as web
 * storage or the scripted endpoint on the server. Bounded by `timeoutMs`.
 */
export async function poll<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Lets `until` re-check after something other than a fake-widget message (an element event). */
export const poke = () => wakers.forEach((wake) => wake());

/** Drives one fake widget frame (the element's own, or a stray one) or popup, and reads what it reported. */
export class WidgetFrame {
  constructor(readonly target: HTMLIFrameElement | Window) {}

  get frame(): HTMLIFrameElement {
    return this.target as HTMLIFrameElement;
  }

  get window(): Window {
    return this.target instanceof HTMLIFrameElement ? this.target.contentWindow! : this.target;
  }

  reports(kind: Report['kind']): Report[] {
    return reports.filter((report) => report.source === this.window && report.kind === kind);
  }

  /** The tokens this frame received so far. */
  get tokens(): string[] {
    return this.reports('token').map((report) => report.value!.token);
  }

  /** Waits for this frame's `count`-th report of `kind`. */
  waitFor(kind: Report['kind'], count = 1, timeoutMs?: number): Promise<Report> {
    const name = this.target instanceof HTMLIFrameElement ? this.target.src : 'a popup';
    return until(() => this.reports(kind)[count - 1], `report #${count} "${kind}" from ${name}`, timeoutMs);
  }

  /** Waits for this frame's `count`-th token. */
  async token(count = 1, timeoutMs?: number): Promise<string> {
    return (await this.waitFor('token', count, timeoutMs)).value!.token;
  }

  /** Posts a command to the frame once a document of it has loaded (one posted earlier would be lost). */
  async #command(message: object): Promise<void> {
    await this.waitFor('loaded');
    this.window.postMessage(message, '*');
  }

  /** Asks the frame to send a token request, as the widget does when its token expired. */
  request(): Promise<void> {
    return this.#command({ command: 'request' });
  }

  /** Makes the frame post `message` to the host page `times` times in a row, and waits until the page has handled them. */
  async post(message: unknown, times = 1): Promise<void> {
    const count = this.reports('posted').length;
    await this.#command({ command: 'post', message, times });
    await this.waitFor('posted', count + 1);
  }

  /** Navigates the frame elsewhere from inside, as a compromised or redirected widget could. */
  navigate(url: string): Promise<void> {
    return this.#command({ command: 'navigate', url });
  }

  /** Asks the document now in the frame which tokens it has received (after everything posted to it before). */
  async received(): Promise<string[]> {
    const count = this.reports('report').length;
    await this.#command({ command: 'report' });
    const report = await this.waitFor('report', count + 1);
    return report.tokens!.map((value) => value.token);
  }
}

/** A stray frame on the page, outside any element. */
export function strayFrame(origin: string, path = '/silent/stray'): WidgetFrame {
  const frame = document.createElement('iframe');
  frame.src = `${origin}${path}`;
  document.body.append(frame);
  mounted.add(frame);
  return new WidgetFrame(frame);
}

// ---- Elements ----

const mounted = new Set<Element>();

/** What one element dispatched. */
export interface Recorded {
  success: AuthSuccessDetail[];
  failure: AuthFailureDetail[];
  logout: number;
  all: Array<{ type: string; detail: unknown }>;
}

/** Records the element's events from before it is connected (so none is missed). */
export function record(el: HTMLElement): Recorded {
  const recorded: Recorded = { success: [], failure: [], logout: 0, all: [] };
  el.addEventListener('rai-auth-success', (event) => {
    recorded.success.push(event.detail);
    recorded.all.push({ type: event.type, detail: event.detail });
    poke();
  });
  el.addEventListener('rai-auth-failure', (event) => {
    recorded.failure.push(event.detail);
    recorded.all.push({ type: event.type, detail: event.detail });
    poke();
  });
  el.addEventListener('rai-logout', (event) => {
    recorded.logout++;
    recorded.all.push({ type: event.type, detail: event.detail });
    poke();
  });
  return recorded;
}

export interface Mounted {
  el: ReturningAiWidget;
  events: Recorded;
  /** The element's own iframe, once rendered. */
  widget: WidgetFrame;
}

/**
 * Creates a `<returning-ai-widget>` with `attributes` (defaults: the fake widget's origin and a unique storage key),
 * records its events, connects it and waits for its first render.
 */
export async function mount(
  attributes: Record<string, string>,
  properties: Partial<ReturningAiWidget> = {},
  el: ReturningAiWidget = document.createElement('returning-ai-widget'),
): Promise<Mounted> {
  const all = { 'base-url': WIDGET_ORIGIN, 'widget-id': 'w1', 'storage-key': unique('key'), ...attributes };
  for (const [name, value] of Object.entries(all)) el.setAttribute(name, value);
  Object.assign(el, properties);
  const events = record(el);
  document.body.append(el);
  mounted.add(el);
  await el.updateComplete;
  const frame = el.shadowRoot!.querySelector('iframe');
  return { el, events, widget: new WidgetFrame(frame!) };
}

/** Removes everything the test mounted; call it from `afterEach`. */
export function cleanup(): void {
  mounted.forEach((node) => node.remove());
  mounted.clear();
}
