// Figure 1: the shipped CDN module's size next to two floors bundled the same way (an empty LitElement, and an
// empty ReactiveElement: Lit's base class without lit-html), and the library build with Lit external. The verdict is
// against the target in bench/budget.json; the CI budget there may sit above it for a while, and the row says by how much.
import { FLOOR_ENTRY, LIB_ENTRY, REACTIVE_FLOOR_ENTRY, bundleSizes, gzipBytes, litExternal, readBudget } from '../size.mjs';
import { kb, row } from '../lib/format.mjs';

export const id = 'size';
export const key = 'size';
export const needsBrowser = false;

export async function measure({ cdnModule, log }) {
  log('sizes…');
  const budget = readBudget();
  const cdn = { raw: cdnModule.length, gzip: gzipBytes(cdnModule) };
  const floor = await bundleSizes(FLOOR_ENTRY);
  const reactiveFloor = await bundleSizes(REACTIVE_FLOOR_ENTRY);
  const lib = await bundleSizes(LIB_ENTRY, { external: litExternal });
  return {
    cdn,
    floor,
    aboveFloorGzip: cdn.gzip - floor.gzip,
    reactiveFloor,
    aboveReactiveFloorGzip: cdn.gzip - reactiveFloor.gzip,
    libLitExternal: lib,
    targetGzip: budget.cdnGzipTargetBytes,
    budgetGzip: budget.cdnGzipBytes,
    // Positive: bytes over the target (or under the budget's limit, for the headroom).
    overTargetGzip: cdn.gzip - budget.cdnGzipTargetBytes,
    budgetHeadroomGzip: budget.cdnGzipBytes - cdn.gzip,
  };
}

/** PASS within the target; over it, by how much, and whether the CI budget (temporarily above the target) still holds. */
export function sizeVerdict(s) {
  if (s.overTargetGzip <= 0) return `PASS (${-s.overTargetGzip} B under)`;
  if (s.budgetHeadroomGzip < 0) return `FAIL: over the CI budget by ${-s.budgetHeadroomGzip} B, the target by ${s.overTargetGzip} B`;
  return `OVER TARGET by ${s.overTargetGzip} B (within the CI budget by ${s.budgetHeadroomGzip} B)`;
}

export function rows(s) {
  return [
    row(
      '1. Size: CDN module with Lit inside, min + gzip -9',
      `${s.cdn.gzip} B (${kb(s.cdn.gzip)}): ${s.aboveFloorGzip} B above the floor`,
      `empty LitElement (the floor) ${s.floor.gzip} B (${kb(s.floor.gzip)})`,
      `≤ ${s.targetGzip} B (${kb(s.targetGzip)}); CI budget ${s.budgetGzip} B`,
      sizeVerdict(s),
    ),
    row(
      '1. Size: ReactiveElement floor',
      `+${s.aboveReactiveFloorGzip} B above it`,
      `empty ReactiveElement ${s.reactiveFloor.gzip} B (${kb(s.reactiveFloor.gzip)})`,
      '—',
      'info',
    ),
    row('1. Size: library build (dist/, bundled, dependencies external)', `${s.libLitExternal.gzip} B (${kb(s.libLitExternal.gzip)})`, `${s.libLitExternal.raw} B minified`, '—', 'info'),
  ];
}

export function notes(s, { build }) {
  return [
    `Size: the shipped dist/cdn/returning-ai-widget.js (build: ${build}); the floors are an empty LitElement ` +
      `(bench/fixtures/empty-lit-element.js) and an empty ReactiveElement (bench/fixtures/empty-reactive-element.js), ` +
      `each bundled with the CDN bundle's rollup plugins (from ${s.floor.plugins}). 1 KB = 1024 B.`,
  ];
}
