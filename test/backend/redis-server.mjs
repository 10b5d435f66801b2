// Starts Debian's redis-server on a free loopback port for one test file, with nothing written to disk, and stops it.
import { spawn, spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { once } from 'node:events';

const BINARY = process.env.REDIS_SERVER ?? 'redis-server';

/** A port nothing listens on right now (the OS picks it; redis-server binds it a moment later). */
async function freePort() {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address();
  probe.close();
  await once(probe, 'close');
  return port;
}

/**
 * Resolves `{ url, port, stop }` once redis-server accepts connections. Throws a plain message when there is no
 * redis-server (`apt-get install redis-server`, or set REDIS_SERVER to its path).
 */
export async function startRedis() {
  if (spawnSync(BINARY, ['--version']).error) {
    throw new Error(`${BINARY} not found: install Debian's redis-server (apt-get install redis-server) or set REDIS_SERVER`);
  }
  const port = await freePort();
  const child = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => (output += chunk);
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = once(child, 'exit');

  // Ready once it answers PING; bounded, so a server that cannot start fails the test instead of hanging it.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
    if (await answersPing(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start within 10 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Whether a Redis on `port` answers `PING` with `+PONG`. */
function answersPing(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      resolve(String(data).startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}
