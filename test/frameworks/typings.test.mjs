// The opt-in framework typings, checked against the real framework types: `tsc` over the React apps and the
// fixtures types/react*.tsx (JSX props, the component's props, deliberate @ts-expect-error misuses); `vue-tsc`
// over the Vue app and types/VueProps.vue (templates, @vue-expect-error misuses).
// The fixtures import `returning-ai-widget/react` and `/vue` by name: dist/ must be built.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs a TypeScript checker; a failure shows its diagnostics. */
async function check(bin, project) {
  assert.ok(existsSync('dist/frameworks/react.d.ts'), 'dist/ is missing: run `npm run build` first');
  try {
    await run(process.execPath, [bin, '--noEmit', '-p', project], { timeout: 90_000 });
  } catch (error) {
    assert.fail(`${project} does not type-check:\n${error.stdout}${error.stderr}`);
  }
}

describe('framework typings', { concurrency: true, timeout: 120_000 }, () => {
  test('React 19 JSX and the React component (tsc)', () => check('node_modules/typescript/bin/tsc', 'test/frameworks/tsconfig.json'));
  test('Vue 3 templates (vue-tsc)', () => check('node_modules/vue-tsc/bin/vue-tsc.js', 'test/frameworks/tsconfig.vue.json'));
});
