// `npm run build`: the library build (ES modules, .d.ts, source maps), the CDN bundles, and the manifest.
// Under CI the manifest is only checked: a stale committed custom-elements.json fails the build.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const run = (command, ...args) => execFileSync(command, args, { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
run('npx', 'tsc', '-p', 'tsconfig.build.json');
run('npx', 'rollup', '-c', '--silent');
try {
  run('npm', 'run', '--silent', 'analyze');
} catch {
  process.exit(1); // the manifest script has printed why
}
