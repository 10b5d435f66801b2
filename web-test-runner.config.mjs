import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner';
import { CHROME_ARGS, findChrome } from './test/support/find-chrome.mjs';
import { startFixtureServers } from './test/support/fixture-server.mjs';
import { scriptedAuth } from './test/support/scripted-auth.mjs';
import { ssrHost } from './test/support/ssr-host.mjs';

const executablePath = findChrome();
const fixtures = await startFixtureServers();
const require = createRequire(import.meta.url);
// msw's worker must be served from the root: a worker in a subfolder silently intercepts nothing.
const mockServiceWorker = readFileSync(require.resolve('msw/mockServiceWorker.js'), 'utf8');

// The strict policy a careful host page would send: no inline script or style, Trusted Types enforced with the one
// policy Lit creates (`lit-html`, the name Lit documents).
const strictPolicy = () =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    `frame-src ${fixtures.origins.WIDGET_ORIGIN}`,
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');

/** A real auth endpoint on the test origin, for pages that msw does not control (it mocks only its own test page). */
async function testAuthEndpoint(context, next) {
  if (context.path !== '/__test-auth') return next();
  if (context.method !== 'POST') return void (context.status = 405);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  context.type = 'json';
  context.body = JSON.stringify({ token: `${part({ alg: 'none' })}.${part({ iat: now, exp: now + 300 })}.x` });
}

async function strictCsp(context, next) {
  await next();
  if (context.path === '/test/support/csp-host.html') context.set('Content-Security-Policy', strictPolicy());
}

/** Test-runner commands that look at the page through the Chrome DevTools Protocol. */
const devtoolsProbes = {
  name: 'devtools-probes',
  async executeCommand({ command, session }) {
    if (command !== 'window-listeners') return undefined;
    const cdp = await session.browser.getPage(session.id).createCDPSession();
    try {
      const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
      const counts = {};
      for (const { type } of listeners) counts[type] = (counts[type] ?? 0) + 1;
      return counts;
    } finally {
      await cdp.detach();
    }
  },
};

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: 'test/browser/**/*.test.ts',
  nodeResolve: { exportConditions: ['browser', 'production'] },
  middleware: [testAuthEndpoint, scriptedAuth, strictCsp, ssrHost],
  plugins: [
    devtoolsProbes,
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
    {
      name: 'test-fixtures',
      serve(context) {
        if (context.path === '/__fixtures.json') return { body: JSON.stringify(fixtures.origins), type: 'json' };
        if (context.path === '/__widget-requests') return { body: String(fixtures.requests(context.query.path)), type: 'json' };
        if (context.path === '/mockServiceWorker.js') return { body: mockServiceWorker, type: 'js' };
      },
      serverStop: () => fixtures.close(),
    },
  ],
  browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args: CHROME_ARGS } })],
  testFramework: { config: { timeout: 15000 } },
  browserLogs: true,
};
