// The kill harness: the built pattern-db, or the managed server it started, SIGKILLed at a named point of `migrate`,
// then the same command with --resume. A point is hit from outside when the program shows it (a --json line, a child in
// /proc); where nothing outside is precise enough, PATTERN_DB_PAUSE_AT makes the program wait there
// (src/core/pause-point.ts) and the kill follows.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pauseMarker, PAUSE_ENV, type PausePoint } from '../../src/core/pause-point.js';
import { readServerState } from '../../src/surreal/server.js';
import { isProcessAlive } from '../../src/surreal/process-identity.js';
import { signal } from './kill-import.js';
import { runPatternDb, type RunResult } from './pattern-db.js';
import { waitFor } from './wait-for.js';

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
  /** Past the last step that talks to the server: a run whose server dies here may finish, saying the server stopped. */
  serverNoLongerNeeded?: boolean;
}

const status = (step: string, state: string) => (e: Event) => e.type === 'status' && e.step === step && e.state === state;
const indexPhase = (e: Event) => e.type === 'progress' && e.step === 'import' && e.phase?.kind === 'index';
const runsImport = (argv: string[]) => argv.includes('import');

/**
 * The points of a `migrate --start-server` run, in order. With a lean store every record is in the first import chunk
 * (into a 3.x server, the first two: the second holds the tables without a full-text index, sent while those indexes
 * build beside them); each deferred index is a chunk of its own after them, so the middle chunk is an index chunk
 * (k = n/2), and "the index build" is msg's full-text index, the one a server takes longest over (into a 3.x server,
 * often built beside the records by the time the import reaches its chunk: the kill then lands in the next index's).
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
  { name: 'inside the full-text builds beside the held-back records', pause: 'indexes-beside' },
  { name: 'inside a middle import chunk', at: (e) => indexPhase(e) && e.phase.k === Math.ceil(e.phase.n / 2) && e.phase.k > 1, child: runsImport },
  { name: "inside the index build (msg's full-text index)", at: (e) => indexPhase(e) && e.phase.name === 'msg_content_search', child: runsImport },
  // From here on the steps are quick: a kill on a status line could land after the config is written (BeforeStep).
  { name: 'between import and verify', pause: 'before-verify' },
  // Its records were compared during the index build (steps/verify-ahead.ts); the step itself reads the definitions.
  { name: 'inside the verification', pause: 'verify-definitions' },
  { name: 'between verify and config', pause: 'before-config', serverNoLongerNeeded: true },
  { name: 'inside the config write, between backup and rename', pause: 'config-backup', serverNoLongerNeeded: true },
  { name: 'just after the run finished', at: status('config', 'done'), mayFinish: true, serverNoLongerNeeded: true },
];

/** The points where the managed server exists and answers: where killing it instead of pattern-db means something. */
export const SERVER_KILL_POINTS = MIGRATE_KILL_POINTS.slice(MIGRATE_KILL_POINTS.findIndex((p) => p.name === 'server healthy, before its step is journaled'));

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

export interface Interrupted {
  run: RunResult;
  /** Whether the SIGKILL landed while the program still ran. */
  killed: boolean;
  /** The child the point waited for, which the kill left running. */
  during?: string;
  /** How long the interrupted run took, from its start to its end. */
  ms: number;
  /** The managed server killed instead of pattern-db. */
  server?: { pid: number; url: string; storage: string };
}

/** Who is SIGKILLed at the point: pattern-db itself, or the managed server it started (pattern-db is left running). */
export type Victim = 'pattern-db' | 'server';

async function waitUntilGone(pid: number): Promise<void> {
  // A killed server is pattern-db's child: frozen, pattern-db cannot reap it, and a zombie counts as gone.
  while (isProcessAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * SIGKILLs the managed server recorded in the state folder while pattern-db is frozen (SIGSTOP), so the server dies at
 * the point and not some steps later; pattern-db goes on once it is gone (and, at a pause, once the marker is removed).
 */
async function killServer(pid: number, stateDir: string, pause?: PausePoint): Promise<NonNullable<Interrupted['server']>> {
  const server = await readServerState(stateDir);
  if (!server) throw new Error(`no server.json in ${stateDir} to kill the server by`);
  signal(pid, 'SIGSTOP');
  try {
    signal(server.pid, 'SIGKILL');
    await waitUntilGone(server.pid);
    if (pause) await fs.rm(path.join(stateDir, pauseMarker(pause)), { force: true });
  } finally {
    signal(pid, 'SIGCONT');
  }
  return { pid: server.pid, url: server.url, storage: server.storage };
}

/**
 * Runs `args` until the point, then SIGKILLs pattern-db or its managed server. The server's "just after the run
 * finished" (`mayFinish`) is after pattern-db has exited: it ended with the server alive, which then died.
 */
export async function runUntilKilled(
  point: KillPoint,
  args: string[],
  options: { cwd: string; stateDir: string; env: Record<string, string>; victim?: Victim },
): Promise<Interrupted> {
  const victim = options.victim ?? 'pattern-db';
  const startedAt = Date.now();
  let pid = 0;
  let killed = false;
  let ended = false;
  let during: string | undefined;
  let killing: Promise<void> | undefined;
  let server: Interrupted['server'];
  const kill = async () => {
    killed = true;
    if (victim === 'pattern-db') signal(pid, 'SIGKILL');
    else server = await killServer(pid, options.stateDir, point.pause);
  };
  const afterExit = victim === 'server' && point.mayFinish;
  const running = runPatternDb(args, {
    cwd: options.cwd,
    env: { ...options.env, ...(point.pause ? { [PAUSE_ENV]: point.pause } : {}) },
    onSpawn: (spawned) => (pid = spawned),
    onEvent: (event) => {
      if (killing || afterExit || !point.at?.(event)) return;
      if (!point.child) {
        killing = kill();
        return;
      }
      const wanted = point.child;
      const found = async () => (ended ? null : (await childrenOf(pid)).find((c) => wanted(c.argv)));
      killing = waitFor(found, 60_000).then(async (child) => {
        if (!child) throw new Error(`${point.name}: pattern-db never ran the child the point waits for`);
        await kill();
        during = `its child ${path.basename(child.argv[0] ?? '')} ${child.argv[1] ?? ''} ${path.basename(child.argv.at(-1) ?? '')} (pid ${child.pid}, left running)`;
      });
    },
  });
  void running.then(() => (ended = true));
  if (point.pause) {
    const marker = path.join(options.stateDir, pauseMarker(point.pause));
    const paused = await waitFor(() => (ended ? Promise.resolve(false) : fs.access(marker).then(() => true, () => undefined)), 120_000, 10);
    if (paused) killing = kill();
  }
  const run = await running;
  const ms = Date.now() - startedAt;
  await killing;
  if (afterExit) {
    await kill();
    return { run, killed: true, during: 'after pattern-db exited', ms, server };
  }
  if (!killed && !point.mayFinish) throw new Error(`${point.name}: the run ended (exit ${run.exitCode}) before the point was reached\n${run.stdout}${run.stderr}`);
  if (victim === 'server') return { run, killed, ...(during ? { during } : {}), ms, server };
  if (killed && run.result && !point.mayFinish) throw new Error(`${point.name}: the run finished before the kill landed`);
  return { run, killed: killed && !run.result, ...(during ? { during } : {}), ms };
}

/** What a resumed run did: each step skipped, ran or failed, and the diagnostics that say how it continued. */
export function resumeSummary(run: RunResult): string {
  const steps = new Map<string, string>();
  for (const e of run.events) if (e.type === 'status' && e.state !== 'running') steps.set(e.step, e.state === 'skipped' ? 'skipped' : e.state === 'done' ? 'ran' : e.state);
  const telling = /^(I_SERVER_REUSED|I_SERVER_GONE|I_SERVER_STARTED|W_TARGET_RESET|I_NOTHING_TO_RESUME|I_CONFIG_CURRENT)$/;
  const codes = run.events.filter((e) => e.type === 'diagnostic' && (telling.test(e.code) || e.level === 'error')).map((e) => e.code as string);
  return [[...steps].map(([step, what]) => `${step} ${what}`).join(', '), codes.join(' '), run.result?.nothingToResume ?? ''].filter(Boolean).join('; ');
}

/** What the interrupted run said last (its error, else its last warning) and its exit code. */
export function firstRunSummary(run: RunResult): string {
  const lastWarning = run.events.filter((e) => e.type === 'diagnostic' && e.level === 'warn').at(-1);
  const said = run.result?.error
    ? `${run.result.error.code}: ${run.result.error.message}`
    : lastWarning && lastWarning === run.events.at(-2) ? `finished; ${lastWarning.code}: ${lastWarning.message}` : 'finished';
  return `exit ${run.result ? run.exitCode : 'killed'}; ${said}`;
}

/** One row of the matrix, appended to test-output/kill-resume/<route>.tsv for the report (the server's rows also say
 * what the run left running said, and how long it took). */
export async function recordRow(route: string, row: { point: string; interrupted: Interrupted; resumed: RunResult; resumeMs: number; victim?: Victim }): Promise<void> {
  const dir = path.resolve('test-output', 'kill-resume');
  await fs.mkdir(dir, { recursive: true });
  const { killed, during, run, ms } = row.interrupted;
  const kill = !killed ? 'finished before the kill' : row.victim === 'server' ? `server killed${during ? ` (${during})` : ''}` : `killed${during ? ` with ${during}` : ''}`;
  const first = row.victim === 'server' ? [`${firstRunSummary(run)} (${(ms / 1000).toFixed(1)} s)`] : [];
  const cells = [row.point, kill, ...first, `exit ${row.resumed.exitCode}`, `${(row.resumeMs / 1000).toFixed(1)} s`, resumeSummary(row.resumed)];
  await fs.appendFile(path.join(dir, `${route}.tsv`), `${cells.join('\t')}\n`);
}
