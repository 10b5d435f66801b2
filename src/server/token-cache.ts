/**
 * Where the handler keeps tokens between requests, so that a user's token is fetched once per lifetime rather than
 * once per request. Pass one as the `cache` option to share tokens between server instances (see
 * `redisTokenCache`); every method may return a promise.
 *
 * Keys look like `returning-ai-widget:token:v1:<64 hex digits>`: a SHA-256 of the signin URL (which holds the
 * community id) and the email, never the email itself. Values are bearer tokens: protect the store like a session
 * store.
 */
export interface TokenCache {
  /** The value stored under `key`, or `undefined`/`null` when there is none (or it expired). */
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  /** Stores `value` under `key` for `ttlMs` milliseconds (a positive integer), replacing any previous value. */
  set(key: string, value: string, ttlMs: number): unknown;
  /** Removes `key`, if it is there. */
  delete(key: string): unknown;
}

/** Options of {@link MemoryTokenCache}. */
export interface MemoryTokenCacheOptions {
  /** The most tokens kept; beyond it the least recently used one is dropped. Default 10,000 (a few MB). */
  maxEntries?: number;
}

/**
 * The default {@link TokenCache}: a map in this process, bounded in entries, each entry dropped once its TTL has
 * passed. Instances of a server do not share it; use a shared store for that.
 */
export class MemoryTokenCache implements TokenCache {
  /** The most tokens kept. */
  readonly maxEntries: number;
  // A Map iterates in insertion order: re-inserting on every read keeps the least recently used first.
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();

  /**
   * @param options - see {@link MemoryTokenCacheOptions}
   * @throws {TypeError} when `maxEntries` is not a positive integer
   */
  constructor(options: MemoryTokenCacheOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('MemoryTokenCache: "maxEntries" must be a positive integer');
    this.maxEntries = maxEntries;
  }

  /** @inheritDoc */
  get(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= Date.now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** @inheritDoc */
  set(key: string, value: string, ttlMs: number): void {
    this.#entries.delete(key);
    if (!(ttlMs > 0)) return;
    this.#entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
    }
  }

  /** @inheritDoc */
  delete(key: string): void {
    this.#entries.delete(key);
  }
}
