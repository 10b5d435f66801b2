// The package as its consumers get it: `npm pack` once, then
// - @arethetypeswrong/cli (attw) over every subpath of `exports`: each resolves to type declarations under
//   TypeScript's node16 resolution from ESM and from CommonJS, and under bundler resolution;
// - publint, strict, over the unpacked tarball;
// - a consumer that installs the tarball: Node require()s every JavaScript entry, and tsc type-checks a strict
//   consumer (test/package/consumer/) with bundler resolution and with `module: node20`, CommonJS included.
// attw and publint find new entries in `exports` by themselves: an entry added later (say `./ssr`) is checked
// without a change here. Needs `npm run build` first (packing skips `prepack`, which would rebuild dist/).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const ATTW = join(resolve('node_modules/@arethetypeswrong/cli'), require('@arethetypeswrong/cli/package.json').bin.attw);
const TSC = resolve('node_modules/typescript/bin/tsc');

/** The subpaths of `exports` that are modules (not JSON files, not file patterns): each must have types. */
const moduleEntries = Object.keys(pkg.exports).filter((subpath) => !subpath.endsWith('.json') && !subpath.includes('*'));

/**
 * Problems attw reports that are accepted, each for a stated reason. Anything else fails the test.
 *
 * - `node10`, for the subpaths: TypeScript's `moduleResolution: node10` (`node`) predates `exports` and cannot see
 *   subpaths; TypeScript 6 deprecates it. The docs ask for `bundler`, `node16` or `nodenext`. The main entry must
 *   still resolve there (through `types`), and does.
 * - `CJSResolvesToESM` for `node16-cjs`: the package is ESM only. attw models TypeScript's `module: node16`, where a
 *   `require()` of an ES module is an error. Node >= 20.19 (the package's `engines`) loads ES modules with
 *   `require()`, and TypeScript allows it under `module: node20` and `nodenext`: the consumer below proves both.
 *   Shipping CommonJS copies instead would put two copies of the element and its token owner in one app.
 */
const accepted = (problem) =>
  (problem.resolutionKind === 'node10' && problem.entrypoint !== '.') || (problem.kind === 'CJSResolvesToESM' && problem.resolutionKind === 'node16-cjs');

describe('the packed package', { timeout: 180_000 }, () => {
  let scratch;
  let tarball;
  let installed;
  let consumer;

  before(async () => {
    assert.ok(existsSync('dist/index.js'), 'dist/ is missing: run `npm run build` first');
    // Under the repository's node_modules, so that the consumer finds react, @types/react and @lit/react above it.
    mkdirSync('node_modules/.cache', { recursive: true });
    scratch = mkdtempSync(resolve('node_modules/.cache/rai-package-'));
    const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { timeout: 60_000 });
    tarball = join(scratch, JSON.parse(stdout)[0].filename);
    consumer = join(scratch, 'consumer');
    cpSync('test/package/consumer', consumer, { recursive: true });
    mkdirSync(join(consumer, 'node_modules'));
    await run('tar', ['-xzf', tarball, '-C', join(consumer, 'node_modules')], { timeout: 30_000 });
    installed = join(consumer, 'node_modules/returning-ai-widget');
    renameSync(join(consumer, 'node_modules/package'), installed);
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('attw: every entry resolves to its types for node16 (ESM and CJS) and bundlers; no problem beyond the two explained', async () => {
    // attw exits 1 when it finds any problem, the accepted ones included: its JSON report decides here.
    const { stdout } = await run(process.execPath, [ATTW, tarball, '--format', 'json'], { timeout: 120_000, maxBuffer: 64 << 20 }).catch((error) => error);
    const { analysis } = JSON.parse(stdout);
    assert.deepEqual(Object.keys(analysis.entrypoints).sort(), Object.keys(pkg.exports).sort(), 'attw checked every subpath of exports');

    const untyped = [];
    for (const subpath of moduleEntries) {
      for (const kind of ['node16-esm', 'node16-cjs', 'bundler']) {
        const { resolution } = analysis.entrypoints[subpath].resolutions[kind];
        if (!resolution?.isTypeScript) untyped.push(`${subpath} (${kind}): ${resolution?.fileName ?? 'no resolution'}`);
      }
    }
    assert.deepEqual(untyped, [], 'entries without type declarations');
    // The file patterns attw skips: only the CDN's browser bundles, served as files, never imported for their types.
    const patterns = Object.entries(pkg.exports).filter(([subpath]) => subpath.includes('*'));
    assert.deepEqual(patterns, [['./cdn/*', './dist/cdn/*']]);

    const problems = analysis.problems.filter((problem) => !accepted(problem));
    assert.deepEqual(problems, [], 'attw problems');
    const counted = analysis.problems.filter(accepted).length;
    console.log(`attw: ${moduleEntries.length} typed entries; ${counted} accepted findings (node10 subpaths, ESM-only for node16 CJS)`);
  });

  test('publint (strict): no error, warning or suggestion', async () => {
    const { messages, pkg: linted } = await publint({ pkgDir: installed, pack: false, level: 'suggestion', strict: true });
    assert.deepEqual(
      messages.map((message) => `${message.type}: ${formatMessage(message, linted, { color: false })}`),
      [],
    );
  });

  test('Node require()s every JavaScript entry of the installed package (CommonJS consumers, Node >= 20.19)', async () => {
    const specifiers = moduleEntries.map((subpath) => `returning-ai-widget${subpath.slice(1)}`);
    const probe = `for (const id of ${JSON.stringify(specifiers)}) console.log(id, require.resolve(id), Object.keys(require(id)).length);`;
    const { stdout } = await run(process.execPath, ['--no-warnings', '-e', probe], { cwd: consumer, timeout: 30_000 });
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, specifiers.length);
    for (const line of lines) assert.ok(line.split(' ')[1].startsWith(installed), `resolved inside the installed package: ${line}`);
  });

  for (const config of ['tsconfig.bundler.json', 'tsconfig.node.json']) {
    test(`a strict TypeScript consumer type-checks (${config}): slots as children, onStatusChange, onError`, async () => {
      try {
        await run(process.execPath, [TSC, '-p', join(consumer, config)], { cwd: consumer, timeout: 90_000 });
      } catch (error) {
        assert.fail(`the consumer does not type-check against the packed package:\n${error.stdout}${error.stderr}`);
      }
    });
  }
});
