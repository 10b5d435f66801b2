import type { StorageArea } from './environment.js';

/**
 * The storage layout, shared with the vendor's snippet so that a site can move to the element page by page: the raw
 * token under the key, as the snippet keeps it (its pages hand our tokens to their widgets, and we can take theirs),
 * and beside it, under `<key>.source`, the binding: the source that obtained the token and the token's last 16
 * characters. A binding counts only for the token it was written with. Another tab sees the two writes one after
 * the other (the token first), and the snippet replaces the token without touching the binding: in both cases the
 * token under the key is unbound, as the snippet's are, and an old binding never lends its source to a new token.
 */
export interface StoredToken {
  token: string;
  /** The source that obtained it; undefined for an unbound token. */
  source?: string;
}

export const BINDING_SUFFIX = '.source';

const bindingKey = (key: string) => key + BINDING_SUFFIX;

const tail = (token: string) => token.slice(-16);

/** What `area` holds under `key`: undefined when nothing (or an emptied value) is there. Storage calls may throw. */
export function readStored(area: StorageArea, key: string): StoredToken | undefined {
  const token = area.getItem(key);
  if (!token) return undefined;
  let binding;
  try {
    binding = JSON.parse(area.getItem(bindingKey(key))!) as { source?: unknown; tail?: unknown } | null;
  } catch {
    /* not JSON: no binding */
  }
  const source = binding?.tail === tail(token) ? binding.source : undefined;
  return { token, ...(typeof source === 'string' && { source }) };
}

/** Stores `token` bound to `source`: the token first, so that a tab reading in between takes the new token, unbound. */
export function writeStored(area: StorageArea, key: string, source: string, token: string): void {
  area.setItem(key, token);
  area.setItem(bindingKey(key), JSON.stringify({ source, tail: tail(token) }));
}

/** Removes the token, then its binding: other tabs take the token's removal for a logout. */
export function removeStored(area: StorageArea, key: string): void {
  area.removeItem(key);
  area.removeItem(bindingKey(key));
}
