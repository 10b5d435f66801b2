// Progress lines on stderr, stamped with the time since the bench started (stdout is for the table).

const started = performance.now();

/** Milliseconds since the bench started. */
export const elapsedMs = () => performance.now() - started;

export const log = (message) => console.error(`[bench ${(elapsedMs() / 1000).toFixed(1)} s] ${message}`);
