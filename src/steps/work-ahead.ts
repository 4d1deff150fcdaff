// Work a step starts before its turn (a server's answers awaited while the store is read). What it reports is held
// and told when the step reaches it, so the events keep the order of the checks whatever finishes first.
import type { Reporter } from '../core/events.js';
import type { StepContext } from './step.js';

export interface WorkAhead<T> {
  /** Tells what the work reported, then hands back its result or throws its error. */
  reach(): Promise<T>;
  /** Waits for the work without telling or throwing anything: for a step that stops before reaching it. */
  finished(): Promise<void>;
}

export function startAhead<T>(ctx: StepContext, work: (ctx: StepContext) => Promise<T>): WorkAhead<T> {
  const held: Array<(report: Reporter) => void> = [];
  const report: Reporter = {
    status: (...args) => void held.push((to) => to.status(...args)),
    progress: (...args) => void held.push((to) => to.progress(...args)),
    log: (...args) => void held.push((to) => to.log(...args)),
    diagnostic: (...args) => void held.push((to) => to.diagnostic(...args)),
  };
  const running = work({ ...ctx, report });
  const finished = running.then(() => undefined, () => undefined);
  return {
    async reach() {
      await finished;
      for (const tell of held.splice(0)) tell(ctx.report);
      return running;
    },
    finished: () => finished,
  };
}
