// Renders the demo pages from demo/pages/*.html, filling in the widget
// settings (fake or real mode) so the HTML shows exactly what a site would write.
import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { escapeHtml, render } from '../lib/template.mjs';

const PAGES_DIR = fileURLToPath(new URL('../pages/', import.meta.url));
export const BUNDLE_PATH = fileURLToPath(new URL('../../dist/cdn/returning-ai-widget.js', import.meta.url));

const BUNDLE_MISSING = `<p class="notice" id="bundle-missing">The element bundle
  <code>dist/cdn/returning-ai-widget.js</code> is missing: run <code>npm run build</code>, then reload.</p>`;

export const PAGES = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/cdn.html': 'cdn.html',
  '/vue.html': 'vue.html',
  '/two.html': 'two.html',
  '/signin': 'signin.html',
};

async function exists(path) {
  return access(path).then(() => true, () => false);
}

function userButtons(users) {
  return users
    .map((email) => `<button type="submit" name="email" value="${escapeHtml(email)}">${escapeHtml(email)}</button>`)
    .join('\n      ');
}

/** config: the loaded demo config (baseUrl known); extra: per-request values. */
export async function renderPage(file, config, extra = {}) {
  const [first, second] = config.widgets;
  const read = (name) => readFile(`${PAGES_DIR}${name}`, 'utf8');
  const modeLabel = config.mode === 'real' ? 'real Returning.AI' : 'local fake Returning.AI';
  // The header and navigation shared by the demo pages.
  const siteHeader = render((await read('site-header.html')).trim(), { MODE_LABEL: modeLabel });
  return render(await read(file), {
    SITE_HEADER: siteHeader,
    MODE: config.mode,
    MODE_LABEL: modeLabel,
    BASE_URL: config.baseUrl,
    WIDGET_ID: first.id,
    WIDGET_TYPE: first.type,
    WIDGET2_ID: second.id,
    WIDGET2_TYPE: second.type,
    BUNDLE_NOTICE: (await exists(BUNDLE_PATH)) ? '' : BUNDLE_MISSING,
    USER_BUTTONS: userButtons(config.users),
    NEXT: '/',
    ...extra,
  });
}
