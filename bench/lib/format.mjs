// How figures read in the table: units, verdicts, and the table itself.

export const ms = (x) => (Number.isFinite(x) ? (x < 10 ? `${x.toFixed(2)} ms` : `${Math.round(x)} ms`) : 'n/a');
export const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
export const kbDelta = (bytes) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024).toFixed(1)} KB`;
export const pass = (ok) => (ok ? 'PASS' : 'FAIL');

/** "valid 4/4, null 0/4" from a tally. */
export const statusList = (counts, n) =>
  Object.entries(counts)
    .map(([status, count]) => `${status} ${count}/${n}`)
    .join(', ');

/** A table row, the shape every figure's rows() returns. */
export const row = (figure, ours, reference, target, verdict) => ({ figure, ours, reference, target, verdict });

const COLUMNS = [
  ['figure', 'Figure'],
  ['ours', '<returning-ai-widget>'],
  ['reference', 'Reference / baseline (same run)'],
  ['target', 'Target'],
  ['verdict', 'Verdict'],
];

/** The rows as a Markdown table, columns padded to line up in a terminal. */
export function formatTable(rows) {
  const width = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((r) => String(r[key]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(width[i])).join(' | ')} |`;
  return [
    line(COLUMNS.map(([, title]) => title)),
    `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map((r) => line(COLUMNS.map(([key]) => r[key]))),
  ].join('\n');
}
