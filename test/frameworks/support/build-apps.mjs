// Builds the framework apps under apps/. Most are bundled with esbuild, as an app's own bundler would: the package
// is imported by its name (resolved through package.json `exports` to dist/), the frameworks' production builds,
// and for Vue a single-file-component step that passes the compiler option the docs give (isCustomElement).
// The Angular app is built by its own CLI, ahead of time (`ng build`), at the same time.
import { execFile } from 'node:child_process';
import { readFile, rename, rm } from 'node:fs/promises';
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
        // #region is-custom-element
        templateOptions: { compilerOptions: { isCustomElement: (tag) => tag === 'returning-ai-widget' } },
        // #endregion is-custom-element
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
};

/**
 * Runs a build tool to completion, or rejects with its output. The timeout matters: a failed `ng build` can
 * print its error and then never exit.
 */
export function runTool(command, args, { cwd, env, timeout }) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, timeout, killSignal: 'SIGKILL', maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${[command, ...args].join(' ')} failed (${error.signal ?? error.code}):\n${stdout}${stderr}`)) : resolve(stdout),
    );
  });
}

/** `ng build` of apps/angular into `outdir/angular/` (the CLI puts the browser files in a `browser/` folder). */
async function buildAngular(outdir) {
  const ng = fileURLToPath(new URL('../../../node_modules/@angular/cli/bin/ng.js', import.meta.url));
  await runTool(process.execPath, [ng, 'build', '--output-path', `${outdir}/angular-cli`], {
    cwd: `${APPS}angular`,
    env: { NG_CLI_ANALYTICS: 'false' },
    timeout: 180_000,
  });
  await rename(`${outdir}/angular-cli/browser`, `${outdir}/angular`);
  await rm(`${outdir}/angular-cli`, { recursive: true });
}

/** Builds each app into `outdir/<app>/`: `main.js` for the bundled ones, the whole page for Angular's. */
export async function buildApps(outdir) {
  await Promise.all([
    buildAngular(outdir),
    ...Object.entries(BUILDS).map(([app, { entry, development = false, alias }]) =>
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
  ]);
}
