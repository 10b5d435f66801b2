// Size measurements shared by `npm run bench` and test/node/size-budget.test.mjs.
// Every figure is bytes of gzip at level 9 (`gzip -9`); "KB" in the README means 1024 bytes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The shipped CDN ES module (self-contained), as `npm run build` writes it. */
export const CDN_MODULE = join(ROOT, 'dist/cdn/returning-ai-widget.js');
/** The library entry, as `npm run build` writes it (dependencies external: it has none at run time). */
export const LIB_ENTRY = join(ROOT, 'dist/index.js');
/** An empty LitElement: the floor of any self-contained Lit element bundle. */
export const FLOOR_ENTRY = fileURLToPath(new URL('./fixtures/empty-lit-element.js', import.meta.url));
/** An empty ReactiveElement (`@lit/reactive-element`): the floor of an element that renders without lit-html. */
export const REACTIVE_FLOOR_ENTRY = fileURLToPath(new URL('./fixtures/empty-reactive-element.js', import.meta.url));

/** The CI budget and the target, in gzip bytes: one place, so they can be lowered as the code shrinks. */
export function readBudget() {
  return JSON.parse(readFileSync(new URL('./budget.json', import.meta.url), 'utf8'));
}

export const gzipBytes = (code) => gzipSync(code, { level: 9 }).length;

/** Raw and gzip -9 sizes of a file. */
export function fileSizes(path) {
  const code = readFileSync(path);
  return { raw: code.length, gzip: gzipBytes(code) };
}

/** The gzip size of the shipped CDN module; throws a plain message when it has not been built. */
export function cdnSizes() {
  try {
    return fileSizes(CDN_MODULE);
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error(`${CDN_MODULE} is missing: run \`npm run build\` first.`);
    throw error;
  }
}

// The CDN bundle's node-resolve and terser plugins, taken from rollup.config.mjs so the floor is always bundled the
// same way (other plugins there, which may write files, are left out). If the config's shape changes: the same
// options as today's config.
async function cdnPlugins() {
  try {
    const configs = (await import(join(ROOT, 'rollup.config.mjs'))).default;
    const list = Array.isArray(configs) ? configs : [configs];
    const cdn = list.find((c) => [c.output].flat().some((o) => o?.file === 'dist/cdn/returning-ai-widget.js'));
    const plugins = (cdn?.plugins ?? []).flat().filter((p) => p && ['node-resolve', 'terser'].includes(p.name));
    if (plugins.length === 2) return { plugins, from: 'rollup.config.mjs' };
  } catch {
    /* fall through */
  }
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const { default: terser } = await import('@rollup/plugin-terser');
  return { plugins: [nodeResolve(), terser({ ecma: 2022, module: true, format: { comments: false } })], from: 'bench/size.mjs defaults' };
}

/**
 * Bundles `input` as an ES module with the CDN bundles' plugins (Lit resolved and inside, unless `external`
 * is given), writes it with a source map like the real build (so the `sourceMappingURL` comment counts
 * for both), and returns its sizes.
 */
export async function bundleSizes(input, { external } = {}) {
  const { rollup } = await import('rollup');
  const { plugins, from } = await cdnPlugins();
  const dir = mkdtempSync(join(tmpdir(), 'rai-bench-size-'));
  try {
    const bundle = await rollup({ input, plugins, external, onwarn: () => {} });
    try {
      await bundle.write({ file: join(dir, 'returning-ai-widget.js'), format: 'es', sourcemap: true });
    } finally {
      await bundle.close();
    }
    return { ...fileSizes(join(dir, 'returning-ai-widget.js')), plugins: from };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lit and its parts, left external for the library-build figure. */
export const litExternal = (id) => /^(lit|lit-html|lit-element|@lit\/reactive-element)(\/|$)/.test(id);
