/** Where tokens are kept between page views: localStorage, sessionStorage, or this page's memory only. */
export type StorageKind = 'local' | 'session' | 'memory';

/** A web storage area as the token owner uses it. Any call may throw (storage blocked, full, private mode). */
export type StorageArea = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** What other tabs, and other copies of the library on this page, are told. Its shape never changes between versions. */
export interface CrossTabMessage {
  type: 'logout';
  kind: StorageKind;
  key: string;
}

/**
 * Everything the token logic needs from the page: its clock, storage, network, and cross-tab primitives.
 * Injected, so that the logic runs, and is tested, in Node with a fake clock.
 */
export interface Environment {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
  fetch(input: string, init: RequestInit): Promise<Response>;
  /** The web storage area of `kind`; undefined for `memory` or where there is none. Its methods may throw. */
  storage(kind: StorageKind): StorageArea | undefined;
  /** Runs `task` holding the cross-tab lock `name` (the Web Locks API); absent where the API is. */
  lock?<T>(name: string, signal: AbortSignal, task: () => Promise<T>): Promise<T>;
  /** Tells other tabs and copies (a BroadcastChannel); absent where the API is. */
  broadcast?(message: CrossTabMessage): void;
}
