import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { PAUSE_ENV, pauseMarker } from '../../src/core/pause-point.js';
import type { PatternDbEvent, StepName } from '../../src/core/events.js';
import { DEFAULTS, type RunOptions } from '../../src/core/options.js';
import { readJournal } from '../../src/files/journal-file.js';
import { runPlan } from '../../src/runner.js';
import { nonInteractivePrompter } from '../../src/steps/prompter.js';
import type { Step } from '../../src/steps/step.js';
import { tempDir } from '../helpers/temp-folders.js';

async function options(overrides: Partial<RunOptions> = {}): Promise<RunOptions> {
  const dir = await tempDir('runner-');
  return { ...DEFAULTS, cwd: dir, stateDir: path.join(dir, '.pattern-db'), exportFile: path.join(dir, 'x.surql'), yes: true, dryRun: false, resume: false, writeEnv: false, ...overrides };
}

function step(name: StepName, run: Step['run'], extra: Partial<Step> = {}): Step {
  return { name, title: name, run, ...extra };
}

async function run(steps: Step[], opts: RunOptions) {
  const events: PatternDbEvent[] = [];
  const outcome = await runPlan({ steps, options: opts, emit: (e) => events.push(e), signal: new AbortController().signal, prompter: nonInteractivePrompter, fingerprint: { a: '1' } });
  return { outcome, events };
}

describe('runner', () => {
  it('runs steps in order, hands results forward and journals each one', async () => {
    const opts = await options();
    const order: string[] = [];
    const { outcome } = await run(
      [
        step('preflight', async () => (order.push('preflight'), { driver: 'auto' })),
        step('export', async (ctx) => (order.push(`export after ${ctx.state.preflight?.driver}`), { file: 'f' })),
      ],
      opts,
    );
    expect(outcome.ok).toBe(true);
    expect(order).toEqual(['preflight', 'export after auto']);
    const journal = await readJournal(opts.stateDir);
    expect(Object.keys(journal!.steps)).toEqual(['preflight', 'export']);
    expect(journal!.steps.export!.state).toBe('done');
  });

  it('stops at a failing step with its code and fix, and records the failure', async () => {
    const opts = await options();
    const { outcome, events } = await run(
      [step('preflight', async () => ({})), step('export', async () => { throw new PatternDbError('E_DISK_FULL', 'full', { fix: 'free space' }); }), step('import', async () => ({}))],
      opts,
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.failedStep).toBe('export');
    expect(events).toContainEqual(expect.objectContaining({ type: 'diagnostic', code: 'E_DISK_FULL', fix: 'free space' }));
    expect(events.some((e) => e.type === 'status' && e.step === 'import')).toBe(false);
    expect((await readJournal(opts.stateDir))!.steps.export!.state).toBe('failed');
  });

  it('resumes from the first unfinished step with its checkpoint, rerunning preflight', async () => {
    const opts = await options();
    let attempt = 0;
    const seen: unknown[] = [];
    const steps = [
      step('preflight', async () => ({ n: ++attempt }), { rerunOnResume: true }),
      step('export', async () => ({ file: 'f' })),
      step('import', async (ctx) => {
        seen.push(ctx.resumedFrom);
        if (attempt === 1) {
          await ctx.checkpoint({ chunksDone: 3 });
          throw new PatternDbError('E_CONN_LOST', 'gone');
        }
        return { ok: true };
      }),
    ];
    expect((await run(steps, opts)).outcome.ok).toBe(false);
    const second = await run(steps, { ...opts, resume: true });
    expect(second.outcome.ok).toBe(true);
    expect(seen).toEqual([undefined, { chunksDone: 3 }]);
    expect(second.events).toContainEqual({ type: 'status', step: 'export', state: 'skipped', message: 'done in an earlier run' });
    expect(attempt).toBe(2);
  });

  it('will not start over on top of an unfinished run without --resume', async () => {
    const opts = await options();
    const steps = [
      step('preflight', async () => ({})),
      step('export', async () => ({ file: 'f' })),
      step('import', async () => { throw new PatternDbError('E_CONN_LOST', 'gone'); }),
    ];
    await run(steps, opts);
    const again = await run(steps, opts);
    expect(again.outcome.error?.code).toBe('E_JOURNAL');
    expect(again.outcome.error?.fix).toContain('--resume');
  });

  it('starts fresh after a run that stopped before doing anything (nothing to resume)', async () => {
    const opts = await options();
    const refused = [step('preflight', async () => { throw new PatternDbError('E_USAGE', 'wrong flag'); })];
    await run(refused, opts);
    const fixed = await run([step('preflight', async () => ({})), step('export', async () => { throw new PatternDbError('E_EXPORT', 'x'); })], opts);
    expect(fixed.outcome.error?.code).toBe('E_EXPORT');
    const again = await run([step('preflight', async () => ({})), step('export', async () => ({ file: 'f' }))], opts);
    expect(again.outcome.ok).toBe(true);
  });

  it('a finished run of other steps (`export`) is not an unfinished one for the next command (`import`)', async () => {
    const opts = await options();
    const exported = await run([step('preflight', async () => ({})), step('export', async () => ({ file: 'f' }))], opts);
    expect(exported.outcome.ok).toBe(true);
    const imported = await run([step('preflight', async () => ({})), step('import', async () => ({ chunks: 1 }))], opts);
    expect(imported.outcome.error?.code).toBeUndefined();
    expect((await readJournal(opts.stateDir))!.plan).toEqual(['preflight', 'import']);
  });

  it('--resume of a finished run runs nothing, not even its preflight, and hands back that run\'s results', async () => {
    const opts = await options();
    const ran: string[] = [];
    const steps = [
      step('preflight', async () => (ran.push('preflight'), { driver: 'auto' }), { rerunOnResume: true }),
      step('server', async () => (ran.push('server'), { url: 'http://127.0.0.1:1' }), { rerunOnResume: true }),
      step('config', async () => (ran.push('config'), { url: 'ws://127.0.0.1:1', written: true })),
    ];
    expect((await run(steps, opts)).outcome.ok).toBe(true);
    const journal = await fs.readFile(path.join(opts.stateDir, 'journal.json'), 'utf8');
    ran.length = 0;
    const resumed = await run(steps, { ...opts, resume: true });
    expect(ran).toEqual([]);
    expect(resumed.outcome.ok).toBe(true);
    expect(resumed.outcome.alreadyFinished?.startedAt).toBe(JSON.parse(journal).startedAt);
    expect(resumed.outcome.state.config).toEqual({ url: 'ws://127.0.0.1:1', written: true });
    expect(resumed.events.filter((e) => e.type === 'status')).toEqual([]);
    expect(await fs.readFile(path.join(opts.stateDir, 'journal.json'), 'utf8')).toBe(journal);
  });

  it('--resume after a run that failed at its last step runs that step again', async () => {
    const opts = await options();
    let fail = true;
    const steps = [
      step('preflight', async () => ({}), { rerunOnResume: true }),
      step('export', async () => ({ file: 'f' })),
      step('config', async () => { if (fail) throw new PatternDbError('E_CONFIG_WRITE', 'x'); return { written: true }; }),
    ];
    await run(steps, opts);
    fail = false;
    const resumed = await run(steps, { ...opts, resume: true });
    expect(resumed.outcome.alreadyFinished).toBeUndefined();
    expect(resumed.outcome.state.config).toEqual({ written: true });
  });

  it('refuses to resume with different settings', async () => {
    const opts = await options();
    await run([step('preflight', async () => { throw new PatternDbError('E_AUTH', 'x'); })], opts);
    const events: PatternDbEvent[] = [];
    const outcome = await runPlan({ steps: [step('preflight', async () => ({}))], options: { ...opts, resume: true }, emit: (e) => events.push(e), signal: new AbortController().signal, prompter: nonInteractivePrompter, fingerprint: { a: '2' } });
    expect(outcome.error?.code).toBe('E_JOURNAL');
    expect(outcome.error?.evidence).toContain('a: was 1, now 2');
  });

  it('waits before a step named in PATTERN_DB_PAUSE_AT, the step before it done and it not yet running', async () => {
    const opts = await options();
    const marker = path.join(opts.stateDir, pauseMarker('before-export'));
    process.env[PAUSE_ENV] = 'before-export';
    try {
      const ran: string[] = [];
      const running = run([step('preflight', async () => (ran.push('preflight'), {})), step('export', async () => (ran.push('export'), {}))], opts);
      await vi.waitFor(() => fs.access(marker), { timeout: 5_000, interval: 10 });
      expect(ran).toEqual(['preflight']);
      const journal = await readJournal(opts.stateDir);
      expect(journal!.steps.preflight!.state).toBe('done');
      expect(journal!.steps.export).toBeUndefined();
      await fs.rm(marker);
      const { outcome, events } = await running;
      expect(outcome.ok).toBe(true);
      expect(ran).toEqual(['preflight', 'export']);
      expect(events.filter((e) => e.type === 'status' && e.step === 'export').map((e) => e.type === 'status' && e.state)).toEqual(['running', 'done']);
    } finally {
      delete process.env[PAUSE_ENV];
    }
  });
});
