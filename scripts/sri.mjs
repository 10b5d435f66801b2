// `npm run sri`: the CDN <script> tags for this version, with Subresource Integrity hashes of the built files.
// A hash belongs to one file of one version: run it again (after `npm run build`) for every release.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const integrity = (file) => `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
const url = (file) => `https://cdn.jsdelivr.net/npm/${name}@${version}/${file}`;

for (const [file, type] of [
  ['dist/cdn/returning-ai-widget.js', ' type="module"'],
  ['dist/cdn/returning-ai-widget.iife.js', ''],
]) {
  console.log(`<script${type} src="${url(file)}"\n        integrity="${integrity(file)}" crossorigin="anonymous"></script>`);
}
