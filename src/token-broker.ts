import type { AuthError } from './auth-error.js';

type FailureListener = (error: AuthError, retrying: boolean) => void;

interface Flight {
  promise: Promise<string>;
  listeners: Set<FailureListener>;
  controller: AbortController;
}

// One token request at a time per storage slot and token source, shared by every element on the page:
// ten widgets, or a burst of expiry requests, cost one request.
const flights = new Map<string, Flight>();

/**
 * Joins the request in flight for `slot` and `source`, or starts one with `start`. `listener` hears each
 * failed attempt. Returns the token promise and a `leave` function; when the last element leaves, the
 * request is aborted.
 */
export function joinFlight(
  slot: string,
  source: string,
  start: (signal: AbortSignal, report: FailureListener) => Promise<string>,
  listener: FailureListener,
): [Promise<string>, () => void] {
  const key = `${slot}\n${source}`;
  let flight = flights.get(key);
  if (!flight) {
    const controller = new AbortController();
    const listeners = new Set<FailureListener>();
    const started: Flight = {
      controller,
      listeners,
      promise: start(controller.signal, (error, retrying) => {
        // Once it has failed for good, a new caller (say a failure listener calling authenticate()) starts afresh.
        if (!retrying && flights.get(key) === started) flights.delete(key);
        listeners.forEach((hear) => hear(error, retrying));
      }).finally(
        () => flights.get(key) === started && flights.delete(key),
      ),
    };
    flights.set(key, (flight = started));
  }
  const joined = flight;
  joined.listeners.add(listener);
  return [
    joined.promise,
    () => {
      joined.listeners.delete(listener);
      if (!joined.listeners.size && flights.get(key) === joined) {
        flights.delete(key);
        joined.controller.abort();
      }
    },
  ];
}

/** Aborts every request in flight for `slot`, whatever its source: the session it was for has ended. */
export function abortFlights(slot: string): void {
  for (const [key, flight] of flights) {
    if (key.startsWith(`${slot}\n`)) {
      flights.delete(key);
      flight.controller.abort();
    }
  }
}
