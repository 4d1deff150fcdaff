#!/usr/bin/env node
// The house rules of docs/architecture.md, checked: which room may import which, and no import circles.
import fs from 'node:fs';
import path from 'node:path';

const src = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'src');
const MAY_IMPORT = {
  core: ['core'],
  files: ['core', 'files'],
  surreal: ['core', 'files', 'surreal'],
  render: ['core', 'render'],
  ui: ['core', 'render', 'ui'],
  steps: ['core', 'files', 'surreal', 'steps'],
  'runner.ts': ['core', 'files', 'steps'],
  ops: ['core', 'files', 'surreal', 'steps', 'runner.ts', 'ops'],
  fixture: ['core', 'files', 'surreal', 'fixture'],
};
/** Rooms whose types (and nothing else) a room may also import: the UI shows what steps return. */
const MAY_IMPORT_TYPES = { ui: ['steps'] };

const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (/\.tsx?$/.test(entry.name)) files.push(full);
  }
})(src);

const room = (file) => path.relative(src, file).split(path.sep)[0];
const graph = new Map();
for (const file of files) {
  const deps = [];
  for (const match of fs.readFileSync(file, 'utf8').matchAll(/(import type|import|export)[^'";]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const base = path.resolve(path.dirname(file), match[2]).replace(/\.js$/, '');
    const target = ['.ts', '.tsx'].map((ext) => base + ext).find((candidate) => fs.existsSync(candidate));
    if (target) deps.push({ target, typeOnly: match[1] === 'import type' });
  }
  graph.set(file, deps);
}

const problems = [];
for (const [file, deps] of graph) {
  const allowed = MAY_IMPORT[room(file)];
  if (!allowed) continue;
  const types = MAY_IMPORT_TYPES[room(file)] ?? [];
  for (const { target, typeOnly } of deps) {
    if (allowed.includes(room(target)) || (typeOnly && types.includes(room(target)))) continue;
    problems.push(`${path.relative(src, file)} imports ${path.relative(src, target)} (${room(file)} may import ${allowed.join(', ')})`);
  }
}

// Tarjan's strongly connected components: every component of more than one file is a circle.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function visit(file) {
  index.set(file, counter);
  low.set(file, counter++);
  stack.push(file);
  onStack.add(file);
  for (const { target: dep } of graph.get(file) ?? []) {
    if (!index.has(dep)) {
      visit(dep);
      low.set(file, Math.min(low.get(file), low.get(dep)));
    } else if (onStack.has(dep)) low.set(file, Math.min(low.get(file), index.get(dep)));
  }
  if (low.get(file) !== index.get(file)) return;
  const circle = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    circle.push(path.relative(src, member));
  } while (member !== file);
  if (circle.length > 1) problems.push(`import circle: ${circle.join(' → ')}`);
}
for (const file of graph.keys()) if (!index.has(file)) visit(file);

for (const problem of problems) console.error(problem);
console.log(`imports: ${files.length} files, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
