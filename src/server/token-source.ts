import type { TokenCache } from './token-cache.js';
import { reusableUntil } from '../core/jwt.js';
import { fetchSigninToken, MAX_TOKEN_LENGTH, type SigninSettings } from './upstream.js';
import { ForgottenSince } from './forgotten-since.js';

/** A store slower than this is treated as failed: a cache must not make sign-in slower than having none. */
const CACHE_TIMEOUT_MS = 1_000;
/** Namespaces the keys in a store shared with other data; `v1` changes if the key derivation ever does. */
const KEY_PREFIX = 'returning-ai-widget:token:v1:';
/** Keys already derived, so a returning user costs no hashing; emptied when full, which is rare and cheap. */
const MAX_REMEMBERED_KEYS = 10_000;

/** Options of {@link TokenSource} beyond its settings and store. */
export interface TokenSourceOptions {
  /** The most users whose store key is remembered (a SHA-256 each, worth sparing). Default 10,000. */
  maxRememberedKeys?: number;
}

/** Called with what a store threw (or a timeout error); the request goes on without the cache. */
export type CacheFailureListener = (cause: unknown) => void;

/**
 * Hands out widget tokens with at most one upstream call per user at a time, and, with a cache, at most one per
 * token lifetime: a token with a known expiry is stored until the element's margin before it expires.
 */
export class TokenSource {
  readonly #settings: SigninSettings;
  readonly #cache: TokenCache | undefined;
  /** Each user's upstream call in progress, which every concurrent request of that user awaits; by email, in memory. */
  readonly #flights = new Map<string, Promise<string>>();
  readonly #keys = new Map<string, string>();
  readonly #maxRememberedKeys: number;
  readonly #forgotten = new ForgottenSince();

  /**
   * @param settings - how to reach the signin API
   * @param cache - where tokens are kept between requests; undefined keeps none
   * @param options - see {@link TokenSourceOptions}
   */
  constructor(settings: SigninSettings, cache: TokenCache | undefined, options: TokenSourceOptions = {}) {
    this.#settings = settings;
    this.#cache = cache;
    this.#maxRememberedKeys = options.maxRememberedKeys ?? MAX_REMEMBERED_KEYS;
  }

  /**
   * Follows a request while `work` answers it, so that a {@link TokenSource.forget} meanwhile reaches it; start it
   * before the request reads the session, and pass what `work` gets to {@link TokenSource.tokenFor}.
   */
  follow<T>(work: (forgotten: ReadonlySet<string>) => Promise<T>): Promise<T> {
    return this.#forgotten.follow(work);
  }

  /**
   * A token for `email`: a stored one that is still reusable, else the result of the user's call in progress,
   * else of a new call. A request whose user was forgotten since it began gets a call of its own, neither stored
   * nor shared.
   *
   * @param forgotten - the emails forgotten since this request began (see {@link TokenSource.follow})
   * @param cacheFailed - told about store failures, which do not fail the request
   * @throws {WidgetAuthError} when the upstream call fails
   */
  async tokenFor(email: string, forgotten: ReadonlySet<string>, cacheFailed: CacheFailureListener): Promise<string> {
    const key = await this.#keyFor(email);
    if (this.#cache) {
      try {
        const stored = await bounded(this.#cache.get(key));
        if (isReusable(stored)) return stored;
      } catch (error) {
        cacheFailed(error);
      }
    }
    // This request may come from the session that just ended: what it gets must not reach the next sign-in.
    if (forgotten.has(email)) return fetchSigninToken(this.#settings, email);
    let flight = this.#flights.get(email);
    if (!flight) {
      const started = this.#fetchAndStore(key, email, forgotten, cacheFailed);
      const land = (): void => {
        if (this.#flights.get(email) === started) this.#flights.delete(email);
      };
      started.then(land, land);
      this.#flights.set(email, (flight = started));
    }
    return flight;
  }

  /**
   * Drops the stored token of `email`. The requests in progress learn of it at once: a call in progress for that user
   * hands its token to the requests already waiting but does not store it, and no later request joins it; a request
   * still reading the session gets a token of its own. The next request of that user calls upstream.
   *
   * @throws what the store's `delete` throws, so the caller knows the token may still be there
   */
  async forget(email: string): Promise<void> {
    // Before the first await, so nothing can start or join a call for this user in between.
    this.#forgotten.forget(email);
    this.#flights.delete(email);
    if (this.#cache) await bounded(this.#cache.delete(await this.#keyFor(email)));
  }

  async #fetchAndStore(key: string, email: string, forgotten: ReadonlySet<string>, cacheFailed: CacheFailureListener): Promise<string> {
    const token = await fetchSigninToken(this.#settings, email);
    // A token without a known expiry gets no positive TTL, so it is never stored: nothing would say when to stop
    // handing it out. Nor is one whose user was forgotten during the call (its request learns of it, see `forget`).
    const ttlMs = Math.floor((reusableUntil(token) ?? 0) - Date.now());
    if (this.#cache && ttlMs > 0 && !forgotten.has(email)) {
      try {
        // Awaited, so a request arriving just after this one finds the token stored.
        await bounded(this.#cache.set(key, token, ttlMs));
      } catch (error) {
        cacheFailed(error);
      }
    }
    return token;
  }

  /** The store key of a user: never the email itself, and different for every signin URL (so community). */
  async #keyFor(email: string): Promise<string> {
    const remembered = this.#keys.get(email);
    if (remembered !== undefined) return remembered;
    const data = new TextEncoder().encode(`${this.#settings.signinUrl}\n${email}`);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
    const key = KEY_PREFIX + Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
    if (this.#keys.size >= this.#maxRememberedKeys) this.#keys.clear();
    this.#keys.set(email, key);
    return key;
  }
}

/** Whether a value from a store is a token to hand out now (a store may ignore TTLs, or hold junk). */
function isReusable(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TOKEN_LENGTH && (reusableUntil(value) ?? 0) > Date.now();
}

/** Awaits a store's answer (a value or a promise) for at most {@link CACHE_TIMEOUT_MS}. */
async function bounded<T>(answer: T | Promise<T>): Promise<T> {
  // A synchronous store (the default one) needs no timer.
  if (typeof (answer as { then?: unknown } | null | undefined)?.then !== 'function') return answer as T;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the token cache did not answer within ${CACHE_TIMEOUT_MS} ms`)), CACHE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
