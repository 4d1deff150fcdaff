import { describe, expect, it } from 'vitest';
import { assertAnswerable, unansweredQuestions } from '../../src/commands/non-interactive.js';
import { DEFAULTS, type RunOptions } from '../../src/core/options.js';

const base: RunOptions = { ...DEFAULTS, cwd: '/x', yes: false, dryRun: false, resume: false, writeEnv: false };

describe('what a run without a terminal must be told up front', () => {
  it('lists every flag a bare migrate needs', () => {
    expect(unansweredQuestions('migrate', base).map((r) => r.answer)).toEqual(['--yes', '--target URL or --start-server memory|surrealkv://DIR']);
    expect(unansweredQuestions('migrate', { ...base, target: 'http://h:8000' }).map((r) => r.answer)).toEqual(['--yes', 'SURREAL_PASS']);
  });

  it('needs nothing more for --yes, a target and a password the lookup found', () => {
    expect(unansweredQuestions('migrate', { ...base, yes: true, startServer: 'memory', password: 'p' })).toEqual([]);
  });

  it('needs no --yes for a dry run or an export', () => {
    expect(unansweredQuestions('migrate', { ...base, dryRun: true, target: 'http://h:8000', password: 'p' })).toEqual([]);
    expect(unansweredQuestions('export', base)).toEqual([]);
  });

  it('names the flags in the error', () => {
    expect(() => assertAnswerable('config', base)).toThrow(expect.objectContaining({ code: 'E_NEEDS_INPUT', fix: 'Pass --yes.' }));
  });
});
