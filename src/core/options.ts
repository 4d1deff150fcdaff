// What a run was asked to do, after flags, environment and prompts are resolved. Passwords live only in memory.
import type { Major } from './route.js';

export type Driver = 'auto' | 'cli' | 'sdk';

/** Where a credential came from: Pattern's own places (files/pattern-credentials.ts), a flag, a question, a default. */
export type CredentialSource = 'config' | 'environment' | '.env' | '--username' | 'prompt' | 'default' | 'journal';

export interface RunOptions {
  cwd: string;
  configPath?: string;
  source?: string;
  /** An existing server (http(s):// or ws(s)://). */
  target?: string;
  /** Start a managed server on this storage: 'memory' or 'surrealkv://DIR'. */
  startServer?: string;
  bind: string;
  /** --target-version: the SurrealDB major the data should land in (default: the server's, else the store's). */
  targetVersion?: Major;
  namespace: string;
  database: string;
  username: string;
  password?: string;
  /** Where the username and the password came from, for the evidence of a refused sign-in. */
  usernameFrom?: CredentialSource;
  passwordFrom?: CredentialSource;
  exportFile: string;
  driver: Driver;
  stateDir: string;
  yes: boolean;
  dryRun: boolean;
  resume: boolean;
  writeEnv: boolean;
  /** Prerequisite checks the user chose to skip (only those in SKIPPABLE_CHECKS). */
  skipChecks?: string[];
}

/** Checks that may be skipped, and why skipping them is safe. */
export const SKIPPABLE_CHECKS: Record<string, string> = {
  E_DISK_FULL: 'the free-space figure is an estimate; a disk that really fills up stops the export cleanly and removes the partial file',
  E_STORE_DAMAGED:
    "the store is not changed: the migration moves what SurrealDB reads of it, which is what the store's next opener (Pattern) would read, and the dropped part stays in the store's own files",
};

export const DEFAULTS = {
  bind: '127.0.0.1:8000',
  namespace: 'pattern',
  database: 'pattern',
  username: 'root',
  exportFile: 'pattern_export.surql',
  stateDir: '.pattern-db',
  driver: 'auto' as Driver,
};

/** The URL the run talks to: the existing target, or the managed server it starts. */
export function targetUrl(options: Pick<RunOptions, 'target' | 'startServer' | 'bind'>): string | undefined {
  if (options.target) return options.target;
  if (options.startServer) return `http://${options.bind}`;
  return undefined;
}

/** Pattern's config gets the WebSocket form of the server URL, as in Pattern's own examples. */
export function patternUrlFor(url: string): string {
  return url.replace(/^http:\/\//, 'ws://').replace(/^https:\/\//, 'wss://').replace(/\/+$/, '');
}
