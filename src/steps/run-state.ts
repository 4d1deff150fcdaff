// Results the steps hand to each other (and to the journal, so they must be plain JSON).
import type { Driver } from '../core/options.js';
import type { VerifyReport } from '../core/verify-report.js';

export interface PreflightResult {
  configPath?: string;
  storePath?: string;
  store?: { format: string; bytes: number; files: number };
  /** Absolute path of the snapshot copy the embedded engine reads. */
  snapshot?: string;
  sourceTables?: string[];
  sourceCounts?: Record<string, number>;
  surreal?: { path: string; version: string; major: number };
  driver: Driver;
  target?: { url: string; version: string };
}

export interface ExportResult {
  file: string;
  sha256: string;
  bytes: number;
  records: number;
  recordsByTable: Record<string, number>;
  driver: 'cli' | 'sdk';
  ms: number;
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
}

export interface ConfigResult {
  configPath?: string;
  backupPath?: string;
  envFile?: string;
  diff: string;
  written: boolean;
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
