// What wrote a surrealkv folder, told from its files without opening it, on folders written for real: by the embedded
// engine (@surrealdb/node 3.0.3, SurrealDB 3.0.2: what src/fixture writes) and by the surreal under test (3.3.5).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { EmbeddedStore } from '../../src/surreal/embedded.js';
import { storeFormatOf } from '../../src/surreal/store.js';
import { folderDigest, patternFolder, type PatternFolder } from '../helpers/fixture-store.js';
import { repoRoot } from '../helpers/pattern-db.js';
import { storeWrittenBySurreal, type SurrealWrittenStore } from '../helpers/surreal-store.js';
import { startTestServer, surrealVersion, tempDir } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let engineWritten: PatternFolder;
let surrealWritten: SurrealWrittenStore;
let version: string;

beforeAll(async () => {
  version = await surrealVersion();
  engineWritten = await patternFolder(30);
  cleanups.push(() => fs.rm(engineWritten.dir, { recursive: true, force: true }));
  surrealWritten = await storeWrittenBySurreal({ messages: 30 });
  cleanups.push(() => fs.rm(surrealWritten.dir, { recursive: true, force: true }));
});

async function copyOf(store: string): Promise<string> {
  const dir = await tempDir('pattern-db-store-copy-');
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  const copy = path.join(dir, 'pattern.db');
  await fs.cp(store, copy, { recursive: true, filter: (src) => path.basename(src) !== 'LOCK' });
  return copy;
}

/** The embedded engine itself (no pattern-db in between) on a folder: what it says when asked for the database's definitions. */
async function engineReads(store: string): Promise<string> {
  const script = `
    import { Surreal } from 'surrealdb';
    import { createNodeEngines } from '@surrealdb/node';
    const db = new Surreal({ engines: createNodeEngines() });
    await db.connect('surrealkv://' + process.argv[1]);
    await db.use({ namespace: 'pattern', database: 'pattern' });
    try { await db.query('INFO FOR DB').collect(); console.log('read'); } catch (error) { console.log(error.message); }
    process.exit(0);`;
  const run = await execa('node', ['--input-type=module', '-e', script, store], { cwd: repoRoot, timeout: 60_000 });
  return run.stdout.trim();
}

describe('storeFormatOf on real folders', () => {
  it('a store the embedded engine wrote is the 3.0 format: no storage-version stamp', async () => {
    const before = await folderDigest(engineWritten.storePath);
    const finding = await storeFormatOf(engineWritten.storePath);
    expect(finding.format).toBe('surrealkv-3.0');
    expect(finding.storageVersion).toBeUndefined();
    expect(finding.evidence.join('\n')).toContain('no storage-version stamp');
    // The generator's store holds a torn .sst the manifest does not list (the engine ignores it, and so does the probe).
    expect(finding.evidence.join('\n')).not.toContain('not readable');
    expect(await folderDigest(engineWritten.storePath), 'reading the files writes nothing').toBe(before);
  });

  it('a store the surreal under test wrote is the 3.1+ format, stamped with its version, and reading it writes nothing', async () => {
    const before = await folderDigest(surrealWritten.storePath);
    const finding = await storeFormatOf(surrealWritten.storePath);
    expect(finding).toMatchObject({ format: 'surrealkv-3.1+', storageVersion: version });
    expect(finding.evidence.join('\n')).toMatch(new RegExp(`/!vs = ${version.replace(/\./g, '\\.')} \\(in sstables/\\d+\\.sst\\)`));
    expect(await folderDigest(surrealWritten.storePath)).toBe(before);
  });

  it('the stamp is found in the WAL when the server was killed before it flushed', async () => {
    const crashed = await storeWrittenBySurreal({ messages: 5, crash: true });
    cleanups.push(() => fs.rm(crashed.dir, { recursive: true, force: true }));
    const finding = await storeFormatOf(crashed.storePath);
    expect(finding).toMatchObject({ format: 'surrealkv-3.1+', storageVersion: version });
    expect(finding.evidence.join('\n')).toMatch(/\(in wal\/\d+\.wal\)/);
  });

  it('a 3.0 store that a 3.1+ server has opened is stamped by it, and so counts as 3.1+ from then on', async () => {
    const copy = await copyOf(engineWritten.storePath);
    const server = await startTestServer({ storage: `surrealkv://${copy}` });
    await server.stop();
    expect(await storeFormatOf(copy)).toMatchObject({ format: 'surrealkv-3.1+', storageVersion: version });
  });

  it('the 3.0 engine reads the 3.0 store and fails on the 3.1+ one: why the detection exists', async () => {
    expect(await engineReads(await copyOf(engineWritten.storePath))).toBe('read');
    expect(await engineReads(await copyOf(surrealWritten.storePath))).toMatch(/^A deserialization error occured: Invalid revision `\d+` for type `\w+`$/);
  });
});

describe('the embedded engine on a 3.1+ store', () => {
  it('is refused before it starts: E_STORE_FORMAT naming the version and a surreal 3.1+ as the fix, the copy untouched', async () => {
    const copy = await copyOf(surrealWritten.storePath);
    const before = await folderDigest(copy);
    const error = await EmbeddedStore.open(copy, { namespace: 'pattern', database: 'pattern' }).then(
      (store) => {
        store.close();
        throw new Error('the engine opened a 3.1+ store');
      },
      (thrown: unknown) => thrown as PatternDbError,
    );
    expect(error).toBeInstanceOf(PatternDbError);
    expect(error.code).toBe('E_STORE_FORMAT');
    expect(error.message).toContain(`SurrealDB ${version}`);
    expect(error.fix).toContain('surreal 3.1 or later');
    expect(error.evidence).toContain(`/!vs = ${version}`);
    expect(await folderDigest(copy), 'no LOCK, no WAL segment written').toBe(before);
  });

  it('still opens a 3.0 store', async () => {
    const store = await EmbeddedStore.open(await copyOf(engineWritten.storePath), { namespace: 'pattern', database: 'pattern' });
    try {
      expect((await store.info()).tables).toContain('msg');
    } finally {
      store.close();
    }
  });
});
