/**
 * The one owner of every token on the page. Elements are views: they ask it for tokens and hear what happens.
 *
 * - A *place* is a storage area and key (`local:returning-ai-widget-token`). Logout acts on a place: it ends the
 *   place's generation, so every request of the old generation is aborted and whatever it still returns is
 *   discarded; it removes the stored token and tells the place's views, other copies of the library on the page
 *   and other tabs.
 * - A *slot* is a place and the source that fills it (an endpoint URL or a `tokenProvider` function). It holds the
 *   one request in flight and the one refresh-ahead timer; tabs sharing a `local` slot elect the one that runs the
 *   timer (refresh-leader.ts). A token is handed only to views of the source that obtained it: its binding names
 *   its source (token-storage.ts).
 * - Whether a view is signed out is decided here, not by the view: a logout signs out the views of its place, a view
 *   that comes back after a logout it missed (detached meanwhile), and any view that joins the place on this page
 *   before one reopens it; a signed-out view gets no token, in any place, until `reopen()` (the element's
 *   `authenticate()` or `reload()`) or a new page view.
 */
import type { AuthError } from './auth-error.js';
import type { CrossTabMessage, Environment, StorageArea, StorageKind } from './environment.js';
import { isFresh, refreshDelay, tokenExpiry } from './jwt.js';
import { electRefresher } from './refresh-leader.js';
import { fetchToken, type TokenProvider, type TokenSource } from './token-fetch.js';
import { BINDING_SUFFIX, boundSource, removeStored, writeStored } from './token-storage.js';

/** What the owner tells an element about its slot. */
export interface TokenView {
  /** An attempt this view waits on failed; `retrying` tells whether another one is scheduled. */
  failed(error: AuthError, retrying: boolean): void;
  /** The place was signed out: its tokens are gone, and its requests aborted. */
  loggedOut(): void;
  /** Another tab stored a token in the place: the host session may have changed. */
  changed(): void;
  /**
   * A newer fresh token of the slot's source is in, one the slot had not seen (delivered, fetched or heard of): this
   * tab's refresh-ahead request obtained it, or another tab stored it, bound to this source. Called on every view of
   * the slot, once per token; never for a token of another source, an unbound or stale one, or one of a generation a
   * logout ended. Optional: a view that does not push tokens to its widget hands this one out when asked.
   */
  renewed?(token: string): void;
}

interface Flight {
  promise: Promise<string | undefined>;
  /** Settles `promise`; only the first call counts (a superseded flight settles with its successor's result). */
  resolve(value: string | undefined | Promise<string | undefined>): void;
  controller: AbortController;
  /** The views that hear its failures. */
  views: Set<TokenView>;
}

// setTimeout fires at once for longer delays: a token expiring that far ahead needs no refresh timer.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A place and the source that fills it: one request in flight, one refresh timer, the views that use it. */
export class TokenSlot {
  readonly views = new Set<TokenView>();
  #flight?: Flight;
  #timer?: unknown;
  // The slot's newest token (delivered, fetched by its timer, or stored by another tab): the one its timer replaces,
  // in the tab that runs it. And the timeout the timer's request gets (that of the last view that asked).
  #refreshing?: string;
  #timeoutMs = 10_000;
  // Tabs share a local slot's stored token: they elect the one that refreshes it, and request it under a lock. Any
  // other slot (session, memory, a provider's in-memory token) is this tab's own, and so is its timer.
  readonly #shared: boolean;
  // Whether this tab runs the slot's timer: the elected tab of a shared slot, every tab of any other.
  #leads = false;
  readonly #resign: () => void;

  constructor(
    readonly place: TokenPlace,
    readonly source: TokenSource,
  ) {
    this.#shared = place.kind === 'local' && typeof source === 'string';
    this.#resign = electRefresher(this.#shared ? place.env : {}, `returning-ai-widget leader ${place.key} ${source as string}`, () => {
      this.#leads = true;
      // The stored token is the slot's newest: the tab that led until now may have replaced the one delivered here.
      const newest = place.read(source) ?? this.#refreshing;
      this.#refreshing = undefined;
      this.#follow(newest);
    });
  }

  /** Whether a request is in flight; whether a refresh timer is set (for tests and benchmarks). */
  get state(): { inFlight: boolean; timer: boolean } {
    return { inFlight: !!this.#flight, timer: this.#timer !== undefined };
  }

  /**
   * A token for `view`: the stored one while it is fresh and not `reject` (the token the widget reported expired),
   * else the result of the slot's one request. `force` asks for a token fetched now: it skips the stored one, and a
   * request already in flight (sent, say, before the user signed in, or by an earlier authenticate()) is aborted and
   * replaced, its waiting views handed over to the new one. Resolves to undefined when the request fails (its
   * attempts are reported to the waiting views) or its generation ends.
   */
  token(view: TokenView | undefined, { reject, force = false, timeoutMs }: { reject?: string; force?: boolean; timeoutMs: number }): Promise<string | undefined> {
    if (view && !this.open(view)) return Promise.resolve(undefined);
    this.#timeoutMs = timeoutMs;
    const stored = this.place.read(this.source);
    if (!force && stored && stored !== reject && isFresh(stored, this.place.env.now())) return Promise.resolve(stored);
    let flight = this.#flight;
    // A forced call (authenticate()) never joins a request sent before it, not even another forced one: the session
    // may have changed in between (a sign-in as someone else).
    if (!flight || force) {
      const stale = flight;
      flight = this.#start(reject, timeoutMs, force);
      if (stale) {
        stale.views.forEach((each) => flight!.views.add(each));
        stale.controller.abort();
        stale.resolve(flight.promise);
      }
    }
    // A flight's failures are told to the views that asked for it (none for the refresh timer's): not to a view that
    // holds a token, nor to one a logout signed out.
    if (view) flight.views.add(view);
    // A forced token (authenticate(): maybe another user's session) replaces the one every widget of the slot holds,
    // on this page as in other tabs. Registered before the caller's wait, so the caller sees the others renewed.
    const forced = flight;
    if (force) void forced.promise.then((token) => this.#renew(token, forced.views));
    return flight.promise;
  }

  #start(reject: string | undefined, timeoutMs: number, forced: boolean): Flight {
    const { place, source } = this;
    const { env } = place;
    const generation = place.generation;
    const controller = new AbortController();
    let resolve!: Flight['resolve'];
    const promise = new Promise<string | undefined>((settle) => (resolve = settle));
    const flight: Flight = (this.#flight = { promise, resolve, controller, views: new Set() });
    // A logout aborts the request too; this also voids an answer that settled in the same turn as the logout.
    const current = () => generation === place.generation;
    // Runs holding the cross-tab lock, if any, until the token is stored: the next tab in line then finds it.
    const obtain = async () => {
      const stored = place.read(source);
      // Another tab stored a token while this one waited for the lock (a request starts only when none is at hand):
      // take it instead of fetching one more. Not for a forced request: that token may come from a request sent
      // before the call (say, before a sign-in).
      if (!forced && stored && stored !== reject && isFresh(stored, env.now())) return stored;
      // fetchToken reports nothing once aborted, so no view hears a failure of an ended generation.
      const token = await fetchToken(env, source, timeoutMs, controller.signal, (error, retrying) => {
        // Once it has failed for good, the next caller (say a failure listener calling authenticate()) starts afresh.
        if (!retrying) this.#settle(flight);
        [...flight.views].forEach((view) => view.failed(error, retrying));
      });
      if (current()) place.write(source, token);
      return token;
    };
    // A shared slot's request waits its turn, where the Web Locks API exists and lets this page use it.
    const work = this.#shared && env.lock ? this.#locked(obtain, controller.signal, timeoutMs) : obtain();
    // A failure was reported attempt by attempt; an abort is no failure.
    void work
      .then((token) => (current() ? token : undefined), () => undefined)
      .then((token) => {
        this.#settle(flight);
        flight.resolve(token);
      });
    return flight;
  }

  /**
   * Runs `obtain` holding the slot's cross-tab lock. Waiting for it is bounded by the request's timeout (a tab that
   * holds it and does not move, blocked in an alert, must not stall this one); where the lock is refused (an opaque
   * origin, blocked site data), or not granted in time, `obtain` runs without it.
   */
  #locked(obtain: () => Promise<string>, signal: AbortSignal, timeoutMs: number): Promise<string> {
    const { env, key } = this.place;
    const waiting = new AbortController();
    const timer = env.setTimeout(() => waiting.abort(), timeoutMs);
    let ran = false;
    return env
      .lock!(`returning-ai-widget ${key} ${this.source as string}`, AbortSignal.any([signal, waiting.signal]), () => {
        env.clearTimeout(timer);
        ran = true;
        return obtain();
      })
      .catch((error: unknown) => {
        env.clearTimeout(timer);
        if (ran || signal.aborted) throw error;
        return obtain();
      });
  }

  #settle(flight: Flight): void {
    if (this.#flight === flight) this.#flight = undefined;
  }

  /** A view handed `token` to its widget: fetch the next one shortly before it expires, once for the whole slot. */
  delivered(token: string): void {
    this.#follow(token);
  }

  /** Another tab stored a token in the place, or its binding: one bound to this source renews the slot. */
  heard(): void {
    this.#renew(this.place.read(this.source, true));
  }

  /** `token` is the slot's newest: where this tab runs the timer, it is set to replace it shortly before it expires. */
  #follow(token: string | undefined): void {
    if (token === this.#refreshing) return;
    this.#stopTimer();
    this.#refreshing = token;
    const { env } = this.place;
    const delay = refreshDelay(token!, env.now());
    if (this.#leads && delay < MAX_TIMER_MS) {
      this.#timer = env.setTimeout(() => {
        this.#timer = undefined;
        void this.token(undefined, { reject: token, timeoutMs: this.#timeoutMs }).then((next) => {
          // Nothing renews when a newer token came in meanwhile (another tab's, stored while this one asked a cache
          // for the old one). A logout stops following (and its generation's answers resolve to nothing).
          if (this.#refreshing !== token) return;
          // The same token back: a backend cache whose clock runs behind this one's still serves it. Asked again when a
          // quarter of the time left remains, while it is fresh; after that the widget's own request at expiry asks.
          if (next === token && isFresh(token!, env.now())) {
            this.#refreshing = undefined;
            this.#follow(token);
          } else this.#renew(next);
        });
      }, delay);
    }
  }

  /** A token the slot has not seen, fresh: the timer moves to it, and the views hear of it (but those it answered). */
  #renew(token: string | undefined, answered?: Set<TokenView>): void {
    if (!token || token === this.#refreshing || !isFresh(token, this.place.env.now())) return;
    this.#follow(token);
    [...this.views].forEach((view) => this.open(view) && !answered?.has(view) && view.renewed?.(token));
  }

  #stopTimer(): void {
    this.place.env.clearTimeout(this.#timer);
    this.#timer = this.#refreshing = undefined;
  }

  /** Aborts the request in flight and stops the timer: the generation ended, or nobody uses the slot any more. */
  end(): void {
    this.#flight?.controller.abort();
    this.#flight = undefined;
    this.#stopTimer();
  }

  /** Whether `view` may be given tokens: no logout has signed it out since it last reopened a place. */
  open(view: TokenView): boolean {
    return !this.place.closed.has(view);
  }

  /** Signs `view` back in (the element's `authenticate()` or `reload()`), and reopens the place to views that join it. */
  reopen(view: TokenView): void {
    this.place.reopen(view);
  }

  /** Stops using the slot; the last view to leave ends its request and timer, and the slot. */
  leave(view: TokenView): void {
    this.views.delete(view);
    this.#flight?.views.delete(view);
    if (this.views.size) return;
    this.end();
    this.#resign();
    this.place.slots.delete(this.source);
  }
}

/** A storage area and key: where a token is kept, and what a logout clears. */
export class TokenPlace {
  /** Replaced by every logout: a request of an earlier generation never stores or delivers its token. */
  generation: object = {};
  readonly slots = new Map<TokenSource, TokenSlot>();
  // The tokens this page obtained, in memory: all there is for the memory kind, for providers (a function has no
  // identity on the next page view) and after web storage failed; and what a source still has when another
  // source's token took its place in storage. Weak for providers, so that apps creating them freely leak nothing.
  #memory = new Map<string, string>();
  #providerMemory = new WeakMap<TokenProvider, string>();
  // False once web storage has failed: memory for the rest of the page's life.
  #persist = true;
  // Signed out on this page: a logout was heard, and no view has reopened the place since.
  #signedOut = false;
  // The generation each view was last part of: one that comes back after a logout it missed is signed out.
  readonly #seen = new WeakMap<TokenView, object>();

  constructor(
    readonly env: Environment,
    readonly kind: StorageKind,
    readonly key: string,
    /** The views a logout signed out, shared by the page's places: a signed-out view stays so in any place. */
    readonly closed = new WeakSet<TokenView>(),
  ) {}

  /** The slot of `source` here, which `view` now uses. */
  join(source: TokenSource, view: TokenView): TokenSlot {
    const slot = this.slots.get(source) ?? new TokenSlot(this, source);
    this.slots.set(source, slot);
    slot.views.add(view);
    // Signed out: one that comes back after a logout it missed, and any view while the place is signed out here.
    const seen = this.#seen.get(view);
    if ((seen && seen !== this.generation) || this.#signedOut) this.closed.add(view);
    this.#seen.set(view, this.generation);
    return slot;
  }

  /** `view` signs back in; views that join from now on are no longer signed out by the last logout. */
  reopen(view: TokenView): void {
    this.closed.delete(view);
    this.#signedOut = false;
  }

  /** The web storage area that keeps the token of `source`: none for the memory kind, providers, or failed storage. */
  #area(source: TokenSource): StorageArea | undefined {
    return this.#persist && typeof source === 'string' ? this.env.storage(this.kind) : undefined;
  }

  /**
   * The token held for `source`, if any: the stored one bound to it, or an unbound one (the vendor snippet's) that is
   * a JWT with an expiry, as the snippet would take it; with `bound`, only one bound to it. A token bound to another
   * source (two endpoints share the key) leaves this page its own, in memory.
   */
  read(source: TokenSource, bound = false): string | undefined {
    const area = this.#area(source);
    if (area) {
      try {
        const token = area.getItem(this.key);
        // Nothing, maybe a logout this page has not heard of yet: no token, not even from memory.
        if (!token) return undefined;
        const owner = boundSource(area, this.key, token);
        if (owner === source) return token;
        // Unbound: anything a page of the site wrote there. The vendor's tokens are JWTs; other values are no token.
        if (!owner) return bound || tokenExpiry(token) === undefined ? undefined : token;
      } catch {
        this.#persist = false;
      }
    }
    if (bound) return undefined;
    return typeof source === 'string' ? this.#memory.get(source) : this.#providerMemory.get(source);
  }

  write(source: TokenSource, token: string): void {
    if (typeof source === 'string') this.#memory.set(source, token);
    else this.#providerMemory.set(source, token);
    const area = this.#area(source);
    if (area) {
      try {
        writeStored(area, this.key, source as string, token);
      } catch {
        this.#persist = false;
        // Full storage still holds the older token, or the new one without its binding: blank it (a smaller value
        // always fits) rather than leave it for the next page view. Not removed: other tabs would take a removal for
        // a logout.
        try {
          area.setItem(this.key, '');
        } catch {
          /* blocked entirely: nothing can read it either */
        }
      }
    }
  }

  /** Ends the generation: aborts every request, stops every timer, forgets every token, tells every view. */
  logout(tell: boolean): void {
    this.generation = {};
    this.#memory = new Map();
    this.#providerMemory = new WeakMap();
    try {
      // Memory has no area: the call throws, and that is caught as a blocked area's error is.
      removeStored(this.env.storage(this.kind)!, this.key);
    } catch {
      /* blocked: nothing was stored */
    }
    this.#signedOut = true;
    const slots = [...this.slots.values()];
    slots.forEach((slot) => slot.end());
    if (tell) this.env.broadcast?.({ type: 'logout', kind: this.kind, key: this.key });
    // Other tabs hear one logout twice (the storage event and the channel): a view signed out already is not told again.
    // The views here heard it: once reopened, they may leave and come back.
    const views = slots.flatMap((slot) => [...slot.views]);
    views.forEach((view) => this.#seen.set(view, this.generation));
    const open = views.filter((view) => !this.closed.has(view));
    open.forEach((view) => this.closed.add(view));
    open.forEach((view) => view.loggedOut());
  }

  /** Another tab stored a token here. */
  changed(): void {
    this.heard();
    [...this.slots.values()].flatMap((slot) => [...slot.views]).forEach((view) => view.changed());
  }

  /** Another tab stored a token or a binding here: the slots read it again. */
  heard(): void {
    [...this.slots.values()].forEach((slot) => slot.heard());
  }
}

/** The page's places. One instance per page, shared by every copy of the library on it. */
export class TokenOwner {
  readonly #places = new Map<string, TokenPlace>();
  readonly #closed = new WeakSet<TokenView>();

  constructor(readonly env: Environment) {}

  /** The place of `kind` storage under `key`. */
  place(kind: StorageKind, key: string): TokenPlace {
    const id = `${kind}:${key}`;
    const place = this.#places.get(id) ?? new TokenPlace(this.env, kind, key, this.#closed);
    this.#places.set(id, place);
    return place;
  }

  /** Signs a place out here, in the other copies on the page, and (unless the news came from there) in other tabs. */
  logout(kind: StorageKind, key: string, tell = true): void {
    this.place(kind, key).logout(tell);
  }

  /** A `storage` event: another tab changed web storage. A removal is a logout; `key` null means the area was cleared. */
  storageChanged(kind: StorageKind, key: string | null, newValue: string | null): void {
    if (key === null) {
      this.#places.forEach((place) => place.kind === kind && place.logout(false));
    } else if (newValue === null) {
      this.logout(kind, key, false);
    } else {
      this.#places.get(`${kind}:${key}`)?.changed();
      // A binding, often arriving after its token: the token's place reads the pair again.
      if (key.endsWith(BINDING_SUFFIX)) this.#places.get(`${kind}:${key.slice(0, -BINDING_SUFFIX.length)}`)?.heard();
    }
  }

  /** A message from another tab or copy. Anything but a well-formed logout is ignored. */
  received(message: unknown): void {
    const { type, kind, key } = (message ?? {}) as Partial<CrossTabMessage>;
    if (type === 'logout' && (kind === 'local' || kind === 'session' || kind === 'memory') && typeof key === 'string') {
      this.logout(kind, key, false);
    }
  }
}
