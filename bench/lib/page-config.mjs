// Building blocks of a bench page's cfg (see renderPage in bench/servers.mjs): auth endpoint URLs counted per run,
// widget base URLs that set the fake widget's behaviour, and a stored token that outlives the bench.
import { mintToken } from '../servers.mjs';

let runSerial = 0;
/** A fresh id for the auth endpoint's counters, unique in this bench run. */
export const runId = (name) => `${name}-${++runSerial}-${Date.now().toString(36)}`;

/** The auth endpoint for one run: answers after `delay` ms with a `kind` token living `ttl` ms. */
export const authUrl = (run, { delay = 0, kind = 'jwt', ttl = 3_600_000 } = {}) =>
  `/auth?run=${run}&delay=${delay}&kind=${kind}&ttl=${ttl}`;

/** The widget origin's base URL; segments such as `delay-300` and `mode-expiry` set the bench widget's behaviour. */
export const widgetBase = (servers, ...segments) => `${servers.widgetOrigin}/${segments.join('/')}`;

/** A JWT valid for an hour: seeded in storage, the element answers from it without a fetch. */
export const longLivedToken = () => mintToken('jwt', 3_600_000, 0);
