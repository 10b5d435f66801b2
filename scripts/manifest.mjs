// `npm run analyze` (part of the build): regenerates the Custom Elements Manifest from src/ and its JSDoc
// (config: custom-elements-manifest.config.mjs). Locally it rewrites custom-elements.json when it changed.
// Under CI (CI set) it never writes: a committed manifest that differs from the source fails the run.
//   node scripts/manifest.mjs [path]   (path defaults to custom-elements.json; the tests pass a copy)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cli } from '@custom-elements-manifest/analyzer/cli.js';

const isCI = () => !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

/** The manifest the analyzer generates from src/ now, serialized as it writes it. */
export async function generateManifest() {
  // noWrite: the analyzer returns the manifest instead of writing it (or touching package.json).
  const manifest = await cli({ argv: ['analyze', '--quiet'], cwd: process.cwd(), noWrite: true });
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The first line where two texts differ, for the error message. */
function firstDifference(committed, fresh) {
  const [a, b] = [committed.split('\n'), fresh.split('\n')];
  const line = a.findIndex((text, index) => text !== b[index]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(a[at] ?? '(end of file)')}, generated ${JSON.stringify(b[at] ?? '(end of file)')}`;
}

/** Checks (under CI) or rewrites (locally) the manifest at `file`; returns 'fresh' or 'written', or throws. */
export async function updateManifest(file = 'custom-elements.json', { check = isCI() } = {}) {
  const fresh = await generateManifest();
  const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (committed === fresh) return 'fresh';
  if (check) {
    throw new Error(
      `${file} is stale: it differs from the manifest generated from src/ (${committed ? firstDifference(committed, fresh) : 'missing'}).\n` +
        'Run `npm run build` (or `npm run analyze`) locally and commit custom-elements.json.',
    );
  }
  writeFileSync(file, fresh);
  return 'written';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const file = process.argv[2] ?? 'custom-elements.json';
    const result = await updateManifest(file);
    console.log(`custom-elements.json: ${result === 'fresh' ? 'up to date' : `written to ${file}`}${isCI() ? ' (checked: CI)' : ''}`);
  } catch (error) {
    console.error(`error: ${error.message}`);
    process.exitCode = 1;
  }
}
