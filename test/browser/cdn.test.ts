/**
 * One page with two copies of the element: the CDN bundle (self-contained) and the npm build (dist/, as from
 * node_modules). Both define <returning-ai-widget> when loaded; whichever comes second must leave the first in
 * place without throwing, and the element must still work. Each order runs in a fresh iframe (a fresh registry).
 * Needs `npm run build` (npm test runs it first): the pages load dist/ as a site would.
 */
import { expect } from '@open-wc/testing';
import type { ReturningAiWidget } from '../../src/element/returning-ai-widget.js';

const CDN_MODULE = '/dist/cdn/returning-ai-widget.js';
const CDN_CLASSIC = '/dist/cdn/returning-ai-widget.iife.js';
const NPM_ENTRY = '/dist/index.js';
const NPM_CLASS_ONLY = '/dist/element/returning-ai-widget.js';

const { WIDGET_ORIGIN } = (await (await fetch('/__fixtures.json')).json()) as { WIDGET_ORIGIN: string };

interface LoadReport {
  /** Uncaught errors and rejected loads. */
  errors: string[];
  warnings: string[];
  /** Which of the loaded copies backs the tag (index into `urls`), -1 for none. */
  definedBy: number;
  versions: string[];
  /** The token the element's fake widget received. */
  token?: string;
}

/**
 * Runs inside the iframe (serialized): loads `urls` in order, then mounts the element with a token provider
 * and reports what happened to the parent page.
 */
async function loadCopies(urls: string[], widgetOrigin: string): Promise<void> {
  const report: LoadReport = { errors: [], warnings: [], definedBy: -1, versions: [] };
  addEventListener('error', (event) => report.errors.push(event.message));
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    report.warnings.push(args.join(' '));
    warn(...args);
  };
  type WidgetClass = typeof ReturningAiWidget;
  const global = window as unknown as { ReturningAiWidgetElement?: { ReturningAiWidget: WidgetClass } };
  try {
    const classes: WidgetClass[] = [];
    for (const url of urls) {
      if (url.endsWith('.iife.js')) {
        const script = document.createElement('script');
        script.src = url;
        await new Promise((resolve, reject) => {
          script.onload = resolve;
          script.onerror = () => reject(new Error(`${url} failed to load`));
          document.head.append(script);
        });
        classes.push(global.ReturningAiWidgetElement!.ReturningAiWidget);
      } else {
        classes.push(((await import(url)) as { ReturningAiWidget: WidgetClass }).ReturningAiWidget);
      }
    }
    report.definedBy = classes.indexOf(customElements.get('returning-ai-widget') as WidgetClass);
    report.versions = classes.map((copy) => copy.version);
    if (report.definedBy === -1) return; // nothing defined the tag: nothing to mount

    const tokens = new Promise<string>((resolve) =>
      addEventListener('message', (event) => event.data?.fake === true && event.data.kind === 'token' && resolve(event.data.value.token)),
    );
    const el = document.createElement('returning-ai-widget');
    el.setAttribute('widget-id', 'w1');
    el.setAttribute('base-url', widgetOrigin);
    el.setAttribute('storage', 'memory');
    el.tokenProvider = async () => 'token-from-two-copies';
    document.body.append(el);
    report.token = await tokens;
  } catch (error) {
    report.errors.push(String(error));
  } finally {
    parent.postMessage({ loadReport: report }, '*');
  }
}

/** Loads `urls` in a fresh same-origin iframe and resolves to its report. */
function loadInFrame(urls: string[]): Promise<LoadReport> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><script type="module">(${loadCopies.toString()})(${JSON.stringify(urls)}, ${JSON.stringify(WIDGET_ORIGIN)});</script>`;
  return new Promise<LoadReport>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no report from the page loading ${urls.join(', ')}`)), 10_000);
    addEventListener('message', function onReport(event) {
      if (event.source !== frame.contentWindow || !event.data?.loadReport) return;
      clearTimeout(timer);
      removeEventListener('message', onReport);
      resolve(event.data.loadReport);
    });
    document.body.append(frame);
  }).finally(() => frame.remove());
}

describe('the CDN bundle and the npm build on one page', () => {
  it('importing the class module defines nothing; the package entry defines the tag', async () => {
    const report = await loadInFrame([NPM_CLASS_ONLY]);
    expect(report.definedBy).to.equal(-1);
    expect((await loadInFrame([NPM_ENTRY])).definedBy).to.equal(0);
  });

  it('CDN module first, then the npm build and the classic script: the CDN copy stays, nothing throws, the widget signs in', async () => {
    const report = await loadInFrame([CDN_MODULE, NPM_ENTRY, CDN_CLASSIC]);
    expect(report.errors).to.deep.equal([]);
    expect(report.definedBy).to.equal(0);
    expect(report.versions[0]).to.equal(report.versions[1]);
    expect(report.warnings, 'same version: no warning').to.deep.equal([]);
    expect(report.token).to.equal('token-from-two-copies');
  });

  it('npm build first, then the CDN module: the npm copy stays, nothing throws, the widget signs in', async () => {
    const report = await loadInFrame([NPM_ENTRY, CDN_MODULE]);
    expect(report.errors).to.deep.equal([]);
    expect(report.definedBy).to.equal(0);
    expect(report.warnings).to.deep.equal([]);
    expect(report.token).to.equal('token-from-two-copies');
  });

  it('a copy of another version does not replace the registered one and warns once', async () => {
    const { ReturningAiWidget: Registered } = (await import(NPM_CLASS_ONLY)) as { ReturningAiWidget: typeof ReturningAiWidget };
    const tag = `rai-version-${Math.random().toString(36).slice(2)}`;
    Registered.define(tag);
    class OtherVersion extends Registered {}
    Object.defineProperty(OtherVersion, 'version', { value: '0.0.0-other' });

    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      expect(() => OtherVersion.define(tag)).not.to.throw();
      expect(() => Registered.define(tag)).not.to.throw();
    } finally {
      console.warn = warn;
    }
    expect(customElements.get(tag)).to.equal(Registered);
    expect(warnings).to.have.length(1);
    expect(String(warnings[0][0])).to.contain('0.0.0-other').and.contain(Registered.version).and.contain(tag);
  });
});
