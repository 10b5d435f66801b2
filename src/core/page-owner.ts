import type { Environment, StorageKind } from './environment.js';
import { TokenOwner } from './token-owner.js';

// Every copy of the library on the page (a CDN file next to an npm build) must reach the same owner, or a logout from
// one copy would leave the other's requests running. The key is versioned: a copy with another owner interface makes
// its own, and the copies still hear each other's logouts over the BroadcastChannel, whose message never changes.
const OWNER = Symbol.for('returning-ai-widget.token-owner.v2');
const CHANNEL = 'returning-ai-widget';

/** The page's real clock, storage, network, Web Locks and BroadcastChannel. */
function pageEnvironment(channel: BroadcastChannel | undefined): Environment {
  return {
    now: () => Date.now(),
    setTimeout: (run, ms) => setTimeout(run, ms),
    clearTimeout: (timer) => clearTimeout(timer as number),
    fetch: (input, init) => fetch(input, init),
    storage: (kind) => {
      try {
        return kind === 'memory' ? undefined : globalThis[`${kind}Storage`];
      } catch {
        return undefined; // the getter throws where storage is blocked
      }
    },
    // Where the Web Locks API is missing, each tab refreshes on its own.
    ...(globalThis.navigator?.locks && {
      lock: (name, signal, task) => navigator.locks.request(name, { signal }, task),
    }),
    ...(channel && { broadcast: (message) => channel.postMessage(message) }),
  };
}

/** Which web storage kind `area` is, if either. Reading `localStorage` throws where storage is blocked. */
function kindOf(area: Storage | null): StorageKind | undefined {
  try {
    return area === localStorage ? 'local' : area === sessionStorage ? 'session' : undefined;
  } catch {
    return undefined;
  }
}

/** The page's token owner, created by the first copy of the library that loads; it hears other tabs from then on. */
export function pageOwner(): TokenOwner {
  const registry = globalThis as { [OWNER]?: TokenOwner };
  if (!registry[OWNER]) {
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : undefined;
    const owner = (registry[OWNER] = new TokenOwner(pageEnvironment(channel)));
    if (channel) channel.onmessage = (event) => owner.received(event.data);
    addEventListener('storage', (event) => {
      const kind = kindOf(event.storageArea);
      if (kind) owner.storageChanged(kind, event.key, event.newValue);
    });
  }
  return registry[OWNER];
}

// Created as the library loads, not when a widget first needs it: a page of the site that loads the library without a
// widget (yet) must hear another tab's logout too, or a widget mounted on it later would be handed the signed-out
// user's session token. Not where there is no page (server-side rendering imports the library in Node).
if (typeof document === 'object') pageOwner();
