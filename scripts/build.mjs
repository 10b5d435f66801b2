// `npm run build`: the library build (ES modules, .d.ts, source maps), the CDN bundles, and the manifest.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const run = (command, ...args) => execFileSync(command, args, { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
run('npx', 'tsc', '-p', 'tsconfig.build.json');
run('npx', 'rollup', '-c', '--silent');
run('npm', 'run', '--silent', 'analyze');
