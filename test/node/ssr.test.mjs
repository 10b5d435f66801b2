// Importing the package where there is no DOM (server-side rendering) must not throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

test('the package entry imports in Node without a DOM', async () => {
  assert.equal(typeof globalThis.window, 'undefined');
  const entry = await import('../../dist/index.js');
  assert.equal(typeof entry.ReturningAiWidget, 'function');
  assert.equal(entry.ReturningAiWidget.version, JSON.parse(readFileSync('package.json', 'utf8')).version);
  // In a browser the page's token owner is created as the library loads; here there is no page to own.
  assert.equal(globalThis[Symbol.for('returning-ai-widget.token-owner.v1')], undefined);
});

test('the class module imports in Node without defining anything', async () => {
  const { ReturningAiWidget } = await import('../../dist/element/returning-ai-widget.js');
  assert.equal(typeof ReturningAiWidget.define, 'function');
});
