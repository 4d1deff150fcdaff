// npm run bench:verify -- [--records N]
// How fast verify compares records by value (CBOR over POST /rpc, decoded, canonicalised and digested here) next to
// the server's own text hash, on fresh in-memory SurrealDB 2.x and 3.x servers holding Pattern-like message records
// (~1.2 KB each). Needs scripts/ensure-surreal 2 and 3 (or SURREAL2_BIN / SURREAL_BIN).
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CborCodec } from 'surrealdb';
import { recordDigest } from '../src/core/record-digest.js';
import { verifyTable, VERIFY_PAGE } from '../src/steps/verify-records.js';
import { locateSurreal } from '../src/surreal/cli.js';
import { SurrealHttp } from '../src/surreal/http.js';
import { startManagedServer, stopManagedServer } from '../src/surreal/server.js';
import type { SourceStore } from '../src/surreal/source-store.js';
import { readValueDigests, recordsOfAnswer, valuePageSql } from '../src/surreal/value-digests.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '40000' } } });
const records = Number(values.records);
const password = 'bench-password-1';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const SEED = `CREATE |msg:${records}| CONTENT {
  role: 'assistant', owner_id: user:abc, has_tool_calls: false, word_count: 120, created_at: time::now(),
  position: rand::string(26), batch_type: 'user_request', score: rand::float(), cost: 1.25dec,
  content: { Blocks: [{ Text: { text: rand::string(600) } }, { Thinking: { text: rand::string(200), signature: rand::string(64) } }] },
  metadata: { timestamp: time::now(), user_id: rand::uuid(), channel_id: NULL, tags: ['a', 'b', 'c'] },
  options: { cache_control: NONE }, wait: 1h30m
} RETURN NONE;`;

async function server(major: 2 | 3): Promise<{ http: SurrealHttp; version: string; stop: () => Promise<void> }> {
  const surreal = await locateSurreal(process.env, { major });
  if (!surreal) throw new Error(`No surreal ${major}.x: run scripts/ensure-surreal ${major}.`);
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-verify-'));
  const state = await startManagedServer({ bin: surreal.path, storage: 'memory', bind: `127.0.0.1:${await freePort()}`, username: 'root', password, stateDir });
  const http = new SurrealHttp({ url: state.url, username: 'root', password, namespace: 'bench', database: 'bench', timeoutMs: 600_000 });
  await http.ensureDatabase();
  await http.sql(SEED);
  return { http, version: surreal.version, stop: async () => void (await stopManagedServer(stateDir), await fs.rm(stateDir, { recursive: true, force: true })) };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} records/s`.padStart(18);
const line = (what: string, ms: number, n = records, extra = '') => console.log(`  ${what.padEnd(46)} ${ms.toFixed(0).padStart(7)} ms ${rate(n, ms)}${extra}`);

const v2 = await server(2);
const v3 = await server(3);
try {
  console.log(`verify, ${records.toLocaleString('en-US')} records per side, pages of ${VERIFY_PAGE}, surreal ${v2.version} and ${v3.version} in memory, ${os.cpus().length} cores (load ${os.loadavg()[0]!.toFixed(1)})`);
  const [, hashMs] = await timed(async () => {
    for (let start = 0; start < records; start += 5000) await v3.http.sql(`SELECT VALUE [<string> id, crypto::sha256(<string> $this)] FROM msg START ${start} LIMIT 5000;`);
  });
  line(`3.x: server text hash (the same-major method)`, hashMs);

  const [bodies, fetchMs] = await timed(async () => {
    const out: Uint8Array[] = [];
    for (let start = 0; start < records; start += VERIFY_PAGE) out.push(await v3.http.rpcCbor('query', [valuePageSql('msg', start, VERIFY_PAGE)]));
    return out;
  });
  const bytes = bodies.reduce((n, b) => n + b.length, 0);
  line('3.x: CBOR pages fetched over /rpc', fetchMs, records, `  (${(bytes / 1e6).toFixed(1)} MB)`);
  const [, digestMs] = await timed(async () => bodies.forEach((body) => recordsOfAnswer(body, 'bench').map(recordDigest)));
  line('decoded + canonicalised + sha256 here', digestMs, records, `  (${(bytes / 1e6 / (digestMs / 1000)).toFixed(0)} MB/s)`);
  const [, sdkMs] = await timed(async () => bodies.forEach((body) => CborCodec.DEFAULT.decode(body)));
  line("(the SDK's decoder alone, for scale)", sdkMs);

  // The step's own path: both sides read at once, as verify reads a served 2.x source and a 3.x target.
  const source = { valueDigests: (table: string, start: number, limit: number) => readValueDigests(v2.http, table, start, limit) } as unknown as SourceStore;
  const [table, bothMs] = await timed(() => verifyTable('msg', 'value', { source, target: v3.http, targetHasTable: true }, () => undefined));
  line(`verifyTable by value, 2.x source + 3.x target`, bothMs, records, `  (${table.source} + ${table.target} records)`);
} finally {
  await v2.stop();
  await v3.stop();
}
