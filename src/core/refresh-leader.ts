import type { Environment } from './environment.js';

/**
 * One refresher per shared slot, across tabs: the tab holding the Web Lock `name` runs the slot's refresh-ahead timer,
 * and holds the lock for as long as its slot lives; the other tabs wait in line for it, and take each new token from
 * its storage event. When the slot ends here, or its tab closes, the lock passes to the next tab in line.
 *
 * Why not each tab refreshing under a lock, reading what the previous holder stored: Chromium delivers a localStorage
 * write to other tabs' processes asynchronously, so a tab granted the lock right after another released it can still
 * read the old token, and fetch a second one. No lock orders a write with another tab's read. A store read
 * consistently after the lock (IndexedDB) would, but the token must stay in localStorage, where the vendor's snippet
 * keeps it; and one refresher sends one request per lifetime where N tabs would still take N locks.
 *
 * Calls `lead` once this tab leads: at once where the Web Locks API is missing or refused, and each tab then
 * refreshes on its own. Returns the function that gives the lead up, or stops waiting for it.
 */
export function electRefresher(env: Pick<Environment, 'lock'>, name: string, lead: () => void): () => void {
  const resign = new AbortController();
  const held = new Promise((resolve) => resign.signal.addEventListener('abort', resolve));
  if (env.lock) void env.lock(name, resign.signal, () => (lead(), held)).catch(() => resign.signal.aborted || lead());
  else lead();
  return () => resign.abort();
}
