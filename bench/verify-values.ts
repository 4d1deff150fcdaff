// npm run bench:verify -- [--records N] [--messages M] [--rounds R]
// Records/s of verify's record comparison, by each method, the whole-table way (every id's digest on both sides,
// pages of START: how it was done before ranges) against ranges of ids, alternating in the same run:
//   value: N Pattern-like message records (~1.2 KB) written alike into in-memory SurrealDB 2.x (source) and 3.x (target);
//          by ranges, each record digested by value on both sides (before) against each range's bytes compared first
//   hash:  the cached generated 3.x store of M messages (bench/bench-store.ts), read by the embedded engine from a copy,
//          against a 3.x in-memory server it was imported into (the same-major route); then the same export imported
//          into a second 3.x server read as a 3.1+ store's private server is, its pages found by key or by count
// Needs scripts/ensure-surreal 2 and 3 (or SURREAL2_BIN / SURREAL_BIN).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { PageBy } from '../src/core/record-range.js';
import type { RecordMethod, TableComparison } from '../src/core/verify-report.js';
import { verifyTableByRanges, verifyTableWhole, VERIFY_PAGE, type TableSides } from '../src/steps/verify-records.js';
import { locateSurreal } from '../src/surreal/cli.js';
import { SurrealHttp } from '../src/surreal/http.js';
import { embeddedEngineOf, openSourceStore, servedPages, type SourceStore } from '../src/surreal/source-store.js';
import { benchStore } from './bench-store.js';
import { median } from './bench-stats.js';
import { freePort, startBenchServer, stopBenchServer } from './bench-server.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '40000' }, messages: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' } } });
const records = Number(values.records);
const messages = Number(values.messages);
const rounds = Number(values.rounds);
const password = 'bench-password-1';


/** The same N records on either major: string ids as Pattern's, contents derived from the index alone. */
const seed = (major: 2 | 3) => `FOR $i IN 0..${records} {
  CREATE ${major === 2 ? 'type::thing' : 'type::record'}('msg', 'msg_' + crypto::md5(<string> $i)) CONTENT {
    role: 'assistant', owner_id: user:abc, has_tool_calls: false, word_count: $i, created_at: d'2025-01-01T00:00:00Z' + <duration> (<string> $i + 's'),
    position: crypto::sha1(<string> $i), batch_type: 'user_request', score: $i * 0.25, cost: 1.25dec,
    content: { Blocks: [{ Text: { text: string::repeat(crypto::sha512(<string> $i), 5) } }, { Thinking: { text: crypto::sha512(<string> ($i + 1)) + crypto::sha512(<string> ($i + 2)), signature: crypto::sha256(<string> $i) } }] },
    metadata: { timestamp: d'2025-01-01T00:00:00.123456789Z', user_id: u'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', channel_id: NULL, tags: ['a', 'b', 'c'] },
    options: { cache_control: NONE }, wait: 1h30m
  } RETURN NONE;
};`;

async function server(major: 2 | 3): Promise<{ http: SurrealHttp; version: string; stop: () => Promise<void> }> {
  const surreal = await locateSurreal(process.env, { major });
  if (!surreal) throw new Error(`No surreal ${major}.x: run scripts/ensure-surreal ${major}.`);
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-verify-'));
  const state = await startBenchServer({ bin: surreal.path, storage: 'memory', bind: `127.0.0.1:${await freePort()}`, username: 'root', password, stateDir });
  const http = new SurrealHttp({ url: state.url, username: 'root', password, namespace: 'pattern', database: 'pattern', timeoutMs: 600_000 });
  await http.ensureDatabase();
  return { http, version: surreal.version, stop: async () => void (await stopBenchServer(stateDir), await fs.rm(stateDir, { recursive: true, force: true })) };
}

/** A server read the way verify reads a served source, its pages found `by` key or by count (core/record-range.ts). */
function servedSource(http: SurrealHttp, by: PageBy): SourceStore {
  return servedPages(http, by) as SourceStore;
}

/** The same source with no range's bytes to compare: every record is digested by value, as verify did before. */
function recordByRecord(source: SourceStore): SourceStore {
  const { encodedRange: _bytes, ...rest } = source;
  return rest as SourceStore;
}

async function importInto(http: SurrealHttp, file: string): Promise<void> {
  const { errors } = await http.importBody(await fs.readFile(file));
  if (errors.length) throw new Error(`import: ${JSON.stringify(errors.slice(0, 3))}`);
}

type Way = (table: string, method: RecordMethod, sides: TableSides) => Promise<TableComparison>;
type Sides = Omit<TableSides, 'targetHasTable'>;
const byRanges: Way = (t, m, s) => verifyTableByRanges(t, m, s, () => undefined);
/** The whole-table way against ranges, on the same sides. */
const wholeOrRanges = (sides: Sides): Array<[string, Way, Sides]> => [
  ['whole tables (before)', (t, m, s) => verifyTableWhole(t, m, s), sides],
  ['ranges of ids (after)', byRanges, sides],
];

/** Alternating the ways, `rounds` times each; medians and spread of records/s; every round must find no difference. */
async function compareWays(label: string, method: RecordMethod, tables: string[], ways: Array<[string, Way, Sides]>): Promise<void> {
  const rates: number[][] = ways.map(() => []);
  let total = 0;
  for (let round = 0; round < rounds; round++) {
    for (const [i, [name, way, sides]] of ways.entries()) {
      const started = performance.now();
      total = 0;
      for (const table of tables) {
        const result = await way(table, method, { ...sides, targetHasTable: true });
        if (result.missing + result.extra + result.changed) throw new Error(`${name}: ${table} differs: ${JSON.stringify(result)}`);
        total += result.source;
      }
      rates[i]!.push(total / ((performance.now() - started) / 1000));
    }
  }
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`${label}: ${total.toLocaleString('en-US')} records per side, ${rounds} rounds alternating`);
  for (const [i, [name]] of ways.entries()) {
    const r = rates[i]!;
    console.log(`  ${method} by ${name.padEnd(Math.max(...ways.map(([n]) => n.length)))} median ${fmt(median(r)).padStart(7)} records/s  (${fmt(Math.min(...r))}–${fmt(Math.max(...r))})`);
  }
}

const load = () => `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`;

// value: 2.x → 3.x
{
  const [v2, v3] = await Promise.all([server(2), server(3)]);
  try {
    await Promise.all([v2.http.sql(seed(2)), v3.http.sql(seed(3))]);
    console.log(`pages/ranges of ${VERIFY_PAGE}; surreal ${v2.version} → ${v3.version} in memory; ${load()}`);
    const source = servedSource(v2.http, 'key');
    await compareWays('value (2.x source served, 3.x target)', 'value', ['msg'], [
      ['whole tables', (t, m, s) => verifyTableWhole(t, m, s), { source, target: v3.http }],
      ['ranges, every record by value (before)', byRanges, { source: recordByRecord(source), target: v3.http }],
      ['ranges, their bytes first (after)', byRanges, { source, target: v3.http }],
    ]);
  } finally {
    await Promise.all([v2.stop(), v3.stop()]);
  }
}

// hash: the embedded engine on a copy of the cached 3.x store → 3.x
{
  const store = await benchStore(3, messages);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-verify-hash-'));
  const v3 = await server(3);
  try {
    const copy = path.join(work, 'pattern.db');
    await fs.cp(store.path, copy, { recursive: true });
    const source = await openSourceStore(copy, 'surrealkv-3.0', { namespace: 'pattern', database: 'pattern' });
    try {
      const file = path.join(work, 'export.surql');
      await embeddedEngineOf(source)!.export(file);
      await importInto(v3.http, file);
      const { tables } = await source.info();
      console.log(`${messages.toLocaleString('en-US')}-message 3.x store (${source.engine}) → surreal ${v3.version} in memory; ${load()}`);
      await compareWays('hash (embedded source, 3.x target)', 'hash', tables, wholeOrRanges({ source, target: v3.http }));
      // A 3.1+ store's private 3.3.5 server as the source: its pages found by key (an open range it reads to its end)
      // or by the records counted before them (START), as source-store.ts does.
      const served = await server(3);
      try {
        await importInto(served.http, file);
        await compareWays('hash (3.x source served, 3.x target)', 'hash', tables, [
          ['ranges found by key (before)', byRanges, { source: servedSource(served.http, 'key'), target: v3.http }],
          ['ranges found by count (after)', byRanges, { source: servedSource(served.http, 'count'), target: v3.http }],
        ]);
      } finally {
        await served.stop();
      }
    } finally {
      await source.close();
    }
  } finally {
    await v3.stop();
    await fs.rm(work, { recursive: true, force: true });
  }
}
