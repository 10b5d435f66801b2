// `npm run screenshots`: the element's states, photographed from the demo (npm start's pages) into docs/images/.
// Needs `npm run build` first. Drives Chromium to each state the way a visitor would: sign in, then the demo's
// controls and its slow and failing endpoint toggles.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startDemo } from '../demo/start.mjs';
import { CHROME_ARGS, findChrome } from '../test/support/find-chrome.mjs';

const OUT = new URL('../docs/images/', import.meta.url);
mkdirSync(OUT, { recursive: true });

const demo = await startDemo({ port: 0, widgetPort: 0, tokenTtlSeconds: 300, slowEndpointMs: 60_000, env: {} });
const browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
  const widget = page.locator('#widget');
  const status = (value) => page.locator(`#widget[status="${value}"]`).waitFor();
  const fault = async (name, on) => {
    const box = page.locator(`#faults input[name="${name}"]`);
    await (on ? box.check() : box.uncheck());
    await page.locator(`#faults[data-${name}="${on}"]`).waitFor();
  };
  const shoot = async (name) => {
    await widget.evaluate((el) => (el.style.height = '420px'));
    await widget.screenshot({ path: fileURLToPath(new URL(`${name}.png`, OUT)) });
    console.log(`docs/images/${name}.png`);
  };

  await page.goto(`${demo.hostUrl}/signin?next=/`);
  await page.getByRole('button', { name: 'ada@example.com' }).click();
  await page.waitForURL(`${demo.hostUrl}/`);

  // Signed in: the widget itself (the demo's fake Returning.AI page).
  await status('authenticated');
  await page.locator('#widget:not([aria-busy])').waitFor();
  await page.frameLocator('#widget >> iframe').locator('body[data-state="signed-in"]').waitFor();
  await shoot('state-authenticated');

  // Loading: a slow endpoint, after a logout and a reload.
  await fault('slow', true);
  await page.click('#btn-logout');
  await status('logged-out');
  await page.click('#btn-reload');
  await page.locator('#widget[aria-busy="true"]').waitFor();
  await shoot('state-loading');
  await page.click('#btn-logout'); // ends the slow request
  await fault('slow', false);

  // Signed out: after logout(), the widget's own signed-out view and the page's slot="signed-out" link.
  await status('logged-out');
  await page.frameLocator('#widget >> iframe').locator('body[data-state="no-token"]').waitFor();
  await shoot('state-signed-out');

  // Error: a failing endpoint; the panel's Try again signs in once it is back.
  await fault('failing', true);
  await page.click('#btn-reload');
  await status('error');
  await shoot('state-error');
  await fault('failing', false);

  // A configuration error names the attribute at fault (for the developer).
  await widget.evaluate((el) => el.setAttribute('theme', 'blue'));
  await status('error');
  await shoot('state-config-error');
} finally {
  await browser.close();
  await demo.close();
}
