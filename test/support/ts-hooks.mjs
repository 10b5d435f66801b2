// Node module hooks that let Node's test runner import the TypeScript sources directly: `./x.js` resolves to
// `./x.ts` when only the .ts exists (as TypeScript's NodeNext imports are written), and .ts is compiled by esbuild.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = await readFile(fileURLToPath(url), 'utf8');
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'es2022', sourcemap: 'inline', sourcefile: fileURLToPath(url) });
  return { format: 'module', source: code, shortCircuit: true };
}
