// Statistics over samples (numbers) and tallies (any values).

const sorted = (xs) => [...xs].sort((a, b) => a - b);

/** Nearest-rank percentile. */
export const pct = (xs, p) => {
  const s = sorted(xs);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
};

export const summary = (xs) => ({
  n: xs.length,
  median: pct(xs, 50),
  p95: pct(xs, 95),
  min: xs.length ? Math.min(...xs) : NaN,
  max: xs.length ? Math.max(...xs) : NaN,
});

/** { [key(x)]: how many } */
export const countBy = (xs, key) => xs.reduce((acc, x) => ({ ...acc, [key(x)]: (acc[key(x)] ?? 0) + 1 }), {});
