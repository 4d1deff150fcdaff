// What one step of a run starts for a later step of the same run: held in memory only (a resumed run starts it
// again), and ended with the run whether or not the later step came to take it.
import type { StepName } from '../core/events.js';

export class RunShared {
  private readonly endings: Array<() => Promise<void>> = [];

  constructor(
    /** The steps this run's plan holds, in order. */
    readonly plan: readonly StepName[],
  ) {}

  /** Whether `step` comes later in this run (an import followed by a verification). */
  has(step: StepName): boolean {
    return this.plan.includes(step);
  }

  /** Run once when the run ends, however it ends. */
  onEnd(end: () => Promise<void>): void {
    this.endings.push(end);
  }

  async end(): Promise<void> {
    for (const end of this.endings.splice(0)) await end().catch(() => undefined);
  }
}
