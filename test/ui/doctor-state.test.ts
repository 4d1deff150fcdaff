import { expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/doctor-model.js';
import { doctorLines, visibleWindow } from '../../src/ui/doctor/doctor-lines.js';
import { doctorReducer, initialDoctorState } from '../../src/ui/doctor/doctor-state.js';

const checks = [
  { id: 'a', group: 'config' as const, title: 'A' },
  { id: 'b', group: 'server' as const, title: 'B' },
];
const failed: CheckResult = { id: 'b', group: 'server', title: 'B', status: 'fail', code: 'E_AUTH', message: 'refused', ms: 1, evidence: ['401'], fix: 'fix it' };

it('a run marks its checks running; results arrive one by one; a failure opens by itself', () => {
  let state = doctorReducer(initialDoctorState(checks), { type: 'runStarted', ids: ['a', 'b'] });
  expect(state.idle).toBe(false);
  state = doctorReducer(state, { type: 'result', result: failed });
  expect(state.running).toEqual(['a']);
  expect(state.expanded).toEqual(['b']);
  state = doctorReducer(state, { type: 'runFinished' });
  expect(state).toMatchObject({ idle: true, running: [] });
});

it('the cursor stays on the list', () => {
  let state = initialDoctorState(checks);
  state = doctorReducer(state, { type: 'move', by: -3 });
  expect(state.cursor).toBe(0);
  state = doctorReducer(state, { type: 'move', by: 10 });
  expect(state.cursor).toBe(1);
});

it('lines: a heading per group, a line per check, details only when open', () => {
  const state = doctorReducer(initialDoctorState(checks), { type: 'result', result: failed });
  expect(doctorLines(state, 80).map((l) => [l.kind, l.text])).toEqual([
    ['heading', 'Configuration'],
    ['check', 'A: '],
    ['heading', 'Server'],
    ['check', 'B: refused [E_AUTH]'],
    ['evidence', '401'],
    ['fix', 'fix: fix it'],
  ]);
});

it('the window keeps the selected check and its details in view', () => {
  const lines = Array.from({ length: 30 }, (_, i) => ({ key: String(i), kind: 'check' as const, text: `c${i}`, check: i }));
  expect(visibleWindow(lines, 0, 10)).toMatchObject({ above: 0, below: 20 });
  const end = visibleWindow(lines, 29, 10);
  expect(end.shown.at(-1)?.text).toBe('c29');
  expect(end).toMatchObject({ above: 20, below: 0 });
  const middle = visibleWindow(lines, 15, 10);
  expect(middle.shown.map((l) => l.text)).toContain('c15');
});
