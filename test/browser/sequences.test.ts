/**
 * Random sequences of what pages, widgets, endpoints and users do, over two tabs and two copies of the library, with
 * the guarantees checked after every step (fast-check, seeded and bounded). This page is tab A with two copies (the
 * sources, and the CDN build); tab B is a same-origin document with its own copy (other-tab.html). Both use two real
 * endpoints on the test server (test/support/scripted-auth.mjs) that hold every request until a step answers it.
 *
 * The guarantees:
 * - no token of an ended generation is stored, or delivered once the widget's element has heard the logout;
 * - a widget never holds a token of another source than its element's;
 * - after a logout an element delivers nothing until authenticate(), reload() or a new mount;
 * - every widget that asked gets a token, a failure event, or is signed out (checked once all requests are answered);
 *   a token it was pushed and asked for again (the request crossed the push) is sent again without an event;
 * - at most one request in flight per tab and slot, and no more refresh timers than slots;
 * - no uncaught error in either tab.
 *
 * Every request is tagged (by wrapping each tab's fetch) with the number of logouts issued before it started: the
 * endpoint echoes the tag into the token it mints, so a token tells its generation.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import type { ReturningAiWidget } from '../../src/element/returning-ai-widget.js';
import { TOKEN_REQUEST, WIDGET_ORIGIN, poll, scriptedEndpoint, unique } from './support.js';

const RUNS = 20;
const MAX_COMMANDS = 16;
const SEED = 20261130;

type Kind = 'local' | 'session' | 'memory';
type TabName = 'A' | 'B';
type WidgetClass = typeof ReturningAiWidget;

interface Report {
  kind: string;
  doc: string;
  value?: { token: string };
  source: MessageEventSource | null;
}

interface Tab {
  name: TabName;
  win: Window;
  reports: Report[];
  /** The copies of the library in this tab whose static logout() a step may call. */
  copies: WidgetClass[];
  /** Requests started and not settled, by source; refresh timers alive. */
  inFlight: Map<string, number>;
  timers: Set<number>;
  errors: string[];
  restore(): void;
}

interface Mounted {
  id: number;
  tab: Tab;
  el: ReturningAiWidget;
  source: number;
  /** The element's own container; a move takes it between this and the body. */
  box: HTMLElement;
  /** How many widget documents the frame has had: each logout and reload() loads a new one. */
  documents: number;
  /** Event log: [sequence number, type, detail]. */
  events: Array<[number, string, unknown]>;
  askedAt?: number;
  /** How many tokens the widget had reported when it last asked. */
  tokensAtAsk?: number;
  /** When the element was logged out and not yet reopened (by authenticate(), reload() or mounting). */
  closedAt?: number;
  /** At each logout heard: the logout's number and the widget documents known then. */
  logoutMarks: Array<{ generation: number; docs: Set<string> }>;
  /** At each source switch: the number of token reports then, and the new source. */
  sourceMarks: Array<{ reports: number; source: number }>;
}

const payload = (token: string) => JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { ep: string; q: string };
const generationOf = (token: string) => Number(new URLSearchParams(payload(token).q).get('g'));

/** One run: the two tabs, two endpoints, one storage place, and what happened. */
class World {
  readonly key = unique('seq-key');
  readonly endpoints = [scriptedEndpoint('hold'), scriptedEndpoint('hold')];
  readonly elements: Mounted[] = [];
  logouts = 0;
  seq = 0;
  tabs!: { A: Tab; B: Tab };
  #frame?: HTMLIFrameElement;
  #boxes: HTMLElement[] = [];

  constructor(readonly kind: Kind) {}

  async open(copies: WidgetClass[]): Promise<void> {
    await Promise.all(this.endpoints.map((endpoint) => endpoint.ready));
    const frame = (this.#frame = document.createElement('iframe'));
    frame.src = '/test/support/other-tab.html';
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    const other = frame.contentWindow as Window & { ready: Promise<unknown>; ReturningAiWidget: WidgetClass; reports: Report[] };
    await other.ready;
    const mainReports: Report[] = [];
    const listen = (event: MessageEvent) => event.data?.fake === true && mainReports.push({ ...event.data, source: event.source });
    addEventListener('message', listen);
    const a = this.#instrument('A', window, mainReports, copies);
    const restoreA = a.restore;
    a.restore = () => {
      restoreA();
      removeEventListener('message', listen);
    };
    this.tabs = { A: a, B: this.#instrument('B', other, other.reports, [other.ReturningAiWidget]) };
  }

  /** Wraps a tab's fetch (tagging requests, counting those in flight), its timers, and its error events. */
  #instrument(name: TabName, win: Window, reports: Report[], copies: WidgetClass[]): Tab {
    const tab: Tab = { name, win, reports, copies, inFlight: new Map(), timers: new Set(), errors: [], restore: () => {} };
    const target = win as Window & typeof globalThis;
    const { fetch: realFetch, setTimeout: realSet, clearTimeout: realClear } = target;
    target.fetch = (input, init) => {
      const source = String(input);
      // Only the elements' token requests (the harness's own control requests go through untouched).
      if (!source.includes('/__auth/')) return realFetch(input, init);
      tab.inFlight.set(source, (tab.inFlight.get(source) ?? 0) + 1);
      const tagged = new URL(source);
      tagged.search = new URLSearchParams({ g: String(this.logouts), tab: name, rid: unique('r') }).toString();
      return realFetch(tagged.href, init).finally(() => tab.inFlight.set(source, tab.inFlight.get(source)! - 1));
    };
    target.setTimeout = ((handler: () => void, ms?: number) => {
      // Refresh-ahead timers are the long ones: 300 s tokens are refreshed 60 s ahead.
      const id: number = realSet(() => {
        tab.timers.delete(id);
        handler();
      }, ms);
      if ((ms ?? 0) > 60_000) tab.timers.add(id);
      return id;
    }) as typeof setTimeout;
    target.clearTimeout = ((id?: number) => {
      tab.timers.delete(id!);
      realClear(id);
    }) as typeof clearTimeout;
    const onError = (event: ErrorEvent) => tab.errors.push(`${name}: ${event.message}`);
    const onRejection = (event: PromiseRejectionEvent) => tab.errors.push(`${name}: unhandled rejection ${String(event.reason)}`);
    target.addEventListener('error', onError);
    target.addEventListener('unhandledrejection', onRejection);
    tab.restore = () => {
      Object.assign(target, { fetch: realFetch, setTimeout: realSet, clearTimeout: realClear });
      target.removeEventListener('error', onError);
      target.removeEventListener('unhandledrejection', onRejection);
    };
    return tab;
  }

  mount(tabName: TabName, source: number): Mounted {
    const tab = this.tabs[tabName];
    const doc = tab.win.document;
    const el = doc.createElement('returning-ai-widget') as ReturningAiWidget;
    const id = this.elements.length;
    const attributes = {
      'base-url': WIDGET_ORIGIN,
      'widget-id': `w${id}`,
      'widget-type': 'silent',
      'auth-endpoint': this.endpoints[source]!.url,
      storage: this.kind,
      'storage-key': this.key,
    };
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    const box = doc.createElement('div');
    const mounted: Mounted = { id, tab, el, source, box, documents: 1, events: [], logoutMarks: [], sourceMarks: [] };
    for (const type of ['rai-auth-success', 'rai-auth-failure', 'rai-logout']) {
      el.addEventListener(type, (event) => {
        mounted.events.push([++this.seq, type, (event as CustomEvent).detail]);
        if (type === 'rai-logout') {
          mounted.closedAt = this.seq;
          mounted.askedAt = undefined; // the widget reloads: what it asked before is void
          mounted.documents++;
          mounted.logoutMarks.push({ generation: this.logouts, docs: new Set(this.reportsOf(mounted).map((report) => report.doc)) });
        }
      });
    }
    this.#boxes.push(box);
    box.append(el);
    doc.body.append(box);
    this.elements.push(mounted);
    return mounted;
  }

  /** The reports of an element's widget frame (across its documents). */
  reportsOf(mounted: Mounted): Report[] {
    const frame = mounted.el.shadowRoot?.querySelector('iframe')?.contentWindow;
    return frame ? mounted.tab.reports.filter((report) => report.source === frame) : [];
  }

  connected = () => this.elements.filter((mounted) => mounted.el.isConnected);

  /** Posts a command to an element's widget frame once its current document has loaded (one posted earlier is lost). */
  async command(mounted: Mounted, message: object): Promise<void> {
    const frame = mounted.el.shadowRoot?.querySelector('iframe')?.contentWindow;
    if (!frame) return;
    const loaded = () => this.reportsOf(mounted).filter((report) => report.kind === 'loaded').length;
    await poll(() => loaded() >= mounted.documents, `widget ${mounted.id}'s document ${mounted.documents} to load`);
    frame.postMessage(message, '*');
  }

  /**
   * Waits until what was posted to every widget has been reported back: each widget answers a "report" command
   * after every message posted to it before, and its reports reach the tab in order.
   */
  async flush(): Promise<void> {
    await Promise.all(
      this.connected().map(async (mounted) => {
        const count = this.reportsOf(mounted).filter((report) => report.kind === 'report').length;
        await this.command(mounted, { command: 'report' });
        await poll(() => this.reportsOf(mounted).filter((report) => report.kind === 'report').length > count, `widget ${mounted.id} to report`);
      }),
    );
  }

  /** Answers every held request of an endpoint, and waits until each tab has what the endpoint sent. */
  async answer(source: number, status: number): Promise<void> {
    await this.endpoints[source]!.answer(undefined, status);
    await this.settle();
  }

  /** Lets every answer in transit land: no request whose answer was sent is still unsettled in a tab. */
  async settle(): Promise<void> {
    for (const [index, endpoint] of this.endpoints.entries()) {
      const url = new URL(endpoint.url, location.href).href;
      await poll(async () => {
        const state = await endpoint.state();
        const held = new Map<string, number>();
        for (const { query } of state.held) {
          const tab = new URLSearchParams(query).get('tab')!;
          held.set(tab, (held.get(tab) ?? 0) + 1);
        }
        // Each of a tab's unsettled requests is held by the endpoint: none is on its way there or back. (The endpoint
        // may hold more: a request the tab aborted is forgotten by the tab at once, by the server when it notices.)
        return Object.values(this.tabs).every((tab) => (tab.inFlight.get(url) ?? 0) <= (held.get(tab.name) ?? 0));
      }, `endpoint ${index}'s answers to land`);
    }
    await this.flush();
  }

  /** Waits until every element that had a token slot has heard the latest logout. */
  async heardLogout(before: Map<Mounted, number>): Promise<void> {
    await poll(
      () => [...before].every(([mounted, count]) => !mounted.el.isConnected || mounted.events.filter(([, type]) => type === 'rai-logout').length > count),
      'every tab to hear the logout',
    );
  }

  async close(): Promise<void> {
    for (const mounted of this.elements) mounted.el.remove();
    this.#boxes.forEach((box) => box.remove());
    await Promise.all(this.endpoints.map((endpoint) => endpoint.answer(undefined, 401)));
    Object.values(this.tabs ?? {}).forEach((tab) => tab.restore());
    this.#frame?.remove();
    for (const area of [localStorage, sessionStorage]) [this.key, `${this.key}.source`].forEach((key) => area.removeItem(key));
  }

  /** The guarantees that hold at every step. */
  check(): void {
    const { A, B } = this.tabs;
    expect([...A.errors, ...B.errors], 'uncaught errors').to.deep.equal([]);

    // No token of an ended generation is stored.
    for (const area of this.kind === 'local' ? [localStorage] : this.kind === 'session' ? [sessionStorage] : []) {
      const token = area.getItem(this.key);
      if (token) expect(generationOf(token), `stored token's generation (of ${this.logouts} logouts)`).to.be.at.least(this.logouts);
    }

    for (const mounted of this.elements) {
      const tokens = this.reportsOf(mounted).filter((report) => report.kind === 'token');
      tokens.forEach((report, index) => {
        const token = report.value!.token;
        // Never a token of another source: the source at the last switch before this delivery.
        const mark = mounted.sourceMarks.filter((each) => each.reports <= index).at(-1);
        if (mark) expect(payload(token).ep, `widget ${mounted.id}'s token source`).to.equal(this.endpoints[mark.source]!.id);
        // A widget document loaded after a logout was heard only gets tokens of a later generation.
        for (const { generation, docs } of mounted.logoutMarks) {
          if (!docs.has(report.doc)) expect(generationOf(token), `widget ${mounted.id}'s token after logout ${generation}`).to.be.at.least(generation);
        }
      });
      // Signed out means signed out: no delivery between a logout and a reopening.
      if (mounted.closedAt !== undefined) {
        const delivered = mounted.events.filter(([at, type]) => at > mounted.closedAt! && type === 'rai-auth-success');
        expect(delivered, `widget ${mounted.id} signed in after its logout`).to.deep.equal([]);
      }
    }

    // One request in flight per tab and slot; no more refresh timers than slots.
    for (const tab of [A, B]) {
      for (const [source, count] of tab.inFlight) expect(count, `${tab.name}: requests in flight to ${source}`).to.be.at.most(1);
      const slots = new Set(this.connected().filter((mounted) => mounted.tab === tab).map((mounted) => mounted.source));
      expect(tab.timers.size, `${tab.name}: refresh timers`).to.be.at.most(slots.size);
    }
  }

  /** Liveness, once nothing is held any more: every widget that asked got an answer, a failure, or is signed out. */
  checkAnswered(): void {
    for (const mounted of this.connected()) {
      if (mounted.askedAt === undefined || mounted.el.status === 'logged-out') continue;
      const after = mounted.events.filter(([at, type]) => at > mounted.askedAt! && type !== 'rai-logout');
      const tokens = this.reportsOf(mounted).filter((report) => report.kind === 'token').length - mounted.tokensAtAsk!;
      expect({ events: after.length, tokens }, `widget ${mounted.id} asked at ${mounted.askedAt} and heard nothing (status ${mounted.el.status})`).not.to.deep.equal({ events: 0, tokens: 0 });
    }
  }
}

// ---- The steps ----

type Step = fc.AsyncCommand<object, World>;
const pick = (world: World, index: number) => {
  const connected = world.connected();
  return connected[index % connected.length];
};

class MountStep implements Step {
  constructor(readonly tab: TabName, readonly source: number) {}
  check = () => true;
  async run(_: object, world: World) {
    const mounted = world.mount(this.tab, this.source);
    await mounted.el.updateComplete;
  }
  toString = () => `mount(${this.tab}, source ${this.source})`;
}

/** Steps on one of the connected elements. */
abstract class ElementStep implements Step {
  constructor(readonly index: number) {}
  check = () => true;
  abstract act(world: World, mounted: Mounted): Promise<void>;
  async run(_: object, world: World) {
    const mounted = pick(world, this.index);
    if (mounted) await this.act(world, mounted);
  }
}

class UnmountStep extends ElementStep {
  async act(_: World, mounted: Mounted) {
    mounted.el.remove();
  }
  override toString = () => `unmount(#${this.index})`;
}

class MoveStep extends ElementStep {
  async act(_: World, mounted: Mounted) {
    type Movable = HTMLElement & { moveBefore(node: Node, child: Node | null): void };
    const to = (mounted.el.parentElement === mounted.box ? mounted.el.ownerDocument.body : mounted.box) as Movable;
    to.moveBefore(mounted.el, null);
  }
  override toString = () => `moveBefore(#${this.index})`;
}

class AskStep extends ElementStep {
  async act(world: World, mounted: Mounted) {
    await world.flush();
    mounted.askedAt = ++world.seq;
    mounted.tokensAtAsk = world.reportsOf(mounted).filter((report) => report.kind === 'token').length;
    await world.command(mounted, { command: 'post', message: TOKEN_REQUEST, times: 1 });
    await world.flush();
  }
  override toString = () => `widget asks(#${this.index})`;
}

class SwitchStep extends ElementStep {
  async act(world: World, mounted: Mounted) {
    mounted.source = 1 - mounted.source;
    mounted.el.authEndpoint = world.endpoints[mounted.source]!.url;
    await mounted.el.updateComplete;
    await world.flush();
    mounted.sourceMarks.push({ reports: world.reportsOf(mounted).filter((report) => report.kind === 'token').length, source: mounted.source });
  }
  override toString = () => `switch source(#${this.index})`;
}

class ReopenStep extends ElementStep {
  constructor(index: number, readonly how: 'authenticate' | 'reload') {
    super(index);
  }
  async act(world: World, mounted: Mounted) {
    // A reload while the document is still loading would merge into that navigation: let it finish first.
    await world.flush();
    mounted.closedAt = undefined;
    if (this.how === 'reload') {
      mounted.askedAt = undefined; // a new widget document, which has not asked
      mounted.documents++;
      mounted.el.reload();
    } else {
      void mounted.el.authenticate();
    }
    await world.flush();
  }
  override toString = () => `${this.how}(#${this.index})`;
}

class AnswerStep implements Step {
  constructor(readonly source: number, readonly status: 200 | 401 | 503) {}
  check = () => true;
  async run(_: object, world: World) {
    await world.answer(this.source, this.status);
  }
  toString = () => `endpoint ${this.source} answers ${this.status}`;
}

type LogoutPath = 'element' | 'copy' | 'other copy' | 'other tab' | 'other tab removes the key';
class LogoutStep implements Step {
  constructor(readonly path: LogoutPath, readonly index: number) {}
  check = () => true;
  async run(_: object, world: World) {
    const { A, B } = world.tabs;
    const mounted = pick(world, this.index);
    if (this.path === 'element' && !mounted) return;
    if (this.path === 'other tab removes the key') {
      // The vendor snippet's logout: only other tabs hear a removal, and only of a key that is there. (The tab that
      // removes it cannot tell: its own widgets are left out of this step.)
      if (world.kind !== 'local' || localStorage.getItem(world.key) === null || world.connected().some((each) => each.tab === B)) return;
    }
    // Those not signed out already hear it (a widget signed out by an earlier logout stays as it is).
    const open = world.connected().filter((each) => each.closedAt === undefined);
    const before = new Map(open.map((each) => [each, each.events.filter(([, type]) => type === 'rai-logout').length]));
    await world.flush();
    world.logouts++;
    const options = { storage: world.kind, storageKey: world.key };
    if (this.path === 'element') mounted!.el.logout();
    else if (this.path === 'copy') A.copies[0]!.logout(options);
    else if (this.path === 'other copy') A.copies[1]!.logout(options);
    else if (this.path === 'other tab') B.copies[0]!.logout(options);
    else B.win.localStorage.removeItem(world.key);
    await world.heardLogout(before);
    await world.settle();
  }
  toString = () => `logout via ${this.path}${this.path === 'element' ? ` (#${this.index})` : ''}`;
}

const mounts = fc.tuple(fc.constantFrom<TabName>('A', 'B'), fc.integer({ min: 0, max: 1 })).map(([tab, source]) => new MountStep(tab, source));
const asks = fc.nat(9).map((index) => new AskStep(index));
const answers = fc.tuple(fc.integer({ min: 0, max: 1 }), fc.constantFrom<200 | 401 | 503>(200, 200, 200, 401, 503)).map(([source, status]) => new AnswerStep(source, status));
const logouts = fc.tuple(fc.constantFrom<LogoutPath>('element', 'copy', 'other copy', 'other tab', 'other tab removes the key'), fc.nat(9)).map(([path, index]) => new LogoutStep(path, index));
const reopens = fc.tuple(fc.nat(9), fc.constantFrom<'authenticate' | 'reload'>('authenticate', 'reload')).map(([index, how]) => new ReopenStep(index, how));
// Repeated entries weigh a step up: widgets asking and endpoints answering are what most sequences should be made of.
const steps = [
  mounts,
  asks,
  asks,
  asks,
  answers,
  answers,
  answers,
  logouts,
  reopens,
  reopens,
  fc.nat(9).map((index) => new UnmountStep(index)),
  fc.nat(9).map((index) => new MoveStep(index)),
  fc.nat(9).map((index) => new SwitchStep(index)),
];

/** What the runs did, printed at the end: a property that held only because nothing happened proves nothing. */
const totals = { runs: 0, steps: 0, delivered: 0, logouts: 0, failures: 0 };

describe('random sequences over two tabs and two copies (fast-check)', function () {
  this.timeout(240_000);

  it(`keeps every guarantee after every step (${RUNS} runs of up to ${MAX_COMMANDS} steps, seed ${SEED})`, async () => {
    const src = (await import('../../src/index.js')) as { ReturningAiWidget: WidgetClass };
    const cdn = (await import('/dist/cdn/returning-ai-widget.js' as string)) as { ReturningAiWidget: WidgetClass };
    const details = await fc.check(
      fc.asyncProperty(fc.constantFrom<Kind>('local', 'session', 'memory'), fc.array(mounts, { minLength: 2, maxLength: 4 }), fc.commands(steps, { maxCommands: MAX_COMMANDS, size: 'max' }), async (kind, initial, commands) => {
        const world = new World(kind);
        await world.open([src.ReturningAiWidget, cdn.ReturningAiWidget]);
        try {
          for (const mount of initial) await mount.run({}, world);
          await fc.asyncModelRun(() => ({ model: {}, real: world }), [...commands].map((command) => ({
            check: () => true,
            run: async (model: object, real: World) => {
              await command.run(model, real);
              real.check();
            },
            toString: () => String(command),
          })));
          // Answer everything still held, until nothing is, then every widget that asked must have heard back.
          for (let round = 0; round < 5; round++) {
            await world.answer(0, 200);
            await world.answer(1, 200);
          }
          world.check();
          world.checkAnswered();
          totals.runs++;
          totals.steps += [...commands].length;
          totals.logouts += world.logouts;
          for (const mounted of world.elements) {
            totals.delivered += mounted.events.filter(([, type]) => type === 'rai-auth-success').length;
            totals.failures += mounted.events.filter(([, type]) => type === 'rai-auth-failure').length;
          }
        } finally {
          await world.close();
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // The failing step's error, then fast-check's report with the seed and the steps that led there.
    if (details.failed) throw new Error(`${String((details.errorInstance as Error)?.message ?? details.errorInstance)}\n${fc.defaultReportMessage(details)}`);
    console.log(`sequences: ${JSON.stringify(totals)}`);
    expect(totals.delivered, 'tokens delivered over all runs').to.be.above(RUNS);
    expect(totals.logouts, 'logouts over all runs').to.be.above(RUNS / 2);
  });
});
