// The embedded store: exists (a wrong path would be created empty), is surrealkv of a readable generation, not in use, disk room.
import path from 'node:path';
import { PatternDbError } from '../../core/errors.js';
import { resolveStorePath } from '../../files/config-files.js';
import { EMBEDDED_ENGINE } from '../../surreal/embedded.js';
import { freeBytes, inspectStore } from '../../surreal/store.js';
import { howToGetSurreal, locateStoreReader, readerNeeded } from '../../surreal/store-reader.js';
import { availableMemory, memoryEvidence, SURREALDB2_MEMORY_WORDS, surrealdb2ReaderBytes, type AvailableMemory } from '../../surreal/store-memory.js';
import { keptBytesEstimate } from '../../surreal/lean-store-estimate.js';
import type { StoreFormat } from '../../core/store-format.js';
import { fail, fromError, ok, skip, warn, type DoctorCheck } from './check.js';
import type { CheckOutcome } from '../../core/doctor-model.js';
import type { DoctorFindings } from './findings.js';
import { megabytes } from '../../core/byte-size.js';

function storePathOf(findings: DoctorFindings): string | undefined {
  if (findings.input.source) return path.resolve(findings.input.cwd, findings.input.source);
  const db = findings.config?.database;
  return db ? (resolveStorePath(db, findings.input.cwd, findings.input.home) ?? undefined) : undefined;
}

function noStore(findings: DoctorFindings): string {
  if (findings.storePath) return 'the store could not be read';
  return findings.config?.database.type === 'remote' ? 'the config points at a server' : 'no store named by the config or --source';
}

const exists: DoctorCheck = {
  id: 'store.exists',
  group: 'store',
  title: 'Store folder',
  async run(findings) {
    findings.storePath = storePathOf(findings);
    if (!findings.storePath) return skip(noStore(findings));
    const from = findings.input.source ? '--source' : '[database].path';
    try {
      findings.store = await inspectStore(findings.storePath);
    } catch (error) {
      if (!(error instanceof PatternDbError)) throw error;
      return fromError(error, [`${from} → ${findings.storePath}`]);
    }
    const { store } = findings;
    return ok('D_STORE_EXISTS', `${store.path}: ${megabytes(store.bytes)} in ${store.files} files`, { evidence: [`${from} → ${store.path}`] });
  },
};

const format: DoctorCheck = {
  id: 'store.format',
  group: 'store',
  title: 'Store format',
  async run(findings) {
    const store = findings.store;
    if (!store) return skip(noStore(findings));
    const evidence = store.formatEvidence;
    if (store.format === 'surrealkv-3.0') {
      findings.storeReader = 'engine';
      return ok('D_STORE_FORMAT', `surrealkv written by SurrealDB 3.0 (no storage-version stamp); ${EMBEDDED_ENGINE} and a surreal 3.x read it`, { evidence });
    }
    const two = store.format === 'surrealkv-2';
    const writer = two ? 'SurrealDB 2.x (surrealkv 0.9, a commit log: clog/)' : `SurrealDB ${store.storageVersion ?? '3.1 or later'}, in the 3.1+ format`;
    const reader = await locateStoreReader(store.format, findings.input.env);
    if (!reader) {
      return fail(two ? 'E_SURREAL_MISSING' : 'E_STORE_FORMAT', `surrealkv written by ${writer}: ${EMBEDDED_ENGINE} cannot read it, and no ${readerNeeded(store.format).replace(/^a /, '')} was found to read it.`, {
        evidence: [...evidence, `searched for ${readerNeeded(store.format)}: ${two ? '$SURREAL2_BIN, $SURREAL_BIN' : '$SURREAL_BIN'}, then PATH, then ~/.cache/pattern-db`],
        fix: `${howToGetSurreal(store.format)} pattern-db then reads a snapshot of the store through it${two ? '; no SurrealDB 3 program may open a 2.x store' : ''}.`,
      });
    }
    findings.storeReader = reader;
    return ok('D_STORE_FORMAT', `surrealkv written by ${writer}: ${EMBEDDED_ENGINE} cannot read it; surreal ${reader.version} does (a private server on a snapshot)`, {
      evidence: [...evidence, `${reader.path} version → ${reader.version}`],
    });
  },
};

const inUse: DoctorCheck = {
  id: 'store.lock',
  group: 'store',
  title: 'Store not in use',
  async run(findings) {
    const store = findings.store;
    if (!store) return skip(noStore(findings));
    if (store.holder) {
      findings.storeReadable = false;
      return fail('E_STORE_LOCKED', `The store is in use by process ${store.holder.pid} (${store.holder.command}).`, {
        evidence: [store.holder.evidence],
        fix: 'Stop Pattern (or the surreal server started on it) before exporting or copying it: a copy taken while it is written can be inconsistent.',
      });
    }
    findings.storeReadable = findings.storeReader !== undefined;
    return ok('D_STORE_FREE', 'No process holds the store (its LOCK file is free).');
  },
};

const disk: DoctorCheck = {
  id: 'store.disk',
  group: 'store',
  title: 'Disk room for an export',
  async run(findings) {
    const store = findings.store;
    if (!store) return skip(noStore(findings));
    const dir = findings.input.cwd;
    const free = await freeBytes(dir);
    // An export is text and usually larger than the store; the snapshot copy needs the store's size again.
    const needed = store.bytes * 3;
    const evidence = [`free in ${dir}: ${megabytes(free)}; store ${megabytes(store.bytes)} → export ~${megabytes(store.bytes * 2)} + snapshot ${megabytes(store.bytes)}`];
    if (free < needed) {
      return warn('W_DISK_LOW', `About ${megabytes(needed)} is needed for a snapshot and an export; ${megabytes(free)} is free.`, {
        evidence,
        fix: 'Free some disk space, or run the migration with --export-file and --state-dir on a disk with room.',
      });
    }
    return ok('D_DISK', `${megabytes(free)} free (about ${megabytes(needed)} needed to migrate)`, { evidence });
  },
};

/**
 * Whether reading a store may take more memory than `memory` holds: a 2.x store's private server, on a copy that keeps
 * about `keptBytes` of its log (lean-store-estimate.ts).
 */
export function memoryVerdict(store: { format: StoreFormat; bytes: number; keptBytes?: number }, memory: AvailableMemory): CheckOutcome {
  if (store.format !== 'surrealkv-2') return skip('only a SurrealDB 2 store is held in memory when it is read');
  const kept = store.keptBytes ?? store.bytes;
  const high = surrealdb2ReaderBytes(kept);
  const evidence = [`store ${megabytes(store.bytes)} on disk, about ${megabytes(kept)} of it read → up to ${megabytes(high)} of memory: ${SURREALDB2_MEMORY_WORDS}`, memoryEvidence(memory)];
  if (memory.bytes < high) {
    return warn('W_MEMORY_LOW', `Reading this SurrealDB 2 store may take up to ${megabytes(high)} of memory; ${megabytes(memory.bytes)} is available now.`, {
      evidence,
      fix: 'Close programs that use memory before migrating. A run whose reader runs out of it stops with E_SURREAL_KILLED, leaving the store as it was, and continues with --resume.',
    });
  }
  return ok('D_MEMORY', `${megabytes(memory.bytes)} available; reading this store takes up to about ${megabytes(high)}`, { evidence });
}

const memory: DoctorCheck = {
  id: 'store.memory',
  group: 'store',
  title: 'Memory to read the store',
  async run(findings) {
    const store = findings.store;
    if (!store) return skip(noStore(findings));
    const keptBytes = store.format === 'surrealkv-2' ? (findings.keptLogBytes ?? (await keptBytesEstimate(store.path))) : undefined;
    return memoryVerdict({ ...store, ...(keptBytes !== undefined ? { keptBytes } : {}) }, availableMemory());
  },
};

export const STORE_CHECKS: DoctorCheck[] = [exists, format, inUse, disk, memory];
