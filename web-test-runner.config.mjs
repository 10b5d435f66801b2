import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner';
import { CHROME_ARGS, findChrome } from './test/support/find-chrome.mjs';
import { startFixtureServers } from './test/support/fixture-server.mjs';

const executablePath = findChrome();
const fixtures = await startFixtureServers();
const require = createRequire(import.meta.url);
// msw's worker must be served from the root: a worker in a subfolder silently intercepts nothing.
const mockServiceWorker = readFileSync(require.resolve('msw/mockServiceWorker.js'), 'utf8');

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: 'test/browser/**/*.test.ts',
  nodeResolve: { exportConditions: ['browser', 'production'] },
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
    {
      name: 'test-fixtures',
      serve(context) {
        if (context.path === '/__fixtures.json') return { body: JSON.stringify(fixtures.origins), type: 'json' };
        if (context.path === '/mockServiceWorker.js') return { body: mockServiceWorker, type: 'js' };
      },
      serverStop: () => fixtures.close(),
    },
  ],
  browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args: CHROME_ARGS } })],
  testFramework: { config: { timeout: 15000 } },
  browserLogs: true,
};
