import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

// The CDN bundles: Lit inside (production build), minified, from the library build in dist/.
const plugins = [nodeResolve(), terser({ ecma: 2022, module: true, format: { comments: false } })];

export default [
  {
    input: 'dist/index.js',
    output: { file: 'dist/cdn/returning-ai-widget.js', format: 'es', sourcemap: true },
    plugins,
  },
  {
    input: 'dist/index.js',
    output: { file: 'dist/cdn/returning-ai-widget.iife.js', format: 'iife', name: 'ReturningAiWidgetElement', sourcemap: true },
    plugins,
  },
];
