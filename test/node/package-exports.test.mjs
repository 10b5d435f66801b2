// package.json's entry points, `sideEffects` and the shipped typings, checked against the build.
// Needs `npm run build` first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const read = (file) => readFileSync(file, 'utf8');

test('every export lists `types` first, then the module', () => {
  for (const [path, entry] of Object.entries(pkg.exports)) {
    if (typeof entry === 'string') {
      // The CDN files are browser bundles with no typings, served as they are from node_modules.
      assert.match(entry, path === './cdn/*' ? /^\.\/dist\/cdn\/\*$/ : /\.json$/, `${path}: only the JSON and CDN files are exported without conditions`);
      continue;
    }
    assert.deepEqual(Object.keys(entry), ['types', 'default'], `${path}: conditions`);
    assert.equal(entry.types, entry.default.replace(/\.js$/, '.d.ts'), `${path}: its types belong to its module`);
  }
  assert.deepEqual(Object.keys(pkg.exports), ['.', './returning-ai-widget.js', './server', './ssr', './react', './vue', './cdn/*', './custom-elements.json', './package.json']);
});

test('the entry points resolve by name in Node, the element entries without a DOM', async () => {
  const entry = await import('returning-ai-widget');
  const classOnly = await import('returning-ai-widget/returning-ai-widget.js');
  assert.equal(entry.ReturningAiWidget, classOnly.ReturningAiWidget);
  assert.equal(typeof (await import('returning-ai-widget/server')).createWidgetAuthHandler, 'function');
  // The React entry has the component and the class (its typings are type-only); the Vue entry is type-only:
  // its module exists so that a bundler can resolve it, and is empty.
  const react = await import('returning-ai-widget/react');
  assert.deepEqual(Object.keys(react).sort(), ['ReturningAiWidget', 'ReturningAiWidgetElement']);
  assert.equal(react.ReturningAiWidgetElement, entry.ReturningAiWidget);
  assert.deepEqual(Object.keys(await import('returning-ai-widget/vue')), []);
});

test('the CDN files resolve by name, for a server that serves them from node_modules without a bundler', () => {
  const require = createRequire(`${process.cwd()}/`);
  for (const file of ['returning-ai-widget.js', 'returning-ai-widget.iife.js']) {
    assert.equal(require.resolve(`returning-ai-widget/cdn/${file}`), join(process.cwd(), 'dist/cdn', file));
    assert.equal(import.meta.resolve(`returning-ai-widget/cdn/${file}`), pathToFileURL(join(process.cwd(), 'dist/cdn', file)).href);
  }
});

/** Imports `file` in a fresh Node process with a stub registry; resolves to the tags it defined. */
async function tagsDefinedBy(file) {
  const probe = `
    const defined = [];
    globalThis.customElements = { get: () => undefined, define: (tag) => defined.push(tag) };
    await import(${JSON.stringify(new URL(file, `file://${process.cwd()}/`).href)});
    console.log(JSON.stringify(defined));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', probe], { timeout: 30_000 });
  return JSON.parse(stdout);
}

test('`sideEffects` lists exactly the modules that define the element', async () => {
  const modules = readdirSync('dist', { recursive: true })
    .filter((file) => file.endsWith('.js') && !file.startsWith('cdn'))
    .map((file) => normalize(join('dist', file)));
  const defining = [];
  await Promise.all(
    modules.map(async (file) => {
      if ((await tagsDefinedBy(file)).includes('returning-ai-widget')) defining.push(file);
    }),
  );
  // The CDN bundles are the package entry, bundled: they define it too (and need a browser to load).
  const cdn = ['dist/cdn/returning-ai-widget.js', 'dist/cdn/returning-ai-widget.iife.js'];
  assert.deepEqual(pkg.sideEffects.map((file) => normalize(file)).sort(), [...defining, ...cdn].sort());
});

test('the main typings declare the tag and the events, and reference no framework', () => {
  // index.d.ts reaches both global declarations through its imports.
  const index = read('dist/index.d.ts');
  assert.match(index, /import '\.\/element\/returning-ai-widget-define\.js';/);
  assert.match(index, /from '\.\/element\/events\.js'/);
  assert.match(read('dist/element/returning-ai-widget-define.d.ts'), /interface HTMLElementTagNameMap \{\s*'returning-ai-widget': ReturningAiWidget;/);
  const events = read('dist/element/events.d.ts');
  for (const type of ['rai-auth-success', 'rai-auth-failure', 'rai-logout', 'rai-status-change']) {
    assert.match(events, new RegExp(`interface GlobalEventHandlersEventMap \\{[^}]*'${type}': CustomEvent<`), `${type} in GlobalEventHandlersEventMap`);
  }
  for (const file of readdirSync('dist', { recursive: true }).filter((name) => name.endsWith('.d.ts') && !name.startsWith('frameworks'))) {
    assert.doesNotMatch(read(join('dist', file)), /from '(react|vue|@angular\/[^']+)'/, `${file} must not need a framework's types`);
  }
});

test('the framework typings augment their framework', () => {
  assert.match(read('dist/frameworks/react.d.ts'), /declare module 'react' \{\s*namespace JSX \{\s*interface IntrinsicElements \{\s*'returning-ai-widget': ReturningAiWidgetProps;/);
  assert.match(read('dist/frameworks/vue.d.ts'), /declare module 'vue' \{\s*interface GlobalComponents \{\s*'returning-ai-widget': ReturningAiWidgetVueComponent;/);
});

test('the CDN bundles are self-contained, and the classic script sets its global', async () => {
  for (const file of ['dist/cdn/returning-ai-widget.js', 'dist/cdn/returning-ai-widget.iife.js']) {
    // esbuild lists every module a bundle imports: a self-contained file imports none.
    const { metafile } = await build({ entryPoints: [file], bundle: true, write: false, metafile: true, logLevel: 'silent' });
    assert.deepEqual(Object.keys(metafile.inputs), [file], `${file} imports other modules`);
  }
  assert.match(read('dist/cdn/returning-ai-widget.iife.js'), /^var ReturningAiWidgetElement=/);
  assert.equal(pkg.unpkg, 'dist/cdn/returning-ai-widget.js');
  assert.equal(pkg.jsdelivr, 'dist/cdn/returning-ai-widget.js');
});
