// `npm start`: runs the whole token flow locally. Starts the fake Returning.AI
// (unless real credentials are in the environment) and the host app, prints
// the URL to open, and shuts both down on SIGINT/SIGTERM.
import { pathToFileURL } from 'node:url';
import { loadConfig } from './config.mjs';
import { createFakeReturningServer } from './fake-returning/server.mjs';
import { createHostServer } from './host/server.mjs';
import { close, listen } from './lib/http.mjs';

// Loopback only: this is a local demo, nothing should be reachable from the network.
const BIND = '127.0.0.1';

/**
 * options: { port, widgetPort, tokenTtlSeconds, slowEndpointMs, env, log } — ports may be 0 (tests).
 * Resolves { mode, hostUrl, widgetOrigin, tokenTtlSeconds, close() }.
 */
export async function startDemo(options = {}) {
  const { env = process.env, log = () => {} } = options;
  const config = loadConfig(env, options);
  const servers = [];

  const stop = async () => {
    await Promise.all(servers.map((server) => close(server)));
  };

  try {
    if (config.mode === 'fake') {
      const fake = createFakeReturningServer(config, log);
      servers.push(fake);
      const widgetPort = await listen(fake, config.widgetPort, BIND);
      // A different host name than the host app's: a separate origin *and* site, like the real thing.
      config.baseUrl = `http://127.0.0.1:${widgetPort}`;
    }

    const host = await createHostServer(config, log);
    servers.push(host);
    const port = await listen(host, config.port, BIND);

    return {
      mode: config.mode,
      hostUrl: `http://localhost:${port}`,
      widgetOrigin: new URL(config.baseUrl).origin,
      tokenTtlSeconds: config.tokenTtlSeconds ?? null,
      close: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function main() {
  let demo;
  try {
    demo = await startDemo({ log: (line) => console.log(line) });
  } catch (error) {
    console.error(`Could not start the demo: ${error.message}`);
    process.exitCode = 1;
    return;
  }

  console.log('');
  console.log(
    demo.mode === 'real'
      ? `Real mode: widgets come from ${demo.widgetOrigin} (credentials from the environment).`
      : `Fake mode: a local stand-in for Returning.AI runs at ${demo.widgetOrigin} (tokens live ${demo.tokenTtlSeconds}s).`,
  );
  console.log(`Open ${demo.hostUrl}/ and sign in as a demo user.  Ctrl+C stops the demo.`);
  console.log('');

  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the demo…`);
    await demo.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
