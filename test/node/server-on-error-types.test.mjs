// The `onError` of every backend example in the README and docs/ is type-checked under strict TypeScript: each such
// line is, verbatim, in test/backend/on-error-types.ts, which `npm run lint` checks (tsc, strict). With `error`
// typed `unknown`, their `error.code` and `error.upstreamStatus` failed there (TS18046), as in a user's `next build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TYPED = 'test/backend/on-error-types.ts';

/** The trimmed lines of `file` that pass an `onError` option. */
const onErrorLines = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('onError:'));

test('every onError the README and docs show is type-checked under strict', () => {
  const markdown = ['README.md', ...readdirSync('docs', { recursive: true }).filter((name) => name.endsWith('.md')).map((name) => join('docs', name))];
  const shown = markdown.flatMap((file) => onErrorLines(file).map((line) => ({ file, line })));
  assert.ok(shown.length >= 3, `expected the README's, backend.md's and frameworks.md's, found ${shown.length}`);
  const typed = new Set(onErrorLines(TYPED));
  for (const { file, line } of shown) assert.ok(typed.has(line), `${file}: \`${line}\` is not in ${TYPED}`);
});
