import type { StorageArea } from './environment.js';

/**
 * The storage layout, shared with the vendor's snippet so that a site can move to the element page by page: the raw
 * token under the key, as the snippet keeps it (its pages hand our tokens to their widgets, and we can take theirs),
 * and beside it, under `<key>.source`, the binding: the token's last 16 characters, a space, and the source that
 * obtained it. A binding counts only for the token it was written with. Another tab sees the two writes one after the
 * other (the token first), and the snippet replaces the token without touching the binding: in both cases the token
 * under the key is unbound, as the snippet's are, and an old binding never lends its source to a new token.
 */
export const BINDING_SUFFIX = '.source';

const tail = (token: string) => `${token.slice(-16)} `;

/** The source `token`, stored under `key`, is bound to; undefined when it is unbound. Storage calls may throw. */
export function boundSource(area: StorageArea, key: string, token: string): string | undefined {
  const binding = area.getItem(key + BINDING_SUFFIX);
  return binding?.startsWith(tail(token)) ? binding.slice(tail(token).length) : undefined;
}

/** Stores `token` bound to `source`: the token first, so that a tab reading in between takes the new token, unbound. */
export function writeStored(area: StorageArea, key: string, source: string, token: string): void {
  area.setItem(key, token);
  area.setItem(key + BINDING_SUFFIX, tail(token) + source);
}

/** Removes the token, then its binding: other tabs take the token's removal for a logout. */
export function removeStored(area: StorageArea, key: string): void {
  area.removeItem(key);
  area.removeItem(key + BINDING_SUFFIX);
}
