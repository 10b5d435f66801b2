/** Where the element keeps the token between page views. */
export type StorageKind = 'local' | 'session' | 'memory';

/** A token slot in one storage area. */
export interface TokenStore {
  read(): string | null;
  write(token: string): void;
  remove(): void;
}

// Shared by every element on the page, so widgets that share a slot share a token.
const memory = new Map<string, string>();
// Slots whose web storage threw once (blocked, quota, private mode): they live in memory from then on.
const broken = new Set<string>();

/**
 * Opens the slot `key` of `kind` storage. Web storage that throws falls back to memory for the
 * rest of the page's life, so a blocked or full storage never loses the token or throws.
 */
export function openTokenStore(kind: StorageKind, key: string): TokenStore {
  const slot = `${kind}:${key}`;
  // `memoryStorage` does not exist, so the memory kind takes the fallback path from its first use.
  const area = () => (globalThis as unknown as Record<string, Storage>)[`${kind}Storage`]!;
  return {
    read() {
      if (!broken.has(slot)) {
        try {
          return area().getItem(key);
        } catch {
          broken.add(slot);
        }
      }
      return memory.get(slot) ?? null;
    },
    write(token) {
      if (!broken.has(slot)) {
        try {
          area().setItem(key, token);
          return;
        } catch {
          broken.add(slot);
          // A full storage may still hold an older token: never leave a stale one behind.
          try {
            area().removeItem(key);
          } catch {
            /* blocked entirely */
          }
        }
      }
      memory.set(slot, token);
    },
    remove() {
      memory.delete(slot);
      try {
        area().removeItem(key);
      } catch {
        /* memory kind, or blocked */
      }
    },
  };
}
