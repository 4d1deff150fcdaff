import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { QueryOutcome } from '../../src/core/inspect-types.js';
import { KEYS, renderInspector } from './inspect-fake.js';
import { KEY } from './render.js';

afterEach(cleanup);

const legend = (frame: string) => frame.trimEnd().split('\n').slice(-2).join(' ');

const answers: Record<string, QueryOutcome> = {
  'DELETE msg': {
    kind: 'refused',
    statement: 'DELETE msg',
    keyword: 'DELETE',
    error: {
      code: 'E_READ_ONLY',
      message: 'Not run: statement 1 is refused because DELETE changes data or definitions. The inspector is read-only.',
      fix: 'To allow statements that change data, open the inspector with --write (it asks before each one).',
    },
  },
  'CREATE note SET a = 1': { kind: 'confirm', statement: 'CREATE note SET a = 1', keyword: 'CREATE', reachesLive: false },
  'SELEC x': {
    kind: 'failed',
    elapsedMs: 3.2,
    error: { code: 'E_STATEMENT', message: 'Parse error: Unexpected token `an identifier`, expected Eof\n --> [1:7]\n  |\n1 | SELEC x\n  |       ^' },
  },
  'INFO FOR DB': {
    kind: 'done',
    elapsedMs: 2,
    statements: [
      { status: 'OK', text: 'INFO FOR DB', time: '90µs', result: { type: 'object', fields: [['analyzers', { type: 'object', fields: [['a1', { type: 'string', text: 'DEFINE ANALYZER a1' }]] }]] } },
    ],
  },
  'SELECT * FROM nope; RETURN 1': {
    kind: 'done',
    elapsedMs: 2,
    statements: [
      { status: 'ERR', text: 'SELECT * FROM nope', error: "The table 'nope' does not exist", time: '50µs' },
      { status: 'OK', text: 'RETURN 1', result: { type: 'number', text: '1' }, time: '10µs' },
    ],
  },
};

async function openConsole(options: Parameters<typeof renderInspector>[0] = {}) {
  const app = await renderInspector({ answers, ...options });
  await app.waitForText('100,000');
  await app.press('c');
  await app.waitForText('SurrealQL in pattern/pattern');
  return app;
}

async function run(app: Awaited<ReturnType<typeof openConsole>>, text: string) {
  await app.type(text);
  await app.press(KEYS.ctrlD);
}

it('takes several lines (enter adds a line), runs them with ctrl-d, and shows flat rows as a table with timing', async () => {
  const app = await openConsole();
  expect(legend(app.frame())).toContain('ctrl-d run · enter new line · ↑/↓ history');
  await app.type('SELECT n, name');
  await app.press(KEY.enter);
  await app.type('FROM msg LIMIT 1');
  await app.waitFor(() => expect(app.frame()).toMatch(/› SELECT n, name\n\s+FROM msg LIMIT 1/));
  // Letters go to the input: q does not quit here.
  await app.type(' q');
  await app.press(KEY.backspace);
  await app.press(KEY.backspace);
  await app.press(KEYS.ctrlD);
  await app.waitForText('1 statement in 1.5 ms');
  expect(app.frame()).toMatch(/\[1\] OK\s+120µs\s+SELECT n, name FROM msg LIMIT 1/);
  expect(app.frame()).toMatch(/n\s+name\n\s+─+\s+─+\n\s+1\s+"one"/);
  expect(app.calls.queries).toEqual([{ text: 'SELECT n, name\nFROM msg LIMIT 1', confirmed: false, selection: { namespace: 'pattern', database: 'pattern' } }]);
  expect(app.history.appended).toEqual(['SELECT n, name\nFROM msg LIMIT 1']);
});

it('a result that is not flat rows is shown as a tree; a failed statement shows the server text', async () => {
  const app = await openConsole();
  await run(app, 'INFO FOR DB');
  await app.waitForText('analyzers:');
  expect(app.frame()).toMatch(/analyzers:\n\s+a1: "DEFINE ANALYZER a1"/);
  await run(app, 'SELECT * FROM nope; RETURN 1');
  await app.waitForText('2 statements in 2.0 ms  1 failed');
  expect(app.frame()).toMatch(/\[1\] ERR\s+50µs\s+SELECT \* FROM nope\n\s+The table 'nope' does not exist/);
  expect(app.frame()).toMatch(/\[2\] OK\s+10µs\s+RETURN 1\n\s+1/);
});

it('a bad query shows the error in the server\'s own words', async () => {
  const app = await openConsole();
  await run(app, 'SELEC x');
  await app.waitForText('The query failed after 3.2 ms (E_STATEMENT)');
  expect(app.frame()).toContain('Parse error: Unexpected token `an identifier`, expected Eof');
  expect(app.frame()).toContain('1 | SELEC x');
});

it('read-only: a statement that changes data is refused with the way to allow it', async () => {
  const app = await openConsole();
  await run(app, 'DELETE msg');
  await app.waitForText('Refused (E_READ_ONLY)');
  expect(app.frame()).toMatch(/refused because DELETE changes data/);
  expect(app.frame()).toMatch(/open the inspector with\s+--write/);
  expect(app.calls.queries.every((q) => !q.confirmed)).toBe(true);
});

it('with --write it asks first: n leaves it unrun, y runs it', async () => {
  const app = await openConsole({ writable: true, snapshot: true });
  expect(app.frame()).toContain('SurrealQL in pattern/pattern · --write, asks first (snapshot copy)');
  await run(app, 'CREATE note SET a = 1');
  await app.waitForText('This statement changes data (CREATE):');
  expect(app.frame()).toContain('It runs on the snapshot copy; the store Pattern uses is never changed.');
  expect(app.frame().trimEnd().split('\n').at(-1)).toBe('y run it · n do not run');
  await app.press('n');
  await app.waitForText('Not run.');
  expect(app.calls.queries.filter((q) => q.confirmed)).toHaveLength(0);
  await run(app, 'CREATE note SET a = 1');
  await app.waitForText('This statement changes data (CREATE):');
  await app.press('y');
  await app.waitForText('1 statement in 1.5 ms');
  expect(app.calls.queries.map((q) => q.confirmed)).toEqual([false, false, true]);
  // Asked once per run, recorded once.
  expect(app.history.appended).toEqual(['CREATE note SET a = 1', 'CREATE note SET a = 1']);
});

it('↑ and ↓ walk the history (kept across sessions) while the input is empty or shows a recalled entry', async () => {
  const app = await openConsole({ history: ['SELECT * FROM agent', 'INFO FOR DB'] });
  expect(app.frame()).toContain('2 in history');
  await app.press(KEY.up);
  await app.waitForText('› INFO FOR DB');
  await app.press(KEY.up);
  await app.waitForText('› SELECT * FROM agent');
  await app.press(KEY.up);
  await app.waitForText('› SELECT * FROM agent');
  await app.press(KEY.down);
  await app.waitForText('› INFO FOR DB');
  await app.press(KEY.down);
  await app.waitForText('SurrealQL here');
  // Once the user types, the arrows leave the input alone.
  await app.type('RETURN 2');
  await app.press(KEY.up);
  expect(app.frame()).toContain('› RETURN 2');
  await app.press(KEYS.ctrlD);
  await app.waitForText('1 statement');
  await app.press(KEY.up);
  await app.waitForText('› RETURN 2');
});

it('esc goes back to the tree and keeps what was typed', async () => {
  const app = await openConsole();
  await app.type('SELECT 1');
  await app.press(KEYS.escape);
  await app.waitForText('namespaces › databases › tables');
  await app.press('c');
  await app.waitForText('› SELECT 1');
});
