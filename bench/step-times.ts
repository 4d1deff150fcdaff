// pattern-db's per-step times, read from its --json lines as they arrived: a step runs from its `running` status
// to its `done` (or `failed`, `skipped`) one. Steps may overlap; each is timed on its own.

export interface TimedLine {
  /** When the line arrived, in ms on the bench's clock. */
  atMs: number;
  line: string;
}

export interface StepTime {
  step: string;
  seconds: number;
  state: string;
}

/** The migration's steps in the order a table shows them; a step not listed here follows them, in the order it ended. */
export const STEP_ORDER = ['preflight', 'export', 'server', 'import', 'verify', 'config'];

function statusOf(line: string): { step: string; state: string } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const event = JSON.parse(line) as { type?: unknown; step?: unknown; state?: unknown };
    if (event.type !== 'status' || typeof event.step !== 'string' || typeof event.state !== 'string') return undefined;
    return { step: event.step, state: event.state };
  } catch {
    return undefined;
  }
}

/** Each step that reached an end, timed from its first `running` to its end; a step still running is left out. */
export function stepTimes(lines: TimedLine[]): StepTime[] {
  const started = new Map<string, number>();
  const ended: StepTime[] = [];
  for (const { atMs, line } of lines) {
    const status = statusOf(line);
    if (!status) continue;
    if (status.state === 'running') {
      if (!started.has(status.step)) started.set(status.step, atMs);
      continue;
    }
    const from = started.get(status.step) ?? atMs;
    const earlier = ended.findIndex((s) => s.step === status.step);
    const time = { step: status.step, seconds: (atMs - from) / 1000, state: status.state };
    if (earlier >= 0) ended[earlier] = time;
    else ended.push(time);
  }
  const rank = (step: string) => {
    const known = STEP_ORDER.indexOf(step);
    return known >= 0 ? known : STEP_ORDER.length;
  };
  return ended.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s.step) - rank(b.s.step) || a.i - b.i).map(({ s }) => s);
}
