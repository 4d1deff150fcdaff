// The benchmark's pure parts (npm run bench is a script, not a test): the index split of an export, the per-step
// times from pattern-db's --json lines, whether a run counts, the peak memory and CPU time per kind of process, the ratios, the
// paths run side by side, and the store a pattern-db round reads in place.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { withStoreInPlace } from '../../bench/bench-server.js';
import { splitExport, type ExportPart } from '../../bench/export-split.js';
import { migrateFailure } from '../../bench/migrate-result.js';
import { PeakByKind, descendantsOf, parentPid, processKind, vmHwmKb } from '../../bench/process-peaks.js';
import { CpuByKind, cpuTicks } from '../../bench/process-cpu.js';
import { stepTimes, type TimedLine } from '../../bench/step-times.js';
import { failedRound, type PathRound, type SizeRounds } from '../../bench/bench-round.js';
import { sideBySide } from '../../bench/side-by-side.js';
import { ratios, sizeTable } from '../../bench/bench-table.js';
import { BenchUsageError, parseBenchArgs, routeName, routeTitle } from '../../bench/bench-args.js';
import { runCommand } from '../../bench/measure.js';
import { startProcessSampler } from '../../bench/process-sampler.js';

const EXPORT = [
  '-- ------------------------------',
  '-- OPTION',
  '-- ------------------------------',
  '',
  'OPTION IMPORT;',
  '',
  'DEFINE ANALYZER a TOKENIZERS BLANK FILTERS LOWERCASE;',
  'DEFINE TABLE msg TYPE NORMAL SCHEMALESS PERMISSIONS NONE;',
  'DEFINE FIELD index ON msg TYPE int;',
  'DEFINE INDEX msg_content ON msg',
  '  FIELDS content FULLTEXT ANALYZER a BM25(1.2,0.75);',
  '-- DEFINE INDEX commented_out ON msg FIELDS x;',
  // A multi-line string whose second line reads like a DEFINE INDEX: a split over lines would move it.
  "INSERT [ { content: 'first line;\nDEFINE INDEX fake ON msg FIELDS y;', id: msg:a, index: 1 } ];",
  'DEFINE TABLE mem TYPE NORMAL SCHEMALESS PERMISSIONS NONE;',
  'DEFINE INDEX IF NOT EXISTS mem_vec ON TABLE mem FIELDS embedding HNSW DIMENSION 3 DIST COSINE;',
  "INSERT [ { id: mem:b, embedding: [0.1f, 0.2f, 0.3f] } ];",
  '',
].join('\n');

async function split(chunks: string[]): Promise<{ parts: Record<ExportPart, string[]>; counts: Record<ExportPart, number> }> {
  const parts: Record<ExportPart, string[]> = { data: [], indexes: [] };
  const counts = await splitExport(chunks, (part, text) => {
    parts[part].push(text);
  });
  return { parts, counts };
}

describe('the index split of an export', () => {
  it('moves every DEFINE INDEX statement, and only those, to the second part, both parts keeping OPTION IMPORT first', async () => {
    const { parts, counts } = await split([EXPORT]);
    expect(parts.indexes).toEqual([
      'OPTION IMPORT;\n',
      'DEFINE INDEX msg_content ON msg\n  FIELDS content FULLTEXT ANALYZER a BM25(1.2,0.75);\n',
      'DEFINE INDEX IF NOT EXISTS mem_vec ON TABLE mem FIELDS embedding HNSW DIMENSION 3 DIST COSINE;\n',
    ]);
    expect(parts.data.map((t) => t.slice(0, 22))).toEqual([
      'OPTION IMPORT;\n',
      'DEFINE ANALYZER a TOKE',
      'DEFINE TABLE msg TYPE ',
      'DEFINE FIELD index ON ',
      "INSERT [ { content: 'f",
      'DEFINE TABLE mem TYPE ',
      'INSERT [ { id: mem:b, ',
    ]);
    expect(parts.data.join('')).toContain("'first line;\nDEFINE INDEX fake ON msg FIELDS y;'");
    expect(counts).toEqual({ data: 6, indexes: 2 });
  });

  it('splits the same whatever the chunks the file arrives in', async () => {
    const whole = await split([EXPORT]);
    const sizes = [1, 7, 64];
    for (const size of sizes) {
      const chunks = Array.from({ length: Math.ceil(EXPORT.length / size) }, (_, i) => EXPORT.slice(i * size, (i + 1) * size));
      expect(await split(chunks)).toEqual(whole);
    }
  });
});

const at = (atMs: number, event: Record<string, unknown>): TimedLine => ({ atMs, line: JSON.stringify({ command: 'migrate', ...event }) });
const status = (atMs: number, step: string, state: string) => at(atMs, { type: 'status', step, state });

describe('per-step times from pattern-db --json lines', () => {
  it('times each step from its first running to its end, in the migration order, overlapping steps each on their own', () => {
    const lines: TimedLine[] = [
      status(0, 'preflight', 'running'),
      at(500, { type: 'progress', step: 'preflight', done: 1, unit: 'records' }),
      { atMs: 600, line: 'not json at all' },
      status(2_600, 'preflight', 'done'),
      status(2_600, 'export', 'running'),
      status(3_000, 'import', 'running'),
      status(6_100, 'export', 'done'),
      at(6_200, { type: 'status', step: 'import', state: 'running', message: 'building indexes' }),
      status(9_000, 'indexes', 'running'),
      status(40_000, 'import', 'done'),
      status(40_000, 'verify', 'running'),
      status(46_900, 'verify', 'done'),
      status(47_000, 'indexes', 'done'),
      status(47_000, 'config', 'running'),
      status(47_100, 'config', 'skipped'),
    ];
    expect(stepTimes(lines)).toEqual([
      { step: 'preflight', seconds: 2.6, state: 'done' },
      { step: 'export', seconds: 3.5, state: 'done' },
      { step: 'import', seconds: 37, state: 'done' },
      { step: 'verify', seconds: 6.9, state: 'done' },
      { step: 'config', seconds: 0.1, state: 'skipped' },
      { step: 'indexes', seconds: 38, state: 'done' },
    ]);
  });

  it('keeps a failed step with its time and leaves out one that never ended', () => {
    const lines = [status(0, 'import', 'running'), status(1_500, 'import', 'failed'), status(1_500, 'verify', 'running')];
    expect(stepTimes(lines)).toEqual([{ step: 'import', seconds: 1.5, state: 'failed' }]);
  });
});

describe('whether a pattern-db run counts', () => {
  const result = (fields: Record<string, unknown>) => JSON.stringify({ type: 'result', command: 'migrate', ...fields });

  it('counts only an exit 0 whose result says the verification passed', () => {
    expect(migrateFailure(0, [result({ ok: true, verify: { ok: true } })], [])).toBeUndefined();
    expect(migrateFailure(0, [result({ ok: true, verify: { ok: false } })], [])).toMatch(/verification passed/);
    expect(migrateFailure(0, [result({ ok: true })], [])).toMatch(/verification passed/);
    expect(migrateFailure(0, ['{"type":"status"}'], [])).toBe('exit 0 without a result line');
  });

  it("says why it failed in pattern-db's words, the evidence's last line included", () => {
    const error = { code: 'E_VERIFY', message: '1 record differs.', evidence: 'msg:a changed\nmsg:b missing\n' };
    expect(migrateFailure(4, [result({ ok: false, error })], [])).toBe('exit 4: E_VERIFY: 1 record differs. (msg:b missing)');
    expect(migrateFailure(null, [], ['Killed'])).toBe('exit by signal: Killed');
  });
});

describe('peak memory per kind of process', () => {
  it('reads VmHWM and the parent pid from /proc texts', () => {
    expect(vmHwmKb('Name:\tsurreal\nVmPeak:\t 900000 kB\nVmHWM:\t  304128 kB\nVmRSS:\t 1000 kB\n')).toBe(304128);
    expect(vmHwmKb('Name:\tzombie\n')).toBeUndefined();
    expect(parentPid('4242 (odd) name) S 17 4242 4242 0 -1')).toBe(17);
  });

  it('finds every process under the roots, not the roots nor their neighbours', () => {
    const parentOf = new Map([
      [10, 1],
      [11, 10],
      [12, 11],
      [13, 10],
      [20, 1],
      [21, 20],
    ]);
    expect(descendantsOf([10], parentOf).sort()).toEqual([11, 12, 13]);
  });

  it('names each process by what it runs, the target server by its pid', () => {
    expect(processKind(['/usr/bin/node', '/w/bin/pattern-db.js', 'migrate'], 5, 9)).toBe('pattern-db (node)');
    expect(processKind(['node', '/w/dist/src/surreal/embedded-worker.js'], 6, 9)).toBe('embedded worker (node)');
    expect(processKind(['/c/surreal', 'export', '--endpoint', 'surrealkv://x'], 7, 9)).toBe('surreal export');
    expect(processKind(['/c/surreal', 'import', '--endpoint', 'http://x'], 8, 9)).toBe('surreal import');
    expect(processKind(['/c/surreal', 'start', '--bind', '127.0.0.1:1', 'memory'], 9, 9)).toBe('surreal server');
    expect(processKind(['/c/surreal', 'start', 'surrealkv:///snap'], 10, 9)).toBe('surreal private server');
    expect(processKind(['/bin/sh', '-c', 'trap "" INT; "$0" "$@"', '/c/surreal', 'start'], 11, 9)).toBe('shell helpers (sh, sleep)');
  });

  it('keeps the highest peak of any one process per kind, never a sum, and starts afresh when a process execs', () => {
    const peaks = new PeakByKind();
    peaks.add({ pid: 1, kind: 'surreal import', hwmKb: 100 });
    peaks.add({ pid: 2, kind: 'surreal import', hwmKb: 300 });
    peaks.add({ pid: 2, kind: 'surreal import', hwmKb: 250 });
    peaks.add({ pid: 3, kind: 'surreal server', hwmKb: 50 });
    // Seen between fork and exec with its parent's argv and memory, then as what it runs.
    peaks.add({ pid: 4, kind: 'pattern-db (node)', hwmKb: 900 });
    peaks.add({ pid: 4, kind: 'surreal export', hwmKb: 40 });
    peaks.add({ pid: 5, kind: 'pattern-db (node)', hwmKb: 200 });
    expect(peaks.peaks()).toEqual(
      new Map([
        ['surreal import', 300],
        ['surreal server', 50],
        ['surreal export', 40],
        ['pattern-db (node)', 200],
      ]),
    );
  });
});

describe('CPU time per kind of process', () => {
  it("reads utime + stime from a /proc stat text whose name holds spaces and parentheses", () => {
    expect(cpuTicks('4242 (odd) name) S 17 4242 4242 0 -1 4194304 100 0 0 0 250 30 0 0 20 0')).toBe(280);
    expect(cpuTicks('')).toBeUndefined();
  });

  it("sums each process's last sample over its kind, counting a process as what it execs", () => {
    const cpu = new CpuByKind();
    cpu.add({ pid: 1, kind: 'surreal import', ticks: 50 });
    cpu.add({ pid: 1, kind: 'surreal import', ticks: 120 });
    cpu.add({ pid: 2, kind: 'surreal import', ticks: 30 });
    // Seen between fork and exec with its parent's argv, then as what it runs.
    cpu.add({ pid: 3, kind: 'pattern-db (node)', ticks: 0 });
    cpu.add({ pid: 3, kind: 'surreal export', ticks: 250 });
    expect(cpu.seconds()).toEqual(new Map([['surreal import', 1.5], ['surreal export', 2.5]]));
  });

  it('prints the median per kind and over all of a path’s processes, failed rounds included', () => {
    const title = { route: '2.x → 2.x', messages: 5000, records: 10803, rounds: 2, driver: 'cli', versions: 'surreal 2.6.5' };
    const round = (server: number, node: number, failure?: string): PathRound => ({
      steps: [{ step: 'import', seconds: 5 }],
      totalSeconds: 5,
      peaks: new Map(),
      cpuSeconds: new Map([['surreal server', server], ['pattern-db (node)', node]]),
      ...(failure ? { failure } : {}),
    });
    const fast = (server: number): PathRound => ({ ...round(server, 0, 'data import: exit 1'), cpuSeconds: new Map([['surreal server', server]]) });
    const table = sizeTable(title, { patternDb: [round(100, 3), round(140, 5)], fast: [fast(150), fast(130)], naive: [] });
    expect(table).toContain(
      [
        '| CPU time (user + system, summed over a kind’s processes, median over the rounds) | pattern-db migrate | fast by hand |',
        '|---|---|---|',
        '| pattern-db (node) | 4.0 s | — |',
        '| surreal server | 120.0 s | 140.0 s |',
        '| all of the path’s processes | 124.0 s | 140.0 s |',
      ].join('\n'),
    );
  });
});

describe('the ratio to the fast by-hand path', () => {
  const round = (totalSeconds: number, failure?: string): PathRound => ({ steps: [{ step: 'total', seconds: totalSeconds }], totalSeconds, peaks: new Map(), ...(failure ? { failure } : {}) });
  const title = { route: '2.x → 3.x', messages: 5000, records: 10803, rounds: 3, driver: 'auto', versions: 'surreal 2.6.5, surreal 3.3.5' };

  it('is taken per round where both paths counted', () => {
    const rounds: SizeRounds = { patternDb: [round(10), round(12), round(9, 'verify failed')], fast: [round(8), round(12), round(9)], naive: [] };
    expect(ratios(rounds)).toEqual([1.25, 1]);
    expect(sizeTable(title, rounds)).toContain('| **ratio** pattern-db / fast by hand | total | **1.13** (1.00–1.25) | goal ≤ 1.00 |');
    expect(sizeTable(title, rounds)).not.toContain("failed rounds");
  });

  it("against fast rounds that failed but ran to their end, on a line of its own that says what they lack", () => {
    const refused = 'data import: exit 1: An error occurred: FLEXIBLE can only be used in SCHEMAFULL tables';
    const rounds: SizeRounds = { patternDb: [round(14), round(12)], fast: [round(10, refused), round(NaN, 'the server did not start')], naive: [] };
    expect(ratios(rounds)).toEqual([]);
    expect(ratios(rounds, true)).toEqual([1.4]);
    const table = sizeTable(title, rounds);
    expect(table).toContain('| **ratio** pattern-db / fast by hand | total | no round where both counted | goal ≤ 1.00 |');
    expect(table).toContain("| ratio pattern-db / fast by hand's failed rounds, timed to their end | total | **1.40** | what it failed to load is missing there |");
  });

  it('leaves the naive path out, rows and memory column, when it was not run (--skip-naive)', () => {
    expect(parseBenchArgs([]).naive).toBe(true);
    expect(parseBenchArgs(['--skip-naive']).naive).toBe(false);
    const peaks = new Map([['surreal server', 2048]]);
    const table = sizeTable(title, { patternDb: [{ ...round(10), peaks }], fast: [{ ...round(8), peaks }], naive: [] });
    expect(table).toContain('The naive `surreal import` of the whole export was not run.');
    expect(table).not.toContain('| naive by hand');
    expect(table).toContain('| peak memory (VmHWM, highest over the rounds) | pattern-db migrate | fast by hand |\n|---|---|---|\n| surreal server | 2 MB | 2 MB |');
  });
});

describe('--paths-at-once', () => {
  it('runs pattern-db beside the fast path only, and the table says they ran side by side', () => {
    expect(parseBenchArgs(['--skip-naive']).pathsAtOnce).toBe(false);
    expect(parseBenchArgs(['--skip-naive', '--paths-at-once']).pathsAtOnce).toBe(true);
    expect(() => parseBenchArgs(['--paths-at-once'])).toThrow('add --skip-naive');
    const round: PathRound = { steps: [{ step: 'import', seconds: 5 }], totalSeconds: 5, peaks: new Map() };
    const title = { route: '2.x → 2.x', messages: 5000, records: 10803, rounds: 1, driver: 'cli', versions: 'surreal 2.6.5' };
    const rounds: SizeRounds = { patternDb: [round], fast: [round], naive: [] };
    expect(sizeTable({ ...title, pathsAtOnce: true }, rounds)).toContain('1 round, pattern-db and the fast path side by side on the same machine,');
    expect(sizeTable(title, rounds)).toContain('1 round, the paths taking turns at going first,');
  });

  it("starts pattern-db only once the fast path's copy of the store is made, and says a failed path at once", async () => {
    const said: string[] = [];
    const events: string[] = [];
    let copy!: () => void;
    let endFast!: () => void;
    const rounds = sideBySide(1, {
      patternDb: async () => {
        events.push('pattern-db started');
        throw new Error('the target server did not start');
      },
      byHand: async (onStoreCopied) => {
        await new Promise<void>((resolve) => (copy = resolve));
        events.push('store copied');
        onStoreCopied();
        await new Promise<void>((resolve) => (endFast = resolve));
        return { fast: { steps: [], totalSeconds: 12.5, peaks: new Map() } };
      },
      say: (line) => said.push(line),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual([]);
    copy();
    await vi.waitFor(() => expect(said).toEqual(['round 1, as it ended: pattern-db — FAILED (the target server did not start)']));
    expect(events).toEqual(['store copied', 'pattern-db started']);
    endFast();
    const [patternDb, byHand] = await rounds;
    expect(said.at(-1)).toBe('round 1, as it ended: fast by hand 12.50 s');
    expect(patternDb.failure).toBe('the target server did not start');
    expect(byHand.fast.totalSeconds).toBe(12.5);
  });

  it('still runs pattern-db when the fast path fails before its copy is made', async () => {
    let ran = false;
    const [patternDb, byHand] = await sideBySide(2, {
      patternDb: async () => ((ran = true), { steps: [], totalSeconds: 3, peaks: new Map() }),
      byHand: async () => ({ fast: failedRound(new Error('no room for the copy')) }),
      say: () => {},
    });
    expect(ran).toBe(true);
    expect(patternDb.totalSeconds).toBe(3);
    expect(byHand.fast.failure).toBe('no room for the copy');
  });

  it("samples a path's own commands, what they start and its server, never another process of the bench", async () => {
    const sampler = startProcessSampler();
    const other = spawn('tail', ['-f', '/dev/null'], { stdio: 'ignore' });
    const server = spawn('cat', [], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      sampler.setServer(server.pid!);
      const run = await runCommand('sh', ['-c', 'sleep 0.5; true'], { cwd: os.tmpdir(), env: process.env, timeoutMs: 10_000, onSpawn: sampler.watch });
      expect(run.exitCode).toBe(0);
      const { peaks, cpuSeconds } = await sampler.stop();
      expect([...peaks.keys()].sort()).toEqual(['shell helpers (sh, sleep)', 'surreal server']);
      expect([...cpuSeconds.keys()].sort()).toEqual(['shell helpers (sh, sleep)', 'surreal server']);
    } finally {
      other.kill();
      server.kill();
    }
  });

  it('counts the CPU time a command spends, as the shell itself reports it', async () => {
    const sampler = startProcessSampler();
    // `times` prints the shell's own user and system time; the sleep after it lets a sample see all of it.
    const busy = 'i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done; times; sleep 0.3';
    const run = await runCommand('sh', ['-c', busy], { cwd: os.tmpdir(), env: process.env, timeoutMs: 30_000, onSpawn: sampler.watch });
    expect(run.exitCode).toBe(0);
    const [user, system] = [...(run.stdout[0]?.line ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    const cpu = (await sampler.stop()).cpuSeconds.get('shell helpers (sh, sleep)') ?? 0;
    expect(user! + system!).toBeGreaterThan(0.1);
    expect(Math.abs(cpu - (user! + system!))).toBeLessThanOrEqual(0.05);
  });
});

describe('--full-text-unbuilt', () => {
  it('names its own cache, file and title, for stores written by SurrealDB 2 only', () => {
    const args = parseBenchArgs(['--engine', '2', '--target-version', '3', '--full-text-unbuilt']);
    expect(args.fullTextUnbuilt).toBe(true);
    expect(routeName(args)).toBe('2-to-3-unbuilt');
    expect(routeTitle(args)).toBe('2.x (full-text indexes unbuilt) → 3.x');
    expect(routeName(parseBenchArgs(['--engine', '2']))).toBe('2-to-2');
    expect(() => parseBenchArgs(['--full-text-unbuilt'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--full-text-unbuilt'])).toThrow('add --engine 2');
  });
});

describe('--stamped', () => {
  it('names its own cache, file and title, for stores written by SurrealDB 3 read by auto or cli only', () => {
    const args = parseBenchArgs(['--stamped', '--driver', 'cli']);
    expect(args.stamped).toBe(true);
    expect(routeName(args)).toBe('3-to-3-stamped');
    expect(routeTitle(args)).toBe('3.x (3.1+ format) → 3.x');
    expect(parseBenchArgs([]).stamped).toBe(false);
    expect(() => parseBenchArgs(['--stamped', '--engine', '2'])).toThrow('drop --engine 2');
    expect(() => parseBenchArgs(['--stamped', '--driver', 'sdk'])).toThrow('--driver sdk would be refused');
  });
});

describe('each command\'s time limit (--timeout-minutes)', () => {
  it('is an hour unless given, in whole minutes', () => {
    expect(parseBenchArgs([]).timeoutMinutes).toBe(60);
    expect(parseBenchArgs(['--timeout-minutes', '180']).timeoutMinutes).toBe(180);
    expect(() => parseBenchArgs(['--timeout-minutes', '0'])).toThrow(BenchUsageError);
  });

  it('says a command ran out of time, not only that a signal ended it', async () => {
    const run = await runCommand('sleep', ['30'], { cwd: os.tmpdir(), env: process.env, timeoutMs: 300 });
    expect(run.timedOut).toBe(true);
    expect(run.failure).toBe('timed out after 0.3 s');
    expect(run.seconds).toBeLessThan(10);
  });
});

describe('the store a pattern-db round reads in place', () => {
  async function store(): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-store-test-'));
    await fs.mkdir(path.join(dir, 'wal'));
    await fs.writeFile(path.join(dir, 'wal', '1.wal'), 'records');
    await fs.writeFile(path.join(dir, 'LOCK'), '');
    return dir;
  }

  it('gives the round a folder whose pattern.toml names the store, and removes that folder afterwards', async () => {
    const cached = await store();
    let folder = '';
    const { value, changed } = await withStoreInPlace(cached, async (dir) => {
      folder = dir;
      return fs.readFile(path.join(dir, 'pattern.toml'), 'utf8');
    });
    expect(value).toContain(`path = ${JSON.stringify(cached)}`);
    expect(changed).toEqual([]);
    await expect(fs.stat(folder)).rejects.toThrow(/ENOENT/);
    await fs.rm(cached, { recursive: true });
  });

  it('names every entry of the store the round wrote or added, the folder that holds a new file too', async () => {
    const cached = await store();
    const { changed } = await withStoreInPlace(cached, async () => {
      await fs.appendFile(path.join(cached, 'wal', '1.wal'), ' and more');
      await fs.writeFile(path.join(cached, 'wal', '2.wal'), 'new');
    });
    expect(changed).toEqual(['wal (changed)', `${path.join('wal', '1.wal')} (changed)`, `${path.join('wal', '2.wal')} (new)`]);
    await fs.rm(cached, { recursive: true });
  });
});
