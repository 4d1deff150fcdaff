// npm run bench:inspect -- [--records N] [--rounds R]
// How long the inspector takes to read a page of records (50) at the start, the middle and the end of a large table,
// and to count it, on a fresh in-memory server. Reading the whole table is timed beside them for scale.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../src/core/stats.js';
import { locateSurreal } from '../src/surreal/cli.js';
import { SurrealHttp } from '../src/surreal/http.js';
import { openServerSource } from '../src/surreal/inspect-server.js';
import { PAGE_SIZE } from '../src/core/inspect-types.js';
import { freePort, startBenchServer, stopBenchServer } from './bench-server.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' } } });
const records = Number(values.records);
const rounds = Number(values.rounds);
const password = 'bench-password-1';
const selection = { namespace: 'bench', database: 'bench' };


async function timedMs(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const surreal = await locateSurreal(process.env, { major: 3 });
if (!surreal) throw new Error('No surreal 3.x: run scripts/ensure-surreal and set SURREAL_BIN.');
const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-inspect-'));
const server = await startBenchServer({ bin: surreal.path, storage: 'memory', bind: `127.0.0.1:${await freePort()}`, username: 'root', password, stateDir });
try {
  const http = new SurrealHttp({ url: server.url, username: 'root', password, ...selection, timeoutMs: 600_000 });
  await http.ensureDatabase();
  const loading = await timedMs(() => http.sql(`CREATE |big:0..${records}| SET n = 7, label = 'row', at = time::now() RETURN NONE;`));
  const source = await openServerSource({ url: server.url, username: 'root', password, selection, writable: false });
  const times: Record<string, number[]> = { count: [], 'first page': [], 'middle page': [], 'last page': [], 'whole table': [] };
  for (let round = 0; round < rounds; round++) {
    times['count']!.push(await timedMs(() => source.count(selection, 'big')));
    times['first page']!.push(await timedMs(() => source.records(selection, 'big', 0, PAGE_SIZE)));
    times['middle page']!.push(await timedMs(() => source.records(selection, 'big', Math.floor(records / 2), PAGE_SIZE)));
    times['last page']!.push(await timedMs(() => source.records(selection, 'big', records - PAGE_SIZE, PAGE_SIZE)));
  }
  times['whole table']!.push(await timedMs(() => http.sql('SELECT * FROM big;')));
  await source.close();
  console.log(`inspect paging: ${records.toLocaleString('en-US')} records (created in ${(loading / 1000).toFixed(1)} s), page of ${PAGE_SIZE}, ${rounds} rounds, surreal ${surreal.version} in memory`);
  for (const [what, samples] of Object.entries(times)) {
    console.log(`  ${what.padEnd(12)} median ${median(samples).toFixed(1).padStart(8)} ms   (${samples.map((s) => s.toFixed(0)).join(', ')})`);
  }
} finally {
  await stopBenchServer(stateDir);
  await fs.rm(stateDir, { recursive: true, force: true });
}
