// npm run bench -- [--messages N] [--rounds R] [--driver cli|sdk] [--engine 2|3] [--target-version 2|3]
// Times `pattern-db migrate` against the by-hand path of the same store, in the same run, each into a fresh in-memory
// server of the target's major, and prints the medians, the ratio and each side's peak memory. By hand means:
//   engine 3 → 3.x:  surreal export (3.x) + surreal import (3.x)
//   engine 2 → 2.x:  surreal export (2.x) + surreal import (2.x)                    (stay: what Pattern needs)
//   engine 2 → 3.x:  surreal export --v3 (2.x) + surreal import (3.x)               (upgrade, as SurrealDB documents it)
// Stores are generated once per engine and size, and cached in the temp folder (bench/bench-store.ts).
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../src/files/compiled-path.js';
import { locateSurreal, surrealEnv, type SurrealProgram } from '../src/surreal/cli.js';
import { SurrealHttp } from '../src/surreal/http.js';
import { startManagedServer, stopManagedServer } from '../src/surreal/server.js';
import { benchStore } from './bench-store.js';
import { inSequence, median, timed, type Measure } from './measure.js';

type Major = 2 | 3;

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    driver: { type: 'string', default: 'cli' },
    engine: { type: 'string', default: '3' },
    'target-version': { type: 'string' },
  },
});

function majorArg(name: string, text: string): Major {
  if (text === '2' || text === '3') return Number(text) as Major;
  throw new Error(`--${name} must be 2 or 3, got "${text}"`);
}

const messages = Number(values.messages);
const rounds = Number(values.rounds);
const engine = majorArg('engine', values.engine!);
const target = majorArg('target-version', values['target-version'] ?? values.engine!);
const password = 'bench-password-1';
const credentials = { username: 'root', password };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function withServer<T>(bin: string, fn: (url: string) => Promise<T>): Promise<T> {
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-server-'));
  const server = await startManagedServer({ bin, storage: 'memory', bind: `127.0.0.1:${await freePort()}`, ...credentials, stateDir });
  try {
    return await fn(server.url);
  } finally {
    await stopManagedServer(stateDir);
    await fs.rm(stateDir, { recursive: true, force: true });
  }
}

async function copyOf(store: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-copy-'));
  await fs.cp(store, path.join(dir, 'pattern.db'), { recursive: true, filter: (src) => path.basename(src) !== 'LOCK' });
  await fs.writeFile(path.join(dir, 'pattern.toml'), '[user]\nid = "bench"\n[agent]\nname = "Pattern"\n[model]\nprovider = "Anthropic"\n[database]\ntype = "embedded"\npath = "./pattern.db"\n');
  return dir;
}

/** pattern-db's own account of a failure: the error of its `--json` result. */
function patternDbFailure(stdout: string): string | undefined {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith('{"type":"result"'));
  const error = line ? (JSON.parse(line) as { error?: { code: string; message: string; evidence?: string } }).error : undefined;
  if (!error) return undefined;
  const said = error.evidence?.split('\n').filter((l) => l.trim()).at(-1);
  return `${error.code}: ${error.message}${said ? ` (${said})` : ''}`;
}

async function patternDbRound(programs: Record<Major, SurrealProgram | null>, store: string): Promise<Measure> {
  const dir = await copyOf(store);
  try {
    const env = {
      ...process.env,
      SURREAL_USER: credentials.username,
      SURREAL_PASS: password,
      ...(programs[3] ? { SURREAL_BIN: programs[3].path } : {}),
      ...(programs[2] ? { SURREAL2_BIN: programs[2].path } : {}),
    };
    const args = [path.join(repoRoot, 'bin/pattern-db.js'), 'migrate', '--yes', '--json', '--driver', values.driver!, '--target-version', String(target)];
    return await withServer(programs[target]!.path, (url) => timed('node', [...args, '--target', url], { cwd: dir, env, failureOf: patternDbFailure }));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Messages the target holds after the by-hand import: a clean exit is not taken for a complete one, and a failed one
 * may have loaded everything but the statements it names (a 2.x server runs the whole file, then the CLI reports).
 */
async function messagesIn(url: string): Promise<number> {
  const http = new SurrealHttp({ url, ...credentials, namespace: 'pattern', database: 'pattern' });
  const [count] = (await http.sql('RETURN count(SELECT VALUE id FROM msg);').catch(() => [0])) as number[];
  return Number(count ?? 0);
}

async function byHandRound(programs: Record<Major, SurrealProgram | null>, store: string, expectedMessages: number): Promise<Measure> {
  const dir = await copyOf(store);
  try {
    const file = path.join(dir, 'raw_export.surql');
    const env = surrealEnv(credentials);
    const v3 = engine === 2 && target === 3 ? ['--v3'] : [];
    const selection = ['--namespace', 'pattern', '--database', 'pattern', '--log', 'warn'];
    const exported = await timed(programs[engine]!.path, ['export', '--endpoint', `surrealkv://${path.join(dir, 'pattern.db')}`, ...selection, ...v3, file], { cwd: dir, env });
    if (exported.failure) return { ...exported, detail: 'in the export' };
    return await withServer(programs[target]!.path, async (url) => {
      const imported = await timed(programs[target]!.path, ['import', '--endpoint', url, ...selection, file], { cwd: dir, env });
      const both = inSequence(exported, imported);
      const landed = await messagesIn(url);
      const detail = `export ${exported.seconds.toFixed(2)} s + import ${imported.seconds.toFixed(2)} s; ${landed} of ${expectedMessages} messages arrived`;
      if (both.failure || landed === expectedMessages) return { ...both, detail };
      return { ...both, failure: 'exit 0, but messages are missing', detail };
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function byHandTitle(): string {
  if (engine === 2 && target === 3) return 'surreal export --v3 (2.x) + surreal import (3.x)';
  return `surreal export + surreal import (${target}.x)`;
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function summary(measures: Measure[]): { median: string; peak: string; failed: string } {
  const failed = measures.filter((m) => m.failure);
  return {
    median: `${median(measures.map((m) => m.seconds)).toFixed(2)} s`,
    peak: mb(Math.max(...measures.map((m) => m.peakKb))),
    failed: failed.length ? `${failed.length} of ${measures.length} FAILED: ${failed[0]!.failure}${failed[0]!.detail ? ` [${failed[0]!.detail}]` : ''}` : 'none',
  };
}

async function main(): Promise<void> {
  if (engine === 3 && target === 2) throw new Error('A store written by SurrealDB 3 cannot go to a SurrealDB 2 server: drop --target-version 2.');
  const programs: Record<Major, SurrealProgram | null> = {
    2: await locateSurreal(process.env, { major: 2 }),
    3: await locateSurreal(process.env, { major: 3 }),
  };
  for (const major of new Set<Major>([engine, target])) {
    if (!programs[major]) throw new Error(`No surreal ${major}.x found: run scripts/ensure-surreal ${major}, or set ${major === 2 ? 'SURREAL2_BIN' : 'SURREAL_BIN'}.`);
  }
  const store = await benchStore(engine, messages, programs[2]?.path);
  const a: Measure[] = [];
  const b: Measure[] = [];
  for (let round = 1; round <= rounds; round++) {
    a.push(await patternDbRound(programs, store.path));
    b.push(await byHandRound(programs, store.path, store.counts.msg ?? messages));
    const status = (m: Measure) => `${m.seconds.toFixed(2)} s${m.failure ? ` FAILED (${m.failure})` : ''}${m.detail ? ` [${m.detail}]` : ''}`;
    process.stderr.write(`round ${round}: pattern-db ${status(a.at(-1)!)}, by hand ${status(b.at(-1)!)}\n`);
  }
  const versions = [...new Set([engine, target])].map((m) => `surreal ${programs[m]!.version}`).join(', ');
  const ours = summary(a);
  const theirs = summary(b);
  const ratios = a.map((m, i) => m.seconds / b[i]!.seconds);
  // A by-hand path that fails stops early: its time is how long it took to fail, not to move the data.
  const early = b.every((m) => m.failure) ? ', by hand failed early' : '';
  const ratio = `${median(ratios).toFixed(2)} (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)}${early})`;
  console.log(`store: ${messages} messages written by SurrealDB ${engine}, into SurrealDB ${target}; ${versions}; ${rounds} rounds; pattern-db --driver ${values.driver}`);
  console.log(`pattern-db migrate (export, import, verify every record, config): median ${ours.median}, peak ${ours.peak}; failures: ${ours.failed}`);
  console.log(`${byHandTitle()}: median ${theirs.median}, peak ${theirs.peak}; failures: ${theirs.failed}`);
  console.log(`ratio pattern-db / by hand (wall time, failed runs included as measured): median ${ratio}`);
  console.log('| store | route | messages | rounds | pattern-db median | by hand median | ratio | pattern-db peak | by hand peak | failures |');
  console.log(
    `| ${engine}.x | ${engine === target ? `stay ${target}.x` : `upgrade ${engine}.x→${target}.x`} | ${messages} | ${rounds} | ${ours.median} | ${theirs.median} | ${median(ratios).toFixed(2)}${early ? ' (by hand failed)' : ''} | ${ours.peak} | ${theirs.peak} | pattern-db: ${ours.failed}; by hand: ${theirs.failed} |`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
