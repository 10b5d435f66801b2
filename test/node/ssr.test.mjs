// Importing the package where there is no DOM (server-side rendering) must not throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

test('the package entry imports in Node without a DOM', async () => {
  assert.equal(typeof globalThis.window, 'undefined');
  const entry = await import('../../dist/index.js');
  assert.equal(typeof entry.ReturningAiWidget, 'function');
  assert.equal(entry.ReturningAiWidget.version, JSON.parse(readFileSync('package.json', 'utf8')).version);
  // In a browser the page's token owner is created as the library loads; here there is no page to own.
  assert.equal(globalThis[Symbol.for('returning-ai-widget.token-owner.v2')], undefined);
});

test('the class module imports in Node without defining anything', async () => {
  const { ReturningAiWidget } = await import('../../dist/element/returning-ai-widget.js');
  assert.equal(typeof ReturningAiWidget.define, 'function');
});

// ---- returning-ai-widget/ssr ----

test('importing returning-ai-widget/ssr and rendering touches no window, document or custom element registry', async () => {
  // A fresh Node process where every browser global throws when read: the module and renderWidget() must not look.
  const script = `
    for (const name of ['window', 'document', 'customElements', 'HTMLElement', 'localStorage', 'sessionStorage', 'addEventListener']) {
      Object.defineProperty(globalThis, name, { get() { throw new Error('touched ' + name); }, configurable: true });
    }
    const { renderWidget } = await import('returning-ai-widget/ssr');
    process.stdout.write(renderWidget({ 'widget-id': 'w1', 'auth-endpoint': '/api/widget-auth' }));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  assert.match(stdout, /^<returning-ai-widget widget-id="w1" auth-endpoint="\/api\/widget-auth"><iframe slot="frame" /);
});

test('renderWidget: the tag with its attributes, and the widget page in the frame slot, sized as the element sizes it', async () => {
  const { renderWidget } = await import('returning-ai-widget/ssr');
  assert.equal(
    renderWidget({ 'widget-id': 'w#1', 'widget-type': 'leaderboard', theme: 'dark', 'auth-endpoint': '/api/widget-auth', timeout: 5000, label: undefined, storage: null }),
    '<returning-ai-widget widget-id="w#1" widget-type="leaderboard" theme="dark" auth-endpoint="/api/widget-auth" timeout="5000">' +
      '<iframe slot="frame" src="https://prod-widgets.returning.ai/leaderboard/w%231?color=dark" title="Returning.AI widget" allow="clipboard-write" width="100%" height="600" frameborder="0"></iframe>' +
      '</returning-ai-widget>',
  );
  assert.match(renderWidget({ 'widget-id': 'w1', loading: 'lazy', label: 'Rewards' }), /<iframe [^>]*title="Rewards"[^>]* loading="lazy"><\/iframe>/);
  assert.match(renderWidget({ 'widget-id': 'w1', 'base-url': 'http://127.0.0.1:9000' }), / src="http:\/\/127\.0\.0\.1:9000\/store\/w1" /);
});

test('renderWidget escapes attribute values, refuses attribute names that are not names, and puts your content after the frame', async () => {
  const { renderWidget } = await import('returning-ai-widget/ssr');
  const html = renderWidget({ 'widget-id': 'w1', label: '"><script>alert(1)</script>&' }, { content: '<a slot="signed-out" href="/login">Sign in</a>' });
  assert.doesNotMatch(html, /<script>/);
  assert.match(html, / label="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;&amp;"/);
  assert.match(html, /<\/iframe><a slot="signed-out" href="\/login">Sign in<\/a><\/returning-ai-widget>$/);
  for (const name of ['onload x', 'a"b', '', 'Widget-Id', '1x']) {
    assert.throws(() => renderWidget({ [name]: 'x' }), { name: 'TypeError', message: new RegExp(`"${name.replace(/"/g, '\\"')}" is not an attribute name`) });
  }
});

test('renderWidget renders no frame when the widget page cannot be built: the element reports the attribute in the browser', async () => {
  const { renderWidget, widgetMarkup } = await import('returning-ai-widget/ssr');
  for (const attributes of [{}, { 'widget-id': '..' }, { 'widget-id': 'w1', 'base-url': 'javascript:alert(1)' }, { 'widget-id': 'w1', 'base-url': 'http://evil.example' }, { 'widget-id': 'w1', 'widget-type': 'a/b' }, { 'widget-id': 'w1', theme: 'blue' }]) {
    assert.equal(widgetMarkup(attributes).frame, undefined, JSON.stringify(attributes));
    assert.doesNotMatch(renderWidget(attributes), /<iframe/);
  }
});
