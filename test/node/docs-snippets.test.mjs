// The docs cannot drift from the code they show: every code example in README.md and docs/ is a copy of (a region
// of) a file that a test runs, and this test compares the two.
//
// In Markdown, put the source right before the fence:
//
//     <!-- snippet: test/frameworks/apps/react/main.tsx -->             the whole file
//     <!-- snippet: examples/express/server.mjs#session -->             the lines between `#region session`
//                                                                       and `#endregion` (any comment syntax)
//     <!-- not-a-snippet: the wire format, not code to run -->          an example that is not taken from a file
//
// Every fenced block in a code language (js, ts, tsx, jsx, mjs, vue, html) needs one of the two comments.
// The region markers themselves, and the common indentation of the region, are left out of the comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CODE_LANGUAGES = new Set(['js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'vue', 'html']);
const MARKER = /^<!--\s*(snippet|not-a-snippet):\s*(.+?)\s*-->$/;
const REGION = /#(end)?region\b\s*(\S*)/;

function markdownFiles() {
  const files = ['README.md'];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  if (existsSync('docs')) walk('docs');
  return files;
}

/** The fenced blocks of a Markdown file, each with the marker comment on the line before it (if any). */
function codeBlocks(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(\S*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, language] = open;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !lines[i].startsWith(`${indent}${fence}`); i++) body.push(lines[i].slice(indent.length));
    let previous = start - 1;
    while (previous >= 0 && lines[previous].trim() === '') previous--;
    const marker = MARKER.exec(lines[previous]?.trim() ?? '');
    blocks.push({ file, line: start + 1, language, body: body.join('\n'), marker: marker && { kind: marker[1], value: marker[2] } });
  }
  return blocks;
}

const dedent = (lines) => {
  const width = Math.min(...lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)[0].length));
  return lines.map((line) => line.slice(Number.isFinite(width) ? width : 0));
};

/** The text a snippet marker points at: a whole file, or one region of it, without the region markers. */
function source(reference) {
  const [path, region] = reference.split('#');
  assert.ok(existsSync(path), `${path} does not exist`);
  const lines = readFileSync(path, 'utf8').replace(/\n$/, '').split('\n');
  if (!region) return lines.filter((line) => !REGION.test(line)).join('\n');
  const start = lines.findIndex((line) => REGION.exec(line)?.[1] === undefined && REGION.exec(line)?.[2] === region);
  assert.ok(start >= 0, `${path} has no #region ${region}`);
  const end = lines.findIndex((line, index) => index > start && REGION.exec(line)?.[1] === 'end');
  assert.ok(end > start, `${path}: #region ${region} has no #endregion`);
  return dedent(lines.slice(start + 1, end).filter((line) => !REGION.test(line))).join('\n');
}

const blocks = markdownFiles().flatMap(codeBlocks);

test('every code example in the docs says where it comes from', () => {
  const unmarked = blocks.filter((block) => CODE_LANGUAGES.has(block.language) && !block.marker).map((block) => `${block.file}:${block.line}`);
  assert.deepEqual(unmarked, [], 'add <!-- snippet: path#region --> (or <!-- not-a-snippet: why -->) before these blocks');
});

test('every snippet matches the tested file it names', () => {
  const snippets = blocks.filter((block) => block.marker?.kind === 'snippet');
  for (const block of snippets) {
    assert.equal(block.body.replace(/\s+$/, ''), source(block.marker.value).replace(/\s+$/, ''), `${block.file}:${block.line} differs from ${block.marker.value}`);
  }
});
