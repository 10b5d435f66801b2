import { existsSync } from 'node:fs';

// Checked in order after CHROME_PATH: Debian/Ubuntu packages, then the usual desktop installs.
const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

/** The path of a Chrome/Chromium to test in, or an error that says how to get one. */
export function findChrome() {
  const found = [process.env.CHROME_PATH, ...CANDIDATES].find((path) => path && existsSync(path));
  if (found) return found;
  throw new Error(
    'No Chrome or Chromium found for the browser tests. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
      'or point CHROME_PATH at its executable.',
  );
}

/** Flags for headless Chromium here: root needs --no-sandbox; the rest stop it calling hosts it cannot reach. */
export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
