// What the browser figures share: the loopback servers (bench/servers.mjs), one headless Chromium, and a way to
// open a bench page in a fresh context that records the page's uncaught errors.
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../../test/support/find-chrome.mjs';
import { startServers } from '../servers.mjs';

/**
 * cdnModule: the bundle the host server serves; pageErrors: an array the pages' uncaught errors are pushed to.
 * Resolves { browser, servers, version, description, openPage(cfg), close() }.
 */
export async function startBrowserSession({ cdnModule, executablePath = findChrome(), pageErrors }) {
  const servers = await startServers({ cdnModule });
  let browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROME_ARGS });
  } catch (error) {
    await servers.close();
    throw error;
  }
  return {
    browser,
    servers,
    version: browser.version(),
    description: `${executablePath} ${browser.version()}`,
    /** A bench page (bench/servers.mjs renderPage's cfg) in a new context; close the context when done. */
    async openPage(cfg) {
      const context = await browser.newContext();
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${cfg.impl}: ${error.message}`));
      await page.goto(servers.pageUrl(cfg));
      return { context, page };
    },
    async close() {
      await browser.close();
      await servers.close();
    },
  };
}
