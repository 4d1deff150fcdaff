// The kill harness: the built pattern-db, SIGKILLed at a named point of `migrate`, then the same command with --resume.
// A point is hit from outside when the program shows it (a --json line, a child in /proc); where nothing outside is
// precise enough, PATTERN_DB_PAUSE_AT makes the program wait there (src/core/pause-point.ts) and the kill follows.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pauseMarker, PAUSE_ENV, type PausePoint } from '../../src/core/pause-point.js';
import { signal } from './kill-import.js';
import { runPatternDb, type RunResult } from './pattern-db.js';

type Event = Record<string, any>;

export interface KillPoint {
  /** What the test is called: where the run is when it dies. */
  name: string;
  /** Wait at this hook, then kill. */
  pause?: PausePoint;
  /** Kill at the first event that matches. */
  at?: (event: Event) => boolean;
  /** After that event, wait for a child of pattern-db whose arguments match, then kill (the child is left running, as a crash leaves it). */
  child?: (argv: string[]) => boolean;
  /** The run may finish before the kill lands (it was killed "just after it finished"). */
  mayFinish?: boolean;
}

const status = (step: string, state: string) => (e: Event) => e.type === 'status' && e.step === step && e.state === state;
const indexPhase = (e: Event) => e.type === 'progress' && e.step === 'import' && e.phase?.kind === 'index';
const runsImport = (argv: string[]) => argv.includes('import');

/**
 * The points of a `migrate --start-server` run, in order. With a lean store every record is in the first import chunk;
 * each deferred index is a chunk of its own after it, so the middle chunk is an index chunk (k = n/2), and "the index
 * build" is msg's full-text index, the one a server takes longest over.
 */
export const MIGRATE_KILL_POINTS: KillPoint[] = [
  { name: "inside preflight's snapshot copy", pause: 'snapshot-copy' },
  { name: 'between preflight and export', at: status('preflight', 'done') },
  { name: 'inside the export', at: status('export', 'running'), child: (argv) => argv.includes('export') || argv.some((a) => a.endsWith('embedded-worker.js')) },
  { name: 'between export and server', at: status('export', 'done') },
  { name: 'server started, before it is healthy', pause: 'server-spawned' },
  { name: 'server healthy, before its step is journaled', at: (e) => e.type === 'diagnostic' && e.code === 'I_SERVER_STARTED' },
  { name: 'between server and import', at: status('server', 'done') },
  { name: 'inside the first import chunk (the records)', at: status('import', 'running'), child: runsImport },
  { name: 'inside a middle import chunk', at: (e) => indexPhase(e) && e.phase.k === Math.ceil(e.phase.n / 2) && e.phase.k > 1, child: runsImport },
  { name: "inside the index build (msg's full-text index)", at: (e) => indexPhase(e) && e.phase.name === 'msg_content_search', child: runsImport },
  { name: 'between import and verify', at: status('import', 'done') },
  { name: 'inside the verification', at: (e) => e.type === 'progress' && e.step === 'verify' },
  { name: 'between verify and config', at: status('verify', 'done') },
  { name: 'inside the config write, between backup and rename', pause: 'config-backup' },
  { name: 'just after the run finished', at: status('config', 'done'), mayFinish: true },
];

/** pid's children (all threads), each with its arguments. */
async function childrenOf(pid: number): Promise<Array<{ pid: number; argv: string[] }>> {
  const found: Array<{ pid: number; argv: string[] }> = [];
  for (const task of await fs.readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const children = await fs.readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
      const cmdline = await fs.readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '');
      found.push({ pid: child, argv: cmdline.split('\0').filter(Boolean) });
    }
  }
  return found;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 5): Promise<T | undefined> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, intervalMs))) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  return undefined;
}

export interface Interrupted {
  run: RunResult;
  /** Whether the SIGKILL landed while the program still ran. */
  killed: boolean;
  /** The child the point waited for, which the kill left running. */
  during?: string;
}

/** Runs `args` until the point, then SIGKILLs pattern-db. */
export async function runUntilKilled(point: KillPoint, args: string[], options: { cwd: string; stateDir: string; env: Record<string, string> }): Promise<Interrupted> {
  let pid = 0;
  let killed = false;
  let ended = false;
  let during: string | undefined;
  let killing: Promise<void> | undefined;
  const kill = () => {
    killed = true;
    signal(pid, 'SIGKILL');
  };
  const running = runPatternDb(args, {
    cwd: options.cwd,
    env: { ...options.env, ...(point.pause ? { [PAUSE_ENV]: point.pause } : {}) },
    onSpawn: (spawned) => (pid = spawned),
    onEvent: (event) => {
      if (killing || !point.at?.(event)) return;
      if (!point.child) {
        kill();
        killing = Promise.resolve();
        return;
      }
      const wanted = point.child;
      const found = async () => (ended ? null : (await childrenOf(pid)).find((c) => wanted(c.argv)));
      killing = waitFor(found, 60_000).then((child) => {
        if (!child) throw new Error(`${point.name}: pattern-db never ran the child the point waits for`);
        kill();
        during = `its child ${path.basename(child.argv[0] ?? '')} ${child.argv[1] ?? ''} ${path.basename(child.argv.at(-1) ?? '')} (pid ${child.pid}, left running)`;
      });
    },
  });
  void running.then(() => (ended = true));
  if (point.pause) {
    const marker = path.join(options.stateDir, pauseMarker(point.pause));
    const paused = await waitFor(() => (ended ? Promise.resolve(false) : fs.access(marker).then(() => true, () => undefined)), 120_000, 10);
    if (paused) kill();
  }
  const run = await running;
  await killing;
  if (!killed && !point.mayFinish) throw new Error(`${point.name}: the run ended (exit ${run.exitCode}) before the point was reached\n${run.stdout}${run.stderr}`);
  if (killed && run.result && !point.mayFinish) throw new Error(`${point.name}: the run finished before the kill landed`);
  return { run, killed: killed && !run.result, ...(during ? { during } : {}) };
}

/** What a resumed run did: each step skipped, ran or failed, and the diagnostics that say how it continued. */
export function resumeSummary(run: RunResult): string {
  const steps = new Map<string, string>();
  for (const e of run.events) if (e.type === 'status' && e.state !== 'running') steps.set(e.step, e.state === 'skipped' ? 'skipped' : e.state === 'done' ? 'ran' : e.state);
  const telling = /^(I_SERVER_REUSED|I_SERVER_STARTED|W_TARGET_RESET|I_NOTHING_TO_RESUME|I_CONFIG_CURRENT)$/;
  const codes = run.events.filter((e) => e.type === 'diagnostic' && (telling.test(e.code) || e.level === 'error')).map((e) => e.code as string);
  return [[...steps].map(([step, what]) => `${step} ${what}`).join(', '), codes.join(' ')].filter(Boolean).join('; ');
}

/** One row of the matrix, appended to test-output/kill-resume/<route>.tsv for the report. */
export async function recordRow(route: string, row: { point: string; interrupted: Interrupted; resumed: RunResult; resumeMs: number }): Promise<void> {
  const dir = path.resolve('test-output', 'kill-resume');
  await fs.mkdir(dir, { recursive: true });
  const { killed, during } = row.interrupted;
  const kill = killed ? `killed${during ? ` with ${during}` : ''}` : 'finished before the kill';
  const cells = [row.point, kill, `exit ${row.resumed.exitCode}`, `${(row.resumeMs / 1000).toFixed(1)} s`, resumeSummary(row.resumed)];
  await fs.appendFile(path.join(dir, `${route}.tsv`), `${cells.join('\t')}\n`);
}
