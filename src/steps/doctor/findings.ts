// What the checks learn as they run (config, store, server), handed from one check to the next.
import type { PatternDbError } from '../../core/errors.js';
import type { FoundCredential } from '../../files/pattern-credentials.js';
import type { LoadedConfig, LocatedConfig } from '../../files/config-files.js';
import type { LocatedSurreal } from '../../surreal/cli.js';
import type { SurrealHttp } from '../../surreal/http.js';
import type { StoreInfo } from '../../surreal/store.js';
import type { SchemaSource } from './schema-source.js';

export interface DoctorInput {
  cwd: string;
  env: NodeJS.ProcessEnv;
  home: string;
  configPath?: string;
  /** An embedded store to check (and to compare the server's counts with). */
  source?: string;
  /** A server to check instead of the config's. */
  target?: string;
  /** --username; the password always comes from the environment. */
  username?: string;
  /** Credentials already settled (a migration's flag, environment or prompt): used instead of looking for them. */
  credentials?: { username: FoundCredential; password: FoundCredential };
  namespace?: string;
  database?: string;
  stateDir: string;
}

export interface ServerFindings {
  url: string;
  /** Where the URL came from, for the evidence. */
  from: 'config' | '--target';
  namespace: string;
  database: string;
  username?: FoundCredential;
  password?: FoundCredential;
  /** A client with the credentials Pattern would use (when both are known). */
  http: SurrealHttp;
  version?: string;
  reachable?: boolean;
  signedIn?: boolean;
  databaseExists?: boolean;
}

export interface DoctorFindings {
  input: DoctorInput;
  located?: LocatedConfig | null;
  config?: LoadedConfig;
  /** The file parses but Pattern would refuse its [database]. */
  configProblem?: PatternDbError;
  /** The store the config (or --source) names, once resolved. */
  storePath?: string;
  store?: StoreInfo;
  /** What reads the store's format: the embedded engine (3.0), or a surreal of its kind (2.x, 3.1+) serving a snapshot. */
  storeReader?: 'engine' | LocatedSurreal;
  /** The store has a reader and is not in use: safe to snapshot and read. */
  storeReadable?: boolean;
  /** A SurrealDB 2 store's log as its snapshot kept it, once a run has copied it (else the memory check estimates it). */
  keptLogBytes?: number;
  /** The SurrealDB 3 surreal, and the SurrealDB 2 one, when found. */
  surreal?: LocatedSurreal | null;
  surreal2?: LocatedSurreal | null;
  server?: ServerFindings;
  /** Per-table counts of the embedded store, when one was read. */
  sourceCounts?: Record<string, number>;
  /** Opened on demand by the schema checks, closed by the doctor at the end. */
  schema?: SchemaSource;
  /** The embedded store opened once for every check that reads it, even when opening it failed. */
  storeSource?: Promise<SchemaSource | undefined>;
  cleanups: Array<() => Promise<void>>;
}

export function newFindings(input: DoctorInput): DoctorFindings {
  return { input, cleanups: [] };
}

export async function closeFindings(findings: DoctorFindings): Promise<void> {
  for (const cleanup of findings.cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  delete findings.schema;
  delete findings.storeSource;
}
