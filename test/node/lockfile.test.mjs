// The committed lockfile must install the same tree on every machine: `npm ci` (what CI runs) refuses a lockfile
// that disagrees with package.json, and a lockfile that lacks a platform's optional binary (rollup's, esbuild's)
// leaves contributors on that platform without it. Both drifts are caught here, before CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta'];

/** Whether `version` satisfies `^major.minor.patch` (for major >= 1: the same major, and not older). */
function inCaretRange(version, range) {
  const [want, have] = [range.slice(1), version].map((text) => text.split('.').map(Number));
  return want[0] >= 1 && have[0] === want[0] && (have[1] > want[1] || (have[1] === want[1] && have[2] >= want[2]));
}

test('the lockfile records exactly the dependencies package.json declares', () => {
  assert.equal(lock.lockfileVersion, 3);
  const root = lock.packages[''];
  for (const field of FIELDS) assert.deepEqual(root[field] ?? {}, pkg[field] ?? {}, `${field} of package.json and package-lock.json`);
  for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
    const installed = lock.packages[`node_modules/${name}`];
    assert.ok(installed, `${name} is in the lockfile`);
    // An alias (`"react-18": "npm:react@18.3.1"`) pins the version of the package it names.
    const [, real = name, version = range] = /^npm:(.+)@([^@]+)$/.exec(range) ?? [];
    assert.equal(installed.name ?? name, real, `${name} is an alias of ${real}`);
    if (name in (pkg.dependencies ?? {}) && version.startsWith('^')) {
      // A runtime dependency (lit) is a caret range, so that an app and the element share one copy; the lockfile
      // must hold a version in it.
      assert.ok(inCaretRange(installed.version, version), `${name}: the lockfile's ${installed.version} is not in ${version}`);
    } else {
      // Every other dependency is pinned to an exact version, so the lockfile and package.json cannot disagree on it.
      assert.equal(installed.version, version, `${name}: package.json pins ${version}, the lockfile has ${installed.version}`);
    }
  }
});

test("every package's optional dependencies are in the lockfile, for every platform", () => {
  const missing = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      // npm places a dependency beside its dependent or in any node_modules above it.
      const candidates = [];
      for (let dir = path; ; dir = dir.slice(0, dir.lastIndexOf('/node_modules/'))) {
        candidates.push(`${dir ? `${dir}/` : ''}node_modules/${name}`);
        if (!dir.includes('/node_modules/')) {
          candidates.push(`node_modules/${name}`);
          break;
        }
      }
      if (!candidates.some((candidate) => lock.packages[candidate])) missing.push(`${name} (wanted by ${path || 'the root'})`);
    }
  }
  assert.deepEqual(missing, [], 'optional packages missing from package-lock.json: run `npm install` on a fresh clone and commit the lockfile');
});

test('install scripts are decided, not left to a notice', () => {
  const decided = new Set(Object.keys(pkg.allowScripts ?? {}).map((entry) => entry.replace(/(.)@[^@]*$/, '$1')));
  const undecided = Object.entries(lock.packages)
    .filter(([path, entry]) => path && entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .filter((name) => !decided.has(name));
  assert.deepEqual([...new Set(undecided)], [], 'packages with install scripts missing from allowScripts in package.json');
});
