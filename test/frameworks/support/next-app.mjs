// Builds and starts the Next.js example (examples/next) the way it runs in production: `next build`, then
// `next start` on loopback. The build goes to examples/next/.next, as in any Next.js app (git and ESLint ignore it).
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTool } from './build-apps.mjs';

const APP = fileURLToPath(new URL('../../../examples/next/', import.meta.url));
const NEXT = fileURLToPath(new URL('../../../node_modules/next/dist/bin/next', import.meta.url));
const BASE_ENV = { NEXT_TELEMETRY_DISABLED: '1' };

/** `next build`, from scratch. `env` is the app's configuration (the route handlers read it when they load). */
export async function buildNextApp(env) {
  await rm(resolve(APP, '.next'), { recursive: true, force: true });
  await runTool(process.execPath, [NEXT, 'build'], { cwd: APP, env: { ...BASE_ENV, ...env }, timeout: 300_000 });
}

/** A free loopback port (`next start` takes a port number, not 0). */
async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/** `next start` on loopback; resolves once it says it is ready, with its URL and a way to stop it. */
export async function startNextApp(env) {
  const port = await freePort();
  const child = spawn(process.execPath, [NEXT, 'start', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: APP,
    env: { ...process.env, ...BASE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((ready, reject) => {
    const timer = setTimeout(() => reject(new Error(`next start was not ready within 30 s:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      if (/Ready in/.test(output)) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`next start exited (${code}):\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
