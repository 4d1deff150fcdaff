import { describe, expect, it } from 'vitest';
import type { Reporter } from '../../src/core/events.js';
import type { StepContext } from '../../src/steps/step.js';
import { startAhead } from '../../src/steps/work-ahead.js';

function contextTelling(told: string[]): StepContext {
  const report: Reporter = {
    status: (state) => void told.push(`status ${state}`),
    progress: (done, unit) => void told.push(`progress ${done} ${unit}`),
    log: (line) => void told.push(`log ${line}`),
    diagnostic: (d) => void told.push(`diagnostic ${d.code}`),
  };
  return { report } as unknown as StepContext;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('startAhead', () => {
  it('holds what the work reports until the step reaches it, then tells it in the order it was said', async () => {
    const told: string[] = [];
    const ctx = contextTelling(told);
    const ahead = startAhead(ctx, async (early) => {
      early.report.diagnostic({ level: 'info', code: 'I_TARGET', message: 'target' });
      early.report.log('a line');
      early.report.progress(1, 'records');
      return 42;
    });
    await tick();
    ctx.report.diagnostic({ level: 'info', code: 'I_STORE', message: 'store' });
    expect(told).toEqual(['diagnostic I_STORE']);
    expect(await ahead.reach()).toBe(42);
    expect(told).toEqual(['diagnostic I_STORE', 'diagnostic I_TARGET', 'log a line', 'progress 1 records']);
  });

  it('throws the work\'s error when reached, after telling what it said before failing', async () => {
    const told: string[] = [];
    const ahead = startAhead(contextTelling(told), async (early) => {
      early.report.diagnostic({ level: 'warn', code: 'W_FIRST', message: 'first' });
      throw new Error('the server refused');
    });
    await expect(ahead.reach()).rejects.toThrow('the server refused');
    expect(told).toEqual(['diagnostic W_FIRST']);
  });

  it('finished() waits for the work and neither tells nor throws: a step that failed first says only its own failure', async () => {
    const told: string[] = [];
    let done = false;
    const ahead = startAhead(contextTelling(told), async (early) => {
      await tick();
      early.report.diagnostic({ level: 'info', code: 'I_TARGET', message: 'target' });
      done = true;
      throw new Error('never seen');
    });
    await expect(ahead.finished()).resolves.toBeUndefined();
    expect(done).toBe(true);
    expect(told).toEqual([]);
  });
});
