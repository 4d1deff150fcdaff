import { describe, expect, it } from 'vitest';
import type { PatternDbEvent } from '../../src/core/events.js';
import type { WizardInput } from '../../src/ui/contract.js';
import { availableKeys, commandForKey } from '../../src/ui/keys.js';
import { layoutFor } from '../../src/ui/layout.js';
import type { CheckResult } from '../../src/core/doctor-model.js';
import { checklist, rootWarning, shownDiagnostics } from '../../src/ui/selectors.js';
import { initialWizardState, MAX_LOG_LINES, reduceWizard, type UiAction, type WizardState } from '../../src/ui/wizard-state.js';

const event = (e: PatternDbEvent): WizardInput => ({ type: 'event', event: e });

/** Feeds inputs with explicit times: [input, at] pairs or inputs at time 0. */
function run(inputs: Array<WizardInput | UiAction | [WizardInput | UiAction, number]>, start = initialWizardState(80, 24)): WizardState {
  return inputs.reduce<WizardState>((state, item) => (Array.isArray(item) ? reduceWizard(state, item[0], item[1]) : reduceWizard(state, item, 0)), start);
}

const keysOf = (state: WizardState) => availableKeys(state).flatMap((h) => h.keys);

describe('reduceWizard', () => {
  it('computes rate and time left from the times progress arrived', () => {
    const progress = (done: number, at: number): [WizardInput, number] => [
      event({ type: 'progress', step: 'import', done, total: 10_000, unit: 'records', label: 'message' }),
      at,
    ];
    const state = run([progress(0, 1_000), progress(1_000, 2_000), progress(2_000, 3_000)]);
    const view = state.progress.import!;
    expect(view.done).toBe(2_000);
    expect(view.rate).toBeCloseTo(1_000); // 2,000 records in 2 s
    expect(view.secondsLeft).toBeCloseTo(8); // 8,000 left at 1,000/s
    expect(view.label).toBe('message');
  });

  it('measures the rate over a recent window, so a slowdown shows', () => {
    const inputs: Array<[WizardInput, number]> = [];
    for (let s = 0; s <= 20; s += 1) {
      // 1,000 records a second for 10 s, then 100 a second.
      const done = s <= 10 ? s * 1_000 : 10_000 + (s - 10) * 100;
      inputs.push([event({ type: 'progress', step: 'import', done, total: 100_000, unit: 'records' }), s * 1_000]);
    }
    const view = run(inputs).progress.import!;
    expect(view.rate).toBeCloseTo(100, 0);
    expect(view.samples.length).toBeLessThanOrEqual(12);
  });

  it('gives no rate before half a second has passed, and starts over when the unit changes', () => {
    let state = run([
      [event({ type: 'progress', step: 'export', done: 0, unit: 'bytes' }), 0],
      [event({ type: 'progress', step: 'export', done: 100, unit: 'bytes' }), 100],
    ]);
    expect(state.progress.export!.rate).toBeUndefined();
    state = run([[event({ type: 'progress', step: 'export', done: 5, total: 10, unit: 'records' }), 5_000]], state);
    expect(state.progress.export).toMatchObject({ done: 5, unit: 'records', samples: [{ at: 5_000, done: 5 }] });
    expect(state.progress.export!.rate).toBeUndefined();
  });

  it('keeps only the last lines of each step', () => {
    const lines = Array.from({ length: MAX_LOG_LINES + 50 }, (_, i) => event({ type: 'log', step: 'server', stream: 'stdout', line: `line ${i}` }));
    const state = run([...lines, event({ type: 'log', step: 'import', stream: 'stderr', line: 'other' })]);
    expect(state.logs.server).toHaveLength(MAX_LOG_LINES);
    expect(state.logs.server!.at(-1)!.line).toBe(`line ${MAX_LOG_LINES + 49}`);
    expect(state.logs.server![0]!.line).toBe('line 50');
    expect(state.logs.import).toEqual([{ stream: 'stderr', line: 'other' }]);
  });

  it('keeps log lines printable: no colour codes, tabs or carriage returns', () => {
    const state = run([event({ type: 'log', step: 'server', stream: 'stdout', line: '\u001B[32mINFO\u001B[0m\tready\r' })]);
    expect(state.logs.server![0]!.line).toBe('INFO  ready');
  });

  it('lists steps in the order they were first reported and updates them in place', () => {
    const state = run([
      event({ type: 'status', step: 'preflight', state: 'running' }),
      event({ type: 'status', step: 'export', state: 'skipped', message: 'done in an earlier run' }),
      event({ type: 'status', step: 'preflight', state: 'done' }),
      event({ type: 'status', step: 'server', state: 'running' }),
    ]);
    expect(state.steps).toEqual([
      { name: 'preflight', state: 'done' },
      { name: 'export', state: 'skipped', message: 'done in an earlier run' },
      { name: 'server', state: 'running' },
    ]);
  });

  it('a fresh plan drops the marks an earlier run left (Start over); a plan keeps those of steps it still holds', () => {
    let state = run([{ type: 'plan', steps: ['preflight', 'export', 'import'] }, event({ type: 'status', step: 'export', state: 'done' })]);
    state = run([{ type: 'plan', steps: ['preflight', 'export', 'import', 'verify'] }], state);
    expect(state.steps.map((s) => `${s.name} ${s.state}`)).toEqual(['preflight waiting', 'export done', 'import waiting', 'verify waiting']);
    state = run([{ type: 'plan', steps: ['preflight', 'export', 'import'], fresh: true }], state);
    expect(state.steps.map((s) => `${s.name} ${s.state}`)).toEqual(['preflight waiting', 'export waiting', 'import waiting']);
  });

  it('holds one prompt at a time, with its draft, until it is answered', () => {
    let state = run([{ type: 'prompt', prompt: { kind: 'text', id: 'target.namespace', question: 'Namespace?', defaultValue: 'pattern' } }]);
    expect(state.prompt).toMatchObject({ draft: 'pattern', seq: 1 });
    state = run([{ type: 'prompt', prompt: { kind: 'password', id: 'target.password', question: 'Password?', warnIfRoot: true } }], state);
    expect(state.prompt).toMatchObject({ spec: { id: 'target.password' }, draft: '', seq: 2 });
    state = run([{ type: 'editPrompt', id: 'other', value: 'x' }], state);
    expect(state.prompt!.draft).toBe('');
    state = run([{ type: 'editPrompt', id: 'target.password', value: 'root' }], state);
    expect(rootWarning(state)).toMatch(/root is the first password/);
    state = run([{ type: 'promptAnswered', id: 'target.password' }], state);
    expect(state.prompt).toBeUndefined();
    expect(rootWarning(state)).toBeUndefined();
  });

  it('drops a pending prompt when the run fails or ends', () => {
    const asked: WizardInput = { type: 'prompt', prompt: { kind: 'confirm', id: 'config.write', question: 'Write?' } };
    expect(run([asked, { type: 'failed', error: { code: 'E_AUTH', message: 'no' }, canRetry: true }]).prompt).toBeUndefined();
    expect(run([asked, { type: 'done', summary: { lines: [], nextCommands: [], production: [] }, exitCode: 0 }]).prompt).toBeUndefined();
  });

  it('keeps preflight checks as the checklist and refreshes them when the step runs again', () => {
    const check = (code: string, level: 'info' | 'warn' | 'error') => event({ type: 'diagnostic', step: 'preflight', level, code, message: code });
    let state = run([
      event({ type: 'status', step: 'preflight', state: 'running' }),
      check('I_CONFIG', 'info'),
      check('W_DRIVER_SDK', 'warn'),
      event({ type: 'diagnostic', step: 'export', level: 'warn', code: 'W_SLOW', message: 'slow disk' }),
    ]);
    expect(checklist(state).map((d) => d.code)).toEqual(['I_CONFIG', 'W_DRIVER_SDK']);
    state = run([event({ type: 'status', step: 'preflight', state: 'running' }), check('I_CONFIG', 'info')], state);
    expect(checklist(state).map((d) => d.code)).toEqual(['I_CONFIG']);
    expect(state.diagnostics.map((d) => d.code)).toContain('W_SLOW');
  });

  it('shows errors before warnings and leaves out what the current panel shows', () => {
    const state = run([
      { type: 'phase', phase: 'prerequisites' },
      event({ type: 'diagnostic', step: 'preflight', level: 'warn', code: 'W_OTHER_DATABASES', message: 'a' }),
      event({ type: 'diagnostic', step: 'export', level: 'warn', code: 'W_X', message: 'b' }),
      event({ type: 'diagnostic', level: 'error', code: 'E_Y', message: 'c' }),
      event({ type: 'diagnostic', level: 'info', code: 'I_Z', message: 'd' }),
    ]);
    expect(shownDiagnostics(state).map((d) => d.code)).toEqual(['E_Y', 'W_X']);
    expect(shownDiagnostics(run([{ type: 'phase', phase: 'import' }], state)).map((d) => d.code)).toEqual(['E_Y', 'W_OTHER_DATABASES', 'W_X']);
  });

  it("leaves out what the failure's diagnosis already shows (the doctor's finding, with its fix)", () => {
    const tls = event({ type: 'diagnostic', step: 'preflight', level: 'warn', code: 'W_NO_TLS', message: 'http:// is not encrypted' });
    const failed = run([tls, event({ type: 'diagnostic', step: 'import', level: 'warn', code: 'W_X', message: 'b' }), { type: 'failed', error: { code: 'E_HOST_NOT_FOUND', message: 'no such host' }, canRetry: true }]);
    expect(shownDiagnostics(failed).map((d) => d.code)).toEqual(['W_NO_TLS', 'W_X']);
    const finding = { id: 'server.address', group: 'server', title: 'Server address and TLS', ms: 1, status: 'warn', code: 'W_NO_TLS', message: 'http:// is not encrypted' } as unknown as CheckResult;
    const diagnosed = run([{ type: 'diagnosis', results: [finding], running: false }], failed);
    expect(shownDiagnostics(diagnosed).map((d) => d.code)).toEqual(['W_X']);
  });

  it('pins no warning that was shown where its choice was made (the route, at its question or on the welcome screen)', () => {
    const sdk = event({ type: 'diagnostic', step: 'preflight', level: 'warn', code: 'W_PATTERN_SDK', message: 'Pattern releases … refuse 3.x servers' });
    const later = [{ type: 'phase', phase: 'import' } as const, sdk, event({ type: 'diagnostic', step: 'export', level: 'warn', code: 'W_X', message: 'b' })];
    const question: WizardInput = { type: 'prompt', prompt: { kind: 'select', id: 'target.version', question: 'Which?', choices: [], warning: { code: 'W_PATTERN_SDK', message: 'SurrealDB 3: …' } } };
    const asked = run([question, { type: 'promptAnswered', id: 'target.version' }, ...later]);
    expect(shownDiagnostics(asked).map((d) => d.code)).toEqual(['W_X']);
    expect(shownDiagnostics(run([{ type: 'phase', phase: 'done' }], asked)).map((d) => d.code)).toEqual(['W_X']);
    const welcomed = run([{ type: 'facts', facts: { tables: [], engine: 'e', exportFile: 'f', willChange: [], untouched: [], routeWarning: { code: 'W_PATTERN_SDK', message: '…' } } }, ...later]);
    expect(shownDiagnostics(welcomed).map((d) => d.code)).toEqual(['W_X']);
    // Decided where no choice showed it (an existing server named by flags): it stays pinned.
    expect(shownDiagnostics(run(later)).map((d) => d.code)).toEqual(['W_PATTERN_SDK', 'W_X']);
  });

  it('stores results by step and clears a failure when the controller moves on after retry', () => {
    let state = run([
      { type: 'result', step: 'server', result: { url: 'http://127.0.0.1:8000', pid: 1, storage: 's', logFile: 'l', version: '3.0.5' } },
      { type: 'failed', error: { code: 'E_AUTH', message: 'no', evidence: 'HTTP 401' }, canRetry: true },
      { type: 'toggleDiagnosis' },
    ]);
    expect(state.results.server?.version).toBe('3.0.5');
    expect(state).toMatchObject({ phase: 'failed', diagnosisExpanded: true });
    state = run([{ type: 'requested', request: 'retry' }, { type: 'phase', phase: 'import' }], state);
    expect(state).toMatchObject({ phase: 'import', failure: undefined, diagnosisExpanded: false, request: undefined });
  });

  it('toggles logs and help, and follows the terminal size', () => {
    const state = run([{ type: 'toggleLogs' }, { type: 'toggleHelp' }, { type: 'toggleHelp' }, { type: 'resize', columns: 120, rows: 50 }]);
    expect(state).toMatchObject({ showLogs: true, showHelp: false, columns: 120, rows: 50 });
  });
});

describe('availableKeys', () => {
  it('offers output, help and cancel while a step runs', () => {
    const state = run([{ type: 'phase', phase: 'import' }]);
    expect(keysOf(state)).toEqual(['l', '?', 'q', 'ctrl-c']);
    expect(commandForKey(state, 'q')).toBe('cancel');
    expect(commandForKey(state, 'r')).toBeUndefined();
  });

  it('leaves letters to a text or password input', () => {
    const state = run([{ type: 'prompt', prompt: { kind: 'password', id: 'target.password', question: 'Password?', generated: 'abc' } }]);
    expect(keysOf(state)).toEqual(['enter', 'tab', 'ctrl-c']);
    expect(commandForKey(state, 'l')).toBeUndefined();
    expect(commandForKey(state, 'q')).toBeUndefined();
    expect(commandForKey(state, 'tab')).toBe('useGenerated');
    expect(commandForKey(state, 'ctrl-c')).toBe('cancel');
  });

  it('names the input keys of select and confirm prompts next to the global ones', () => {
    const select = run([{ type: 'prompt', prompt: { kind: 'select', id: 'resume', question: '?', choices: [{ label: 'a', value: 'a' }] } }]);
    expect(keysOf(select)).toEqual(['↑', '↓', 'enter', 'l', '?', 'q', 'ctrl-c']);
    const confirm = run([{ type: 'prompt', prompt: { kind: 'confirm', id: 'start', question: '?', defaultYes: true } }]);
    expect(availableKeys(confirm).slice(0, 2)).toEqual([
      { keys: ['y', 'n'], label: 'yes/no' },
      { keys: ['enter'], label: 'yes', rank: 2 },
    ]);
  });

  it('offers retry, details and quit after a failure, and only quit-like keys when done', () => {
    const failed = run([{ type: 'failed', error: { code: 'E_AUTH', message: 'no', evidence: 'HTTP 401' }, canRetry: true }]);
    expect(keysOf(failed)).toEqual(['r', 'd', 'l', '?', 'q', 'ctrl-c']);
    expect(commandForKey(failed, 'q')).toBe('quit');
    expect(commandForKey(failed, 'ctrl-c')).toBe('quit');
    const noRetry = run([{ type: 'failed', error: { code: 'E_INTERNAL', message: 'bug' }, canRetry: false }]);
    expect(keysOf(noRetry)).toEqual(['l', '?', 'q', 'ctrl-c']);
    const retrying = run([{ type: 'requested', request: 'retry' }], failed);
    expect(commandForKey(retrying, 'r')).toBeUndefined();
    const done = run([{ type: 'done', summary: { lines: [], nextCommands: [], production: [] }, exitCode: 0 }]);
    expect(commandForKey(done, 'q')).toBe('quit');
    expect(commandForKey(done, 'd')).toBeUndefined();
  });
});

describe('layoutFor', () => {
  it('fits the chrome, panel, prompt and log box into the terminal height', () => {
    const state = run([{ type: 'phase', phase: 'config' }, { type: 'toggleLogs' }, { type: 'prompt', prompt: { kind: 'confirm', id: 'x', question: '?' } }]);
    const layout = layoutFor(state);
    expect(layout.height).toBe(23);
    expect(4 + layout.diagnosticRows + layout.promptRows + layout.logRows + layout.contentRows).toBeLessThanOrEqual(23);
    const tall = layoutFor(run([{ type: 'resize', columns: 120, rows: 60 }], state));
    expect(tall.logRows).toBeGreaterThan(layout.logRows);
    expect(tall.contentRows).toBeGreaterThan(layout.contentRows);
  });
});
