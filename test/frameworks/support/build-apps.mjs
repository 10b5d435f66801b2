// Bundles the framework apps under apps/ with esbuild, as an app's own bundler would: the package is imported by
// its name (resolved through package.json `exports` to dist/), the frameworks' production builds, and for Vue
// a single-file-component step that passes the compiler option the README documents (isCustomElement).
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { compileScript, parse } from 'vue/compiler-sfc';

const APPS = fileURLToPath(new URL('../apps/', import.meta.url));

/** What @vitejs/plugin-vue does with `vue({ template: { compilerOptions: { isCustomElement } } })`, in brief. */
const vueSingleFileComponents = {
  name: 'vue-sfc',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.vue$/ }, async ({ path }) => {
      const { descriptor, errors } = parse(await readFile(path, 'utf8'), { filename: path });
      if (errors.length) return { errors: errors.map((error) => ({ text: String(error.message ?? error) })) };
      const script = compileScript(descriptor, {
        id: 'app',
        inlineTemplate: true,
        templateOptions: { compilerOptions: { isCustomElement: (tag) => tag === 'returning-ai-widget' } },
      });
      return { contents: script.content, loader: 'ts', resolveDir: dirname(path) };
    });
  },
};

/**
 * The apps, each with its entry. The React component apps are development builds, where StrictMode mounts every
 * component twice; the React 18 app has `react` and `react-dom` mapped to React 18 (npm aliases in package.json).
 */
const BUILDS = {
  vue: { entry: 'vue/main.ts' },
  react: { entry: 'react/main.tsx' },
  'react-19': { entry: 'react-19/main.tsx', development: true },
  'react-18': { entry: 'react-18/main.tsx', development: true, alias: { react: 'react-18', 'react-dom': 'react-dom-18' } },
  angular: { entry: 'angular/main.ts' },
};

/** Bundles each app into `outdir/<app>/main.js`. */
export async function buildApps(outdir) {
  await Promise.all(
    Object.entries(BUILDS).map(([app, { entry, development = false, alias }]) =>
      build({
        entryPoints: [`${APPS}${entry}`],
        outfile: `${outdir}/${app}/main.js`,
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        jsx: 'automatic',
        tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
        plugins: [vueSingleFileComponents],
        alias,
        define: {
          'process.env.NODE_ENV': development ? '"development"' : '"production"',
          __VUE_OPTIONS_API__: 'false',
          __VUE_PROD_DEVTOOLS__: 'false',
          __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
        },
        logLevel: 'silent',
      }),
    ),
  );
}
