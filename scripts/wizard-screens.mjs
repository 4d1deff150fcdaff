#!/usr/bin/env node
// The README's and docs/wizard-screens.md's screens, from the captures the end-to-end tests save at 80x24 in
// test-output/e2e/ (run `npx vitest run test/e2e` first). Blank rows are folded; nothing else is changed.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const captures = path.join(root, 'test-output', 'e2e');

/** [capture, caption, in the README too] in the order a person meets them. */
const SCREENS = [
  ['flow-01-welcome.txt', 'What was found and what will happen; every step on the second row from the start. Long content wraps and scrolls.', true],
  ['flow-02-version.txt', "A SurrealDB 2 store: stay on 2.x or upgrade, with what the upgrade means for Pattern said at the choice."],
  ['wizard-answers-bad-address.txt', 'An answer is checked where it is given, and asked again with the reason.'],
  ['credentials-01-generated-password.txt', 'Tab took a generated root password: shown once, before the server starts with it.'],
  ['flow-04-import.txt', 'The import: records, then each index as it builds, all of it counted in the time left.', true],
  ['flow-05-verified.txt', 'The proof: every table compared record by record (`v` opens it, here before the config question).'],
  ['wizard-scroll-02-y-too-early.txt', 'A config diff longer than the screen: `y` waits until every line has been on screen.'],
  ['flow-07-done.txt', 'The last screen: what changed, where the credentials are, what to run next (it scrolls), and two offers.', true],
  ['wizard-steps-03-declined.txt', 'A declined config change is shown as declined, not done.'],
  ['server-install-done-next.txt', 'A server on disk: the last screen says a reboot stops it, and offers `pattern-db server install`.'],
];

function screen(file) {
  let text;
  try {
    text = readFileSync(path.join(captures, file), 'utf8');
  } catch {
    throw new Error(`No capture ${file} in ${captures}: run \`npx vitest run test/e2e\` first.`);
  }
  const lines = text.split('\n').map((line) => line.trimEnd());
  const folded = lines.filter((line, i) => line !== '' || (i > 0 && lines[i - 1] !== ''));
  while (folded.at(-1) === '') folded.pop();
  return '```text\n' + folded.join('\n') + '\n```\n';
}

const block = (list) => list.map(([file, caption]) => `${caption}\n\n${screen(file)}`).join('\n');

writeFileSync(
  path.join(root, 'docs', 'wizard-screens.md'),
  '# The wizard, screen by screen\n\nCaptured at 80x24 by the end-to-end tests (`test/e2e/`, a real terminal through tmux) and put here by\n`npm run screens`; blank rows are folded. The folders are the tests\' temporary ones.\n\n' + block(SCREENS),
);

const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const begin = '<!-- screens:begin (npm run screens) -->\n';
const end = '<!-- screens:end -->\n';
const from = readme.indexOf(begin);
const to = readme.indexOf(end);
if (from < 0 || to < from) throw new Error(`README.md has no ${begin.trim()} … ${end.trim()} region.`);
writeFileSync(readmePath, readme.slice(0, from + begin.length) + block(SCREENS.filter(([, , inReadme]) => inReadme)) + readme.slice(to));
console.log(`docs/wizard-screens.md: ${SCREENS.length} screens; README.md: ${SCREENS.filter((s) => s[2]).length}`);
