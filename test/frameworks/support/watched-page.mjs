// A browser page for the framework checks that records what went wrong on it and what the fake widget received.

/**
 * Opens a page in a fresh context of `browser`. `problems` collects uncaught errors and console messages of the
 * given `consoleTypes` (e.g. React reports hydration mismatches as console errors or warnings), except those
 * `expected` accepts. In the top window, `window.widgetTokens` collects every token the fake widget
 * (test/support/fake-widget.html) reports receiving, `window.authFailures` the message of every rai-auth-failure,
 * and `window.statusChanges` the detail of every rai-status-change, even one nobody listened to (the events bubble
 * up to window). The caller closes `context`.
 * @param {import('playwright-core').Browser} browser
 * @param {{ timeout?: number, consoleTypes?: string[], expected?: (message: import('playwright-core').ConsoleMessage) => boolean }} [options]
 */
export async function openWatchedPage(browser, { timeout = 15_000, consoleTypes = [], expected = () => false } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  const problems = [];
  page.on('pageerror', (error) => problems.push(`uncaught error: ${error.message}`));
  page.on('console', (message) => {
    if (consoleTypes.includes(message.type()) && !expected(message)) problems.push(`console ${message.type()}: ${message.text()}`);
  });
  await page.addInitScript(() => {
    if (window !== window.top) return;
    window.widgetTokens = [];
    addEventListener('message', (event) => {
      if (event.data?.fake === true && event.data.kind === 'token') window.widgetTokens.push(event.data.value);
    });
    window.authFailures = [];
    addEventListener('rai-auth-failure', (event) => window.authFailures.push(event.detail.message), true);
    window.statusChanges = [];
    addEventListener('rai-status-change', (event) => window.statusChanges.push(event.detail), true);
  });
  return { context, page, problems };
}
