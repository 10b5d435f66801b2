// Makes sure dist/ is there and not older than src/ before anything is measured.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CDN_MODULE, LIB_ENTRY } from '../size.mjs';
import { log } from './log.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** mode: 'never' (--no-build), 'always' (--build) or 'if-stale'. Returns what happened, for the notes. */
export function ensureBuilt(mode) {
  if (mode === 'never') {
    if (!existsSync(CDN_MODULE)) throw new Error('dist/cdn/returning-ai-widget.js is missing (and --no-build was given).');
    return 'skipped (--no-build)';
  }
  const stale =
    !existsSync(CDN_MODULE) ||
    !existsSync(LIB_ENTRY) ||
    newestMtime(join(ROOT, 'src')) > statSync(CDN_MODULE).mtimeMs ||
    statSync(join(ROOT, 'rollup.config.mjs')).mtimeMs > statSync(CDN_MODULE).mtimeMs;
  if (!stale && mode !== 'always') return 'up to date';
  log('running `npm run build` (dist/ missing or older than src/)…');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return 'rebuilt';
}
