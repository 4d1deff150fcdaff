// Results the steps hand to each other (and to the journal, so they must be plain JSON).
import type { ExportIndexes } from '../core/export-indexes.js';
import type { Driver } from '../core/options.js';
import type { Route } from '../core/route.js';
import type { StoreFormat } from '../core/store-format.js';
import type { V3Issue } from '../core/v3-issues.js';
import type { VerifyReport } from '../core/verify-report.js';
import type { StoreDamage } from '../surreal/store-log-damage.js';

/** A `surreal` program found for this run. */
export interface ProgramRef {
  path: string;
  version: string;
  major: number;
}

export interface PreflightResult {
  configPath?: string;
  storePath?: string;
  store?: { format: StoreFormat; bytes: number; files: number };
  /** Absolute path of the snapshot copy the source is read from. */
  snapshot?: string;
  /** A digest of the store's entries (sizes, times) when it was copied: a resumed run's copy must match it. */
  storeDigest?: string;
  /** What read the source: the embedded engine, or a surreal serving the snapshot. */
  sourceEngine?: string;
  sourceTables?: string[];
  /**
   * Only when the preflight took the census (see steps/source-census.ts), or took over the wizard survey's
   * (steps/surveyed-source.ts); otherwise the export's result has it.
   */
  sourceCounts?: Record<string, number>;
  /** The SurrealDB 3 surreal, when one was found. */
  surreal?: ProgramRef;
  /** The SurrealDB 2 surreal, when one was found (a 2.x store or a 2.x server needs it). */
  surreal2?: ProgramRef;
  driver: Driver;
  target?: { url: string; version: string };
  /** The majors the data leaves and arrives in, once both the store and the target are known. */
  route?: Route;
  /** Damage SurrealDB found in the store's log when it opened the snapshot, gone past at the user's request. */
  storeDamage?: StoreDamage;
}

/** What the snapshot holds, read by a reader of its own (not from the export file). */
export interface SourceCensus {
  /** What read it: the embedded engine, or a surreal serving the snapshot. */
  engine: string;
  tables: string[];
  counts: Record<string, number>;
}

export interface ExportResult {
  file: string;
  sha256: string;
  bytes: number;
  records: number;
  recordsByTable: Record<string, number>;
  /** The indexes the file defines, read as it was checked (absent in a journal of an earlier release). */
  indexes?: ExportIndexes;
  /** The store's own count of what the file must hold (a restore's export has none). */
  census?: SourceCensus;
  driver: 'cli' | 'sdk';
  ms: number;
  /** Statements changed so the target server takes them (see core/export-repair.ts). */
  repairs?: Array<{ id: string; count: number }>;
  v3Issues?: V3Issue[];
  /** The import may have begun in the export step (import-ahead.ts): the target may hold records of it already. */
  importStarted?: boolean;
}

export interface ServerResult {
  url: string;
  pid: number;
  storage: string;
  logFile: string;
  version: string;
}

export interface ImportResult {
  url: string;
  chunks: number;
  records: number;
  ms: number;
  /** The export file that was loaded, and its sha256. */
  exportFile: string;
  exportSha256: string;
  /** On a resume: the earlier run had finished the import, but the target had lost it, so it was loaded again. */
  startedOver?: boolean;
}

export interface ConfigResult {
  configPath?: string;
  backupPath?: string;
  envFile?: string;
  diff: string;
  written: boolean;
  /** The user was shown the change and said no. */
  declined?: true;
  url: string;
}

export interface RunState {
  preflight?: PreflightResult;
  export?: ExportResult;
  server?: ServerResult;
  import?: ImportResult;
  verify?: VerifyReport;
  config?: ConfigResult;
}
