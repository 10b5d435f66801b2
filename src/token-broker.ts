import type { AuthError } from './auth-error.js';
import type { TokenSource } from './token-fetch.js';

type FailureListener = (error: AuthError, retrying: boolean) => void;

interface Flight {
  promise: Promise<string>;
  listeners: Set<FailureListener>;
  controller: AbortController;
}

// One token request at a time per storage slot and token source (an endpoint URL or a provider function),
// shared by every element on the page: ten widgets, or a burst of expiry requests, cost one request.
const flights = new Map<string, Map<TokenSource, Flight>>();

/**
 * Joins the request in flight for `slot` and `source`, or starts one with `start`. `listener` hears each
 * failed attempt. Returns the token promise and a `leave` function; when the last element leaves, the
 * request is aborted.
 */
export function joinFlight(
  slot: string,
  source: TokenSource,
  start: (signal: AbortSignal, report: FailureListener) => Promise<string>,
  listener: FailureListener,
): [Promise<string>, () => void] {
  const ofSlot = flights.get(slot) ?? flights.set(slot, new Map()).get(slot)!;
  let flight = ofSlot.get(source);
  if (!flight) {
    const controller = new AbortController();
    const listeners = new Set<FailureListener>();
    const started: Flight = {
      controller,
      listeners,
      promise: start(controller.signal, (error, retrying) => {
        // Once it has failed for good, a new caller (say a failure listener calling authenticate()) starts afresh.
        if (!retrying) forget(ofSlot, source, started);
        listeners.forEach((hear) => hear(error, retrying));
      }).finally(() => forget(ofSlot, source, started)),
    };
    ofSlot.set(source, (flight = started));
  }
  const joined = flight;
  joined.listeners.add(listener);
  return [
    joined.promise,
    () => {
      joined.listeners.delete(listener);
      if (!joined.listeners.size && forget(ofSlot, source, joined)) joined.controller.abort();
    },
  ];
}

/** Removes `flight` if it is still the one in flight; tells whether it was. */
const forget = (ofSlot: Map<TokenSource, Flight>, source: TokenSource, flight: Flight) =>
  ofSlot.get(source) === flight && ofSlot.delete(source);

/** Aborts every request in flight for `slot`, whatever its source: the session it was for has ended. */
export function abortFlights(slot: string): void {
  flights.get(slot)?.forEach((flight) => flight.controller.abort());
  flights.delete(slot);
}
