// Flags → RunOptions, validated before anything runs (the credentials are looked up afterwards: credentials.ts).
import path from 'node:path';
import { serverUrlProblem, USER_NAME_HINT, userNameProblem } from '../core/answer-checks.js';
import { PatternDbError } from '../core/errors.js';
import { DEFAULTS, SKIPPABLE_CHECKS, type Driver, type RunOptions } from '../core/options.js';
import type { Major } from '../core/route.js';
import { normaliseStorage, parseBind } from '../surreal/server.js';

export interface RunFlags {
  config?: string;
  source?: string;
  target?: string;
  startServer?: string;
  bind?: string;
  targetVersion?: string;
  namespace?: string;
  database?: string;
  username?: string;
  exportFile?: string;
  driver?: string;
  stateDir?: string;
  yes?: boolean;
  dryRun?: boolean;
  resume?: boolean;
  writeEnv?: boolean;
  skipCheck?: string[];
}

const DRIVERS: Driver[] = ['auto', 'cli', 'sdk'];

/** --target must name a server: http(s):// or ws(s):// with a host. */
export function assertTargetUrl(target: string | undefined): void {
  const problem = target === undefined ? undefined : serverUrlProblem(target);
  if (problem) throw new PatternDbError('E_USAGE', `Bad --target: ${problem}`, { fix: 'For example --target http://127.0.0.1:8000.' });
}

function assertUserName(username: string | undefined): void {
  const problem = username === undefined ? undefined : userNameProblem(username);
  if (problem) throw new PatternDbError('E_USAGE', `Bad --username: ${problem}`, { fix: `${USER_NAME_HINT} Or leave it out: root is the default.` });
}

/** --namespace and --database of every command: an empty one names nothing (it failed late, as an empty store). */
export function assertNamesGiven(flags: { namespace?: unknown; database?: unknown }): void {
  for (const flag of ['namespace', 'database'] as const) {
    const value = flags[flag];
    if (typeof value === 'string' && value.trim() === '') {
      throw new PatternDbError('E_USAGE', `--${flag} is empty.`, { fix: `Give a ${flag} name (e.g. --${flag} pattern), or leave the flag out for pattern.` });
    }
  }
}

export function runOptionsFrom(flags: RunFlags, cwd: string): RunOptions {
  if (flags.target && flags.startServer) {
    throw new PatternDbError('E_USAGE', '--target and --start-server exclude each other.', {
      fix: 'Use --target URL for a server that already runs, or --start-server STORAGE to start one.',
    });
  }
  assertTargetUrl(flags.target);
  assertUserName(flags.username);
  // Checked before a password is asked for or looked up: a typo is a usage error, whatever else is missing. Kept in one
  // spelling (an absolute folder), so a --resume that names the same storage another way continues the run.
  const startServer = flags.startServer === undefined ? undefined : normaliseStorage(flags.startServer, cwd);
  if (flags.bind !== undefined) parseBind(flags.bind);
  const unknownSkip = (flags.skipCheck ?? []).filter((code) => !(code in SKIPPABLE_CHECKS));
  if (unknownSkip.length) {
    throw new PatternDbError('E_USAGE', `--skip-check ${unknownSkip.join(', ')}: only ${Object.keys(SKIPPABLE_CHECKS).join(', ')} may be skipped.`);
  }
  if (flags.targetVersion !== undefined && !['2', '3'].includes(flags.targetVersion)) {
    throw new PatternDbError('E_USAGE', `--target-version ${flags.targetVersion} is not 2 or 3.`, {
      fix: 'Use --target-version 2 to stay on SurrealDB 2 (what Pattern of that era talks to) or 3 to upgrade.',
    });
  }
  const driver = (flags.driver ?? DEFAULTS.driver) as Driver;
  if (!DRIVERS.includes(driver)) {
    throw new PatternDbError('E_USAGE', `--driver ${flags.driver} is not one of ${DRIVERS.join(', ')}.`);
  }
  return {
    cwd,
    ...(flags.config ? { configPath: path.resolve(cwd, flags.config) } : {}),
    ...(flags.source ? { source: path.resolve(cwd, flags.source) } : {}),
    ...(flags.target ? { target: flags.target } : {}),
    ...(startServer ? { startServer } : {}),
    bind: flags.bind ?? DEFAULTS.bind,
    ...(flags.targetVersion ? { targetVersion: Number(flags.targetVersion) as Major } : {}),
    namespace: flags.namespace ?? DEFAULTS.namespace,
    database: flags.database ?? DEFAULTS.database,
    // Completed by lookupRunCredentials (config, environment, .env), which needs the file system.
    username: flags.username ?? DEFAULTS.username,
    exportFile: path.resolve(cwd, flags.exportFile ?? DEFAULTS.exportFile),
    driver,
    stateDir: path.resolve(cwd, flags.stateDir ?? DEFAULTS.stateDir),
    yes: Boolean(flags.yes),
    dryRun: Boolean(flags.dryRun),
    resume: Boolean(flags.resume),
    writeEnv: Boolean(flags.writeEnv),
    ...(flags.skipCheck?.length ? { skipChecks: flags.skipCheck } : {}),
  };
}
