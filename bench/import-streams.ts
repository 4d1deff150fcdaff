// node dist/bench/import-streams.js --export FILE [--rounds R] [--streams 1,2,3] [--server 3-memory,3-surrealkv,2-memory]
//   [--send http,cli] [--chunk-mb 4] [--inserts cut,as-written]
// Times the data part of an export (every chunk but the deferred DEFINE INDEX ones) loaded as the import step cuts it,
// with 1, 2, 3… chunks in flight at once (as src/steps/chunks-in-flight.ts sends them), into a fresh server per run, by
// POST /import (http) or `surreal import` of a chunk file (cli); its long INSERTs cut as the import step cuts them
// (core/insert-cuts.ts), or sent as the export wrote them. The ways are alternated within each round so that a busy
// machine slows each alike. Prints the median wall time, its spread and the server's CPU time.
import { promises as fs, createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chunkStatements, type ImportChunk } from '../src/core/import-chunks.js';
import { cutInserts } from '../src/core/insert-cuts.js';
import { importRepairer, upgradeRepairer } from '../src/core/statement-repairs.js';
import { scanStatements } from '../src/core/surql-scan.js';
import { cliImport, locateSurreal } from '../src/surreal/cli.js';
import { SurrealHttp } from '../src/surreal/http.js';
import { sendThroughWindow } from '../src/steps/chunks-in-flight.js';
import { median } from './bench-stats.js';
import { freePort, startBenchServer, stopBenchServer } from './bench-server.js';

const { values } = parseArgs({
  options: {
    export: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    streams: { type: 'string', default: '1,2,3' },
    server: { type: 'string', default: '3-memory,3-surrealkv,2-memory' },
    send: { type: 'string', default: 'http,cli' },
    'chunk-mb': { type: 'string', default: '4' },
    inserts: { type: 'string', default: 'cut' },
  },
});

if (!values.export) {
  console.error('usage: node dist/bench/import-streams.js --export FILE [--rounds R] [--streams 1,2,3] [--server 3-memory,3-surrealkv,2-memory] [--send http,cli] [--chunk-mb 4] [--inserts cut,as-written]');
  process.exit(2);
}
const insertModes = values.inserts!.split(',');
if (!insertModes.every((mode) => mode === 'cut' || mode === 'as-written')) {
  console.error(`--inserts takes cut, as-written or both, not ${values.inserts}`);
  process.exit(2);
}

const credentials = { username: 'root', password: 'bench-password-1' };
const selection = { namespace: 'pattern', database: 'pattern' };


/**
 * `forV2`: a SurrealDB 2 server cannot parse a 3.x export's field types (`none | string`), so for it the fields and
 * analyzers are left out: its tables are all SCHEMALESS, and what is timed is the loading of the same records. A 2.x
 * `surreal export --v3` is repaired as the upgrade's export step repairs it (rules no 3.x export needs).
 */
async function dataChunks(file: string, forV2: boolean, inserts: string): Promise<ImportChunk[]> {
  const upgrade = upgradeRepairer();
  const repairer = importRepairer();
  const chunks: ImportChunk[] = [];
  async function* repaired() {
    const statements = scanStatements(createReadStream(file, { encoding: 'utf8' }));
    for await (const s of inserts === 'cut' ? cutInserts(statements) : statements) {
      if (forV2 && /^DEFINE\s+(FIELD|ANALYZER)\b/i.test(s.text)) continue;
      const upgraded = upgrade.repair(s);
      const text = upgraded === null ? null : repairer.repair({ ...s, text: upgraded });
      if (text !== null) yield { ...s, text };
    }
  }
  for await (const chunk of chunkStatements(repaired(), { maxBytes: Number(values['chunk-mb']) * 1024 * 1024, deferIndexes: true })) {
    if (!chunk.definesIndex) chunks.push(chunk);
  }
  return chunks;
}

/** Sends every chunk the way the import step does (chunks-in-flight.ts), `streams` at most at once. */
async function sendAll(chunks: ImportChunk[], streams: number, send: (c: ImportChunk) => Promise<string[]>): Promise<string[]> {
  const errors: string[] = [];
  await sendThroughWindow(chunks, { width: streams, send: async (c) => void errors.push(...(await send(c))), prefixDone: async () => {} });
  return errors;
}

/** CPU seconds (user + system) the process has used so far, from /proc. */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Timing {
  seconds: number;
  serverCpu: number;
}

async function run(bin: string, storageKind: string, how: string, streams: number, chunks: ImportChunk[]): Promise<Timing> {
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'par14-server-'));
  const storage = storageKind === 'memory' ? 'memory' : `surrealkv://${path.join(stateDir, 'data')}`;
  const server = await startBenchServer({ bin, storage, bind: `127.0.0.1:${await freePort()}`, ...credentials, stateDir });
  try {
    const http = new SurrealHttp({ url: server.url, ...credentials, ...selection });
    await http.ensureDatabase();
    const send = async (chunk: ImportChunk): Promise<string[]> => {
      if (how === 'http') return (await http.importBody(chunk.body)).errors.map((e) => e.message);
      const file = path.join(stateDir, `chunk-${chunk.index}.surql`);
      await fs.writeFile(file, chunk.body);
      await cliImport({ bin, endpoint: server.url, ...selection, file, ...credentials });
      return [];
    };
    const cpuBefore = await cpuSeconds(server.pid);
    const started = performance.now();
    const errors = await sendAll(chunks, streams, send);
    const seconds = (performance.now() - started) / 1000;
    const serverCpu = (await cpuSeconds(server.pid)) - cpuBefore;
    if (errors.length) throw new Error(`${errors.length} errors, first: ${errors[0]}`);
    const [landed] = (await http.sql('RETURN count(SELECT VALUE id FROM msg) + count(SELECT VALUE id FROM agent_messages);')) as number[];
    const expected = chunks.reduce((n, c) => n + (c.recordsByTable.msg ?? 0) + (c.recordsByTable.agent_messages ?? 0), 0);
    if (Number(landed) !== expected) throw new Error(`${landed} of ${expected} msg+agent_messages arrived`);
    return { seconds, serverCpu };
  } finally {
    await stopBenchServer(stateDir);
    await fs.rm(stateDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const file = values.export!;
  const chunksFor: Record<'2' | '3', Map<string, ImportChunk[]>> = { 2: new Map(), 3: new Map() };
  for (const inserts of insertModes) {
    chunksFor[2].set(inserts, await dataChunks(file, true, inserts));
    chunksFor[3].set(inserts, await dataChunks(file, false, inserts));
  }
  for (const [major, byMode] of Object.entries(chunksFor)) {
    for (const [inserts, chunks] of byMode) {
      const records = chunks.reduce((n, c) => n + c.records, 0);
      const statements = chunks.reduce((n, c) => n + c.statements, 0);
      console.log(`${file} for ${major}.x, inserts ${inserts}: ${chunks.length} data chunks (${chunks.filter((c) => !c.recordsOnly).length} with definitions, sent alone), ${statements} statements, ${records} records`);
    }
  }
  const bins = { 2: (await locateSurreal(process.env, { major: 2 }))!.path, 3: (await locateSurreal(process.env, { major: 3 }))!.path };
  const streamCounts = values.streams!.split(',').map(Number);
  for (const server of values.server!.split(',')) {
    const [major, storage] = server.split('-') as ['2' | '3', string];
    for (const how of values.send!.split(',')) {
      const ways = streamCounts.flatMap((n) => insertModes.map((inserts) => ({ n, inserts, label: `${n} in flight${insertModes.length > 1 ? `, inserts ${inserts}` : ''}` })));
      const times = new Map<string, Timing[]>(ways.map((way) => [way.label, []]));
      for (let round = 0; round < Number(values.rounds); round++) {
        for (const way of ways) {
          try {
            times.get(way.label)!.push(await run(bins[major], storage, how, way.n, chunksFor[major].get(way.inserts)!));
          } catch (error) {
            console.log(`  ${server} ${how} ${way.label}: FAILED ${(error as Error).message.slice(0, 300)}`);
          }
        }
      }
      for (const [label, runs] of times) {
        if (!runs.length) continue;
        const t = runs.map((r) => r.seconds);
        const sorted = [...t].sort((a, b) => a - b);
        const cpu = median(runs.map((r) => r.serverCpu));
        console.log(
          `${server} ${how} ${label}: median ${median(t).toFixed(2)} s (min ${sorted[0]!.toFixed(2)}, max ${sorted.at(-1)!.toFixed(2)}; ${t.map((s) => s.toFixed(2)).join(', ')}); server CPU median ${cpu.toFixed(2)} s`,
        );
      }
    }
  }
}

await main();
