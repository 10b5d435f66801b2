// The CI size budget: the shipped CDN module (self-contained), gzip -9, must stay within bench/budget.json.
// Runs from `npm test` after `npm run build`. Lower the budget there as the element shrinks; raise it only for
// behaviour that must be there, saying so in docs/performance.md, never to make a trim unnecessary. `npm run bench` shows the same figure next to Lit's own floor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cdnSizes, readBudget } from '../../bench/size.mjs';

const { cdnGzipBytes: budget, cdnGzipTargetBytes: target } = readBudget();
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

let sizes;
let missing;
try {
  sizes = cdnSizes();
} catch (error) {
  missing = error;
}

const name = sizes
  ? `CDN module is ${sizes.gzip} B gzip (${kb(sizes.gzip)}), budget ${budget} B (${kb(budget)})`
  : `CDN module size (budget ${budget} B): not built`;

test(name, (t) => {
  assert.ok(Number.isInteger(budget) && budget > 0, 'bench/budget.json needs a positive integer cdnGzipBytes');
  if (missing) throw missing;
  t.diagnostic(`dist/cdn/returning-ai-widget.js: ${sizes.raw} B raw, ${sizes.gzip} B gzip -9; budget ${budget} B, target ${target} B`);
  assert.ok(
    sizes.gzip <= budget,
    `dist/cdn/returning-ai-widget.js is ${sizes.gzip} B gzip, ${sizes.gzip - budget} B over the ${budget} B budget in bench/budget.json`,
  );
});
