// npm run bench -- [--messages N] [--rounds R] [--driver cli|sdk]
// Times `pattern-db migrate` against a raw `surreal export` + `surreal import` of the same store, in the same run,
// each into a fresh in-memory server, and prints the medians, the ratio and each side's peak memory.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateStore } from '../src/fixture/generate.js';
import { repoRoot } from '../src/files/compiled-path.js';
import { locateSurreal } from '../src/surreal/cli.js';
import { startManagedServer, stopManagedServer } from '../src/surreal/server.js';

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' }, driver: { type: 'string', default: 'cli' } },
});
const messages = Number(values.messages);
const rounds = Number(values.rounds);
const password = 'bench-password-1';

interface Measure {
  seconds: number;
  peakKb: number;
  /** The command's own last error line, when it failed. */
  failure?: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Wall time and peak resident memory of a whole command (its largest process), via GNU time. */
async function timed(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Measure> {
  const report = path.join(os.tmpdir(), `bench-time-${process.pid}-${Date.now()}`);
  const run = await execa('/usr/bin/time', ['-o', report, '-f', '%e %M', command, ...args], { ...options, reject: false, stdin: 'ignore' });
  const [seconds, peakKb] = (await fs.readFile(report, 'utf8')).trim().split('\n').at(-1)!.split(' ').map(Number);
  await fs.rm(report, { force: true });
  const errorLine = String(run.stderr).replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => /ERROR|error/.test(l)).at(-1);
  return { seconds: seconds!, peakKb: peakKb!, ...(run.exitCode !== 0 ? { failure: `exit ${run.exitCode}: ${errorLine ?? ''}`.trim() } : {}) };
}

async function withServer<T>(bin: string, fn: (url: string) => Promise<T>): Promise<T> {
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-server-'));
  const server = await startManagedServer({ bin, storage: 'memory', bind: `127.0.0.1:${await freePort()}`, username: 'root', password, stateDir });
  try {
    return await fn(server.url);
  } finally {
    await stopManagedServer(stateDir);
  }
}

async function copyOf(store: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-copy-'));
  await fs.cp(store, path.join(dir, 'pattern.db'), { recursive: true, filter: (src) => path.basename(src) !== 'LOCK' });
  await fs.writeFile(path.join(dir, 'pattern.toml'), '[user]\nid = "bench"\n[agent]\nname = "Pattern"\n[model]\nprovider = "Anthropic"\n[database]\ntype = "embedded"\npath = "./pattern.db"\n');
  return dir;
}

const env = { SURREAL_USER: 'root', SURREAL_PASS: password, SURREAL_ONLINE_VERSION_CHECK: 'false' };

async function patternDbRound(bin: string, store: string): Promise<Measure> {
  const dir = await copyOf(store);
  return withServer(bin, (url) =>
    timed('node', [path.join(repoRoot, 'bin/pattern-db.js'), 'migrate', '--yes', '--driver', values.driver!, '--target', url], { cwd: dir, env: { ...env, SURREAL_BIN: bin } }),
  );
}

async function rawCliRound(bin: string, store: string): Promise<Measure> {
  const dir = await copyOf(store);
  const file = path.join(dir, 'raw_export.surql');
  const exported = await timed(bin, ['export', '--endpoint', `surrealkv://${path.join(dir, 'pattern.db')}`, '--namespace', 'pattern', '--database', 'pattern', '--log', 'warn', file], { cwd: dir, env });
  const imported = await withServer(bin, (url) =>
    timed(bin, ['import', '--endpoint', url, '--namespace', 'pattern', '--database', 'pattern', '--log', 'warn', file], { cwd: dir, env }),
  );
  const failure = exported.failure ?? imported.failure;
  return { seconds: exported.seconds + imported.seconds, peakKb: Math.max(exported.peakKb, imported.peakKb), ...(failure ? { failure } : {}) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const surreal = await locateSurreal();
  if (!surreal) throw new Error('No surreal found: run scripts/ensure-surreal or set SURREAL_BIN.');
  const store = path.join(os.tmpdir(), `pattern-db-bench-m${messages}`, 'pattern.db');
  if (!(await fs.stat(store).catch(() => null))) {
    process.stderr.write(`generating a ${messages}-message store…\n`);
    await generateStore({ out: store, messages, seed: 1 });
  }
  const a: Measure[] = [];
  const b: Measure[] = [];
  for (let round = 1; round <= rounds; round++) {
    a.push(await patternDbRound(surreal.path, store));
    b.push(await rawCliRound(surreal.path, store));
    const status = (m: Measure) => `${m.seconds}s${m.failure ? ` FAILED (${m.failure})` : ''}`;
    process.stderr.write(`round ${round}: pattern-db ${status(a.at(-1)!)}, surreal export+import ${status(b.at(-1)!)}\n`);
  }
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  const line = (label: string, ms: Measure[]) => {
    const failed = ms.filter((m) => m.failure);
    const tail = failed.length ? `; ${failed.length} of ${ms.length} runs FAILED: ${failed[0]!.failure}` : '';
    return `${label} median ${median(ms.map((m) => m.seconds)).toFixed(2)} s, peak ${mb(Math.max(...ms.map((m) => m.peakKb)))}${tail}`;
  };
  console.log(`store: ${messages} messages; surreal ${surreal.version}; ${rounds} rounds; pattern-db --driver ${values.driver}`);
  console.log(line('pattern-db migrate (export, import, verify every record, config):', a));
  console.log(line('surreal export + surreal import:                            ', b));
  const ratios = a.map((m, i) => m.seconds / b[i]!.seconds);
  console.log(`ratio pattern-db / raw CLI (wall time, failed runs included as measured): median ${median(ratios).toFixed(2)} (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
