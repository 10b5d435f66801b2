// custom-elements.json: complete (the element's whole public API) and fresh. The build regenerates it; under CI
// (CI set) scripts/manifest.mjs only compares, and a committed manifest that differs from src/ fails the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
const element = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.customElement);
const names = (list) => (list ?? []).map((item) => item.name).sort();

test('the manifest describes the element: tag, attributes, properties, methods, events, parts', () => {
  assert.equal(element?.tagName, 'returning-ai-widget');
  assert.equal(element.name, 'ReturningAiWidget');
  assert.ok(element.summary && element.description, 'summary and description from the class JSDoc');
  assert.deepEqual(names(element.attributes), [
    'auth-endpoint', 'base-url', 'label', 'loading', 'status', 'storage', 'storage-key', 'theme', 'timeout', 'widget-id', 'widget-type',
  ]);
  for (const attribute of element.attributes.filter((item) => item.name !== 'status')) {
    const missing = ['fieldName', 'type', 'description'].filter((key) => !attribute[key]);
    // The analyzer reads a field's type from its annotation or a literal initializer (`= 'x'`), not from a constant.
    assert.deepEqual(missing, [], `attribute ${attribute.name} lacks ${missing.join(', ')} in the manifest (give its field an explicit type)`);
    assert.doesNotMatch(attribute.default ?? '', /^[A-Z_]+$/, `attribute ${attribute.name}: its default names a constant instead of its value`);
  }
  const members = names(element.members);
  for (const member of ['widgetId', 'widgetType', 'baseUrl', 'theme', 'authEndpoint', 'storage', 'storageKey', 'loading', 'label', 'timeout', 'tokenProvider', 'status', 'logout', 'reload', 'authenticate', 'retry', 'define', 'version']) {
    assert.ok(members.includes(member), `member ${member}`);
  }
  assert.deepEqual(members.filter((name) => name.startsWith('#')), [], 'no #private members');
  assert.deepEqual(names(element.events), ['rai-auth-failure', 'rai-auth-success', 'rai-logout', 'rai-status-change']);
  for (const event of element.events) assert.match(event.type?.text ?? '', /^CustomEvent<\w+Detail>$/, `${event.name} is typed`);
  assert.deepEqual(names(element.cssParts), ['error', 'iframe', 'loading', 'message', 'retry', 'signed-out']);
  assert.deepEqual(names(element.slots), ['error', 'frame', 'loading', 'signed-out']);
  assert.deepEqual(names(element.cssProperties), ['--rai-widget-accent', '--rai-widget-background', '--rai-widget-color', '--rai-widget-radius']);
  for (const item of [...element.cssParts, ...element.slots, ...element.cssProperties]) assert.ok(item.description, `${item.name} is described`);
  for (const property of element.cssProperties) assert.ok(property.default, `${property.name} has its default`);
});

test('the manifest says which module defines the tag, and what the package entry exports', () => {
  const definitions = manifest.modules.flatMap((module) =>
    (module.exports ?? []).filter((item) => item.kind === 'custom-element-definition').map((item) => ({ module: module.path, ...item })),
  );
  assert.deepEqual(definitions, [
    {
      module: 'src/element/returning-ai-widget-define.ts',
      kind: 'custom-element-definition',
      name: 'returning-ai-widget',
      declaration: { name: 'ReturningAiWidget', module: 'src/element/returning-ai-widget.ts' },
    },
  ]);
  const entry = manifest.modules.find((module) => module.path === 'src/index.ts');
  assert.ok(names(entry?.exports).includes('ReturningAiWidget'));
  assert.equal(JSON.parse(readFileSync('package.json', 'utf8')).customElements, 'custom-elements.json');
});

test('under CI, a stale manifest fails with a clear message and is left alone; a fresh one passes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rai-manifest-'));
  try {
    const fresh = join(dir, 'fresh.json');
    const stale = join(dir, 'stale.json');
    copyFileSync('custom-elements.json', fresh);
    const staleText = readFileSync(fresh, 'utf8').replace('"widget-id"', '"widget-ident"');
    writeFileSync(stale, staleText);
    const check = (file) => promisify(execFile)(process.execPath, ['scripts/manifest.mjs', file], { env: { ...process.env, CI: 'true' }, timeout: 60_000 });

    const [staleRun, freshRun] = await Promise.allSettled([check(stale), check(fresh)]);
    assert.equal(staleRun.status, 'rejected', 'a stale manifest must fail under CI');
    assert.equal(staleRun.reason.code, 1);
    assert.match(staleRun.reason.stderr, /stale\.json is stale: it differs from the manifest generated from src\/ \(line \d+: committed .*widget-ident/);
    assert.match(staleRun.reason.stderr, /Run `npm run build` \(or `npm run analyze`\) locally and commit custom-elements\.json/);
    assert.equal(readFileSync(stale, 'utf8'), staleText, 'CI never rewrites the manifest');
    assert.equal(freshRun.status, 'fulfilled', `the built manifest is fresh: ${freshRun.reason?.stderr ?? ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
