/**
 * A deterministic stand-in for the page, for the token owner's Node tests: a fake clock, web storage shared by
 * "tabs" (each tab a TokenOwner) with `storage` events, a BroadcastChannel hub, Web Locks, and a network whose
 * requests the test answers one by one.
 */
import { setImmediate } from 'node:timers/promises';
import type { CrossTabMessage, Environment, StorageArea, StorageKind } from '../../src/core/environment.js';
import { TokenOwner } from '../../src/core/token-owner.js';

/** Lets every pending promise callback run (setImmediate comes after the microtask queue drains). */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await setImmediate();
}

export class FakeClock {
  now = 1_700_000_000_000;
  #next = 1;
  readonly timers = new Map<number, { at: number; run: () => void }>();

  setTimeout = (run: () => void, ms: number): number => {
    const id = this.#next++;
    this.timers.set(id, { at: this.now + Math.max(0, ms), run });
    return id;
  };

  clearTimeout = (id: unknown): void => {
    this.timers.delete(id as number);
  };

  /** Moves time forward by `ms`, running each timer due on the way (in order) and settling promises after each. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    await settle();
    for (;;) {
      const due = [...this.timers].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].run();
      await settle();
    }
    this.now = end;
    await settle();
  }

  /** The delays of the timers still pending, from now. */
  pending(): number[] {
    return [...this.timers.values()].map((timer) => timer.at - this.now).sort((a, b) => a - b);
  }
}

/** One storage area (local or session) shared by several tabs, firing `storage` events in the others. */
export class FakeStorage implements StorageArea {
  readonly items = new Map<string, string>();
  failWrites = false;
  failReads = false;
  failAll = false;
  readonly listeners = new Set<{ owner: TokenOwner; kind: StorageKind }>();

  /**
   * With `lag`, a write reaches the other tabs only at `deliver()`, as Chromium delivers a localStorage write to other
   * tabs' processes asynchronously: until then they read the value from before it, and have no event of it.
   */
  lag = false;
  // What each other tab still sees of the keys written since the last delivery; the writes to deliver, in order.
  readonly #seen = new Map<TokenOwner, Map<string, string | null>>();
  readonly #undelivered: Array<{ owner: TokenOwner; kind: StorageKind; key: string; value: string | null }> = [];

  // Keys and values are strings, as in web storage.
  getItem(key: string): string | null {
    if (this.failAll || this.failReads) throw new Error('SecurityError');
    const seen = this.#seen.get(this.writer!);
    if (seen?.has(String(key))) return seen.get(String(key))!;
    return this.items.get(String(key)) ?? null;
  }

  /** Delivers the writes made under `lag` to the other tabs, one by one: each updates what a tab reads, then fires. */
  deliver(): void {
    for (const { owner, kind, key, value } of this.#undelivered.splice(0)) {
      this.#seen.get(owner)!.set(key, value);
      owner.storageChanged(kind, key, value);
    }
    this.#seen.clear();
  }

  /** Full at this many characters of keys and values: a write past it throws (emptying a value always fits). */
  quota = Infinity;

  setItem(key: string, value: string): void {
    if (this.failAll || (this.failWrites && value !== '')) throw new Error('QuotaExceededError');
    const others = [...this.items].filter(([name]) => name !== String(key)).reduce((sum, [name, old]) => sum + name.length + old.length, 0);
    if (value !== '' && others + String(key).length + String(value).length > this.quota) throw new Error('QuotaExceededError');
    this.#hold(String(key));
    this.items.set(String(key), String(value));
    this.#notify(String(key), String(value));
  }

  removeItem(key: string): void {
    if (this.failAll) throw new Error('SecurityError');
    if (!this.items.has(String(key))) return;
    this.#hold(String(key));
    this.items.delete(String(key));
    this.#notify(String(key), null);
  }

  /** The tab calling (set by its environment): the writer is not told; as in browsers, only the other tabs get a `storage` event. */
  writer?: TokenOwner;
  #notify(key: string, value: string | null) {
    const writer = this.writer;
    for (const { owner, kind } of this.listeners) {
      if (owner === writer) continue;
      if (this.lag) this.#undelivered.push({ owner, kind, key, value });
      else queueMicrotask(() => owner.storageChanged(kind, key, value));
    }
  }

  /** Under `lag`, the other tabs keep seeing what `key` held before this write until it is delivered. */
  #hold(key: string) {
    if (!this.lag) return;
    for (const { owner } of this.listeners) {
      if (owner === this.writer) continue;
      const seen = this.#seen.get(owner) ?? new Map<string, string | null>();
      this.#seen.set(owner, seen);
      if (!seen.has(key)) seen.set(key, this.items.get(key) ?? null);
    }
  }
}

/** Web Locks: one holder per name at a time, in request order; a waiting request aborts with its signal. */
export class FakeLocks {
  readonly #queues = new Map<string, Array<() => void>>();
  readonly held = new Set<string>();

  request = async <T>(name: string, signal: AbortSignal, task: () => Promise<T>): Promise<T> => {
    signal.throwIfAborted();
    if (this.held.has(name)) {
      await new Promise<void>((resolve, reject) => {
        const queue = this.#queues.get(name) ?? [];
        this.#queues.set(name, queue);
        const grant = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          queue.splice(queue.indexOf(grant), 1);
          reject(signal.reason);
        };
        queue.push(grant);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
    this.held.add(name);
    try {
      return await task();
    } finally {
      const next = this.#queues.get(name)?.shift();
      if (next) next();
      else this.held.delete(name);
    }
  };
}

/** A request the fake network received; the test answers it. */
export interface PendingRequest {
  url: string;
  init: RequestInit;
  signal: AbortSignal;
  answer(status: number, body?: unknown): void;
  fail(): void;
  /** Resolves the fetch even though it was aborted, as a fetch that ignores its signal would. */
  answerAnyway(status: number, body?: unknown): void;
}

export class FakeNetwork {
  readonly requests: PendingRequest[] = [];
  /** Answers every new request at once when set. */
  auto?: (request: PendingRequest) => void;

  fetch = (url: string, init: RequestInit): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal!;
      // Like a real fetch, it stops listening to the signal once it has settled.
      const settled = new AbortController();
      const respond = (status: number, body?: unknown) => {
        settled.abort();
        resolve(
          status === 0
            ? ({ status: 0, ok: false, type: 'opaqueredirect', json: async () => null } as unknown as Response)
            : new Response(typeof body === 'string' ? body : JSON.stringify(body ?? {}), { status }),
        );
      };
      const request: PendingRequest = {
        url,
        init,
        signal,
        answer: (status, body) => !signal.aborted && respond(status, body),
        answerAnyway: respond,
        fail: () => {
          settled.abort();
          reject(new TypeError('Failed to fetch'));
        },
      };
      signal.addEventListener('abort', () => reject(signal.reason), { once: true, signal: settled.signal });
      this.requests.push(request);
      this.auto?.(request);
    });

  /** The requests not yet aborted. */
  get open(): PendingRequest[] {
    return this.requests.filter((request) => !request.signal.aborted);
  }
}

/** A BroadcastChannel hub: a message reaches every other tab's owner. */
export class FakeChannel {
  readonly owners = new Set<TokenOwner>();
  readonly sent: CrossTabMessage[] = [];

  sender(from: () => TokenOwner): (message: CrossTabMessage) => void {
    return (message) => {
      this.sent.push(message);
      for (const owner of this.owners) if (owner !== from()) queueMicrotask(() => owner.received(structuredClone(message)));
    };
  }
}

/** A browser profile: one clock, one network, one localStorage, locks and channel shared by its tabs. */
export class FakeBrowser {
  readonly clock = new FakeClock();
  readonly network = new FakeNetwork();
  readonly local = new FakeStorage();
  readonly locks = new FakeLocks();
  readonly channel = new FakeChannel();

  /**
   * Opens a tab: its own owner and sessionStorage, sharing the rest. `locks: false` for a browser without Web Locks.
   * `close()` ends it as the browser would, running none of its code: its locks are released (and its waiting lock
   * requests dropped), its timers never fire, and it hears nothing more.
   */
  tab({ locks = true, broadcast = true }: { locks?: boolean; broadcast?: boolean } = {}): {
    owner: TokenOwner;
    session: FakeStorage;
    env: Environment;
    close(): void;
  } {
    const session = new FakeStorage();
    // The closures below need the owner, which needs them: they read it through this holder once it is set.
    const self = {} as { owner: TokenOwner };
    const closed = new AbortController();
    const released = new Promise<never>((_, reject) => closed.signal.addEventListener('abort', () => reject(new Error('tab closed'))));
    released.catch(() => {});
    const env: Environment = {
      now: () => this.clock.now,
      setTimeout: (run, ms) => this.clock.setTimeout(() => closed.signal.aborted || run(), ms),
      clearTimeout: this.clock.clearTimeout,
      fetch: (url, init) => this.network.fetch(url, init),
      storage: (kind) => {
        const area = kind === 'local' ? this.local : kind === 'session' ? session : undefined;
        if (!area) return undefined;
        // Writes made by this tab do not fire its own storage listener.
        return new Proxy(area, {
          get: (target, name) => {
            const value = Reflect.get(target, name);
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              target.writer = self.owner;
              try {
                return (value as (...a: unknown[]) => unknown).apply(target, args);
              } finally {
                target.writer = undefined;
              }
            };
          },
        });
      },
      ...(locks && {
        lock: <T>(name: string, signal: AbortSignal, task: () => Promise<T>) =>
          this.locks.request(name, AbortSignal.any([signal, closed.signal]), () => Promise.race([task(), released])),
      }),
      ...(broadcast && { broadcast: this.channel.sender(() => self.owner) }),
    };
    const owner = (self.owner = new TokenOwner(env));
    this.local.listeners.add({ owner, kind: 'local' });
    session.listeners.add({ owner, kind: 'session' });
    if (broadcast) this.channel.owners.add(owner);
    const close = () => {
      closed.abort();
      this.local.listeners.forEach((listener) => listener.owner === owner && this.local.listeners.delete(listener));
      this.channel.owners.delete(owner);
    };
    return { owner, session, env, close };
  }
}
