import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

// The CDN bundles: the library build in dist/, self-contained and minified.
// The classic script must keep its top-level `var ReturningAiWidgetElement`: terser's `module` option would
// treat the file as a module and drop that global, so only the ES module build is minified as a module.
// Two compress passes: 37 B less gzip than one, at no risk (the `unsafe` options save 10 B more, not worth it).
const minify = (module) => terser({ ecma: 2022, module, compress: { passes: 2 }, format: { comments: false } });

export default [
  {
    input: 'dist/index.js',
    output: { file: 'dist/cdn/returning-ai-widget.js', format: 'es', sourcemap: true },
    plugins: [nodeResolve(), minify(true)],
  },
  {
    input: 'dist/index.js',
    output: { file: 'dist/cdn/returning-ai-widget.iife.js', format: 'iife', name: 'ReturningAiWidgetElement', sourcemap: true },
    plugins: [nodeResolve(), minify(false)],
  },
];
