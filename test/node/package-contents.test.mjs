// What `npm pack` puts in the tarball: the build, the TypeScript sources its source maps point to, the manifest,
// README and package.json, and nothing else (no tests, demo, bench, scripts or configs).
// Needs `npm run build` first. Scripts are skipped: `prepack` would rebuild dist/ under the other tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const [pack] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const packed = pack.files.map((file) => file.path).sort();
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** Every file under `dir`, as paths relative to the package root. */
const walk = (dir) => readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath ?? entry.path, entry.name));

test('the tarball holds exactly the build, its sources, the manifest, README and package.json', () => {
  assert.ok(existsSync('dist/index.js'), 'dist/ is missing: run `npm run build` first');
  const sources = walk('src').filter((file) => file.endsWith('.ts'));
  const built = sources.flatMap((file) => {
    const base = file.replace(/^src\//, 'dist/').replace(/\.ts$/, '');
    return [`${base}.js`, `${base}.js.map`, `${base}.d.ts`, `${base}.d.ts.map`];
  });
  const cdn = ['returning-ai-widget.js', 'returning-ai-widget.iife.js'].flatMap((file) => [`dist/cdn/${file}`, `dist/cdn/${file}.map`]);
  const license = existsSync('LICENSE') ? ['LICENSE'] : [];
  const expected = ['README.md', 'package.json', 'custom-elements.json', ...license, ...sources, ...built, ...cdn].sort();
  assert.deepEqual(packed, expected);
  console.log(`npm pack: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(1)} kB packed, ${(pack.unpackedSize / 1024).toFixed(1)} kB unpacked`);
});

test('nothing from tests, the demo, benchmarks, scripts or tool configs is packed', () => {
  const unwanted = packed.filter((file) => /^(test|demo|bench|scripts|node_modules|\.ci|coverage)\/|\.config\.|^tsconfig|\.tgz$|^\./.test(file));
  assert.deepEqual(unwanted, []);
});

test('every file package.json points at is packed', () => {
  const targets = [pkg.main, pkg.module, pkg.types, pkg.unpkg, pkg.jsdelivr, pkg.customElements];
  for (const entry of Object.values(pkg.exports)) targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
  for (const target of targets) {
    // A subpath pattern (./dist/cdn/*) must match packed files.
    const [prefix, suffix] = normalize(target).split('*');
    const matches = packed.filter((file) => (suffix === undefined ? file === prefix : file.startsWith(prefix) && file.endsWith(suffix)));
    assert.ok(matches.length > 0, `${target} is not in the tarball`);
  }
});

test('the source maps and declaration maps point only at packed files', () => {
  for (const map of packed.filter((file) => file.endsWith('.map') && !file.startsWith('dist/cdn/'))) {
    for (const source of JSON.parse(readFileSync(map, 'utf8')).sources) {
      assert.ok(packed.includes(normalize(join(dirname(map), source))), `${map} points at ${source}, which is not packed`);
    }
  }
  // The CDN maps carry their sources inline, so they need no files beside them.
  for (const map of ['dist/cdn/returning-ai-widget.js.map', 'dist/cdn/returning-ai-widget.iife.js.map']) {
    const { sources, sourcesContent } = JSON.parse(readFileSync(map, 'utf8'));
    assert.equal(sourcesContent?.length, sources.length, `${map} lacks inline sources`);
  }
});
