// The wizard's last screen: what was done, the commands to run next, and what production still needs.
import path from 'node:path';
import { isMemoryStorage, MEMORY_STOP_NOTE } from './memory-storage.js';
import { DEFAULTS, type RunOptions } from './options.js';
import { serverStartCommand } from './server-start-command.js';
import type { VerifyReport } from './verify-report.js';

export interface DoneSummary {
  lines: SummaryLine[];
  /** Shell lines: commands, and notes (starting with #) on the command above them. */
  nextCommands: string[];
  production: string[];
}

export interface SummaryLine {
  label: string;
  value: string;
}

/** The part of a finished run's state the summary reads. */
export interface DoneFindings {
  /** A journal written before the method and secrets were reported lacks them. */
  verify?: Pick<VerifyReport, 'records' | 'tables'> & Partial<Pick<VerifyReport, 'method' | 'secrets' | 'readUpToDamage'>>;
  export?: { file: string };
  config?: { configPath?: string; written: boolean; declined?: boolean; url: string; backupPath?: string; envFile?: string };
  server?: { url: string; pid: number; storage: string; logFile: string; version: string };
}

/** Where the password pattern-db signed in with came from: generated (and shown once), typed, or found (SURREAL_PASS, .env). */
export type PasswordSource = 'generated' | 'typed' | 'found';

const PASSWORD_WHERE: Record<PasswordSource, { line: string; comment: string }> = {
  generated: { line: 'the generated password, shown only once (no copy kept)', comment: 'the password shown once' },
  typed: { line: 'the password you typed (no copy kept)', comment: 'the password you typed' },
  found: { line: 'the password found in SURREAL_PASS or .env', comment: 'as SURREAL_PASS or .env holds it' },
};

export function doneSummary(options: RunOptions, state: DoneFindings, password: PasswordSource = 'found'): DoneSummary {
  const lines: SummaryLine[] = [];
  if (state.verify) {
    const unproven = (state.verify.secrets ?? []).filter((s) => s.outcome !== 'proven').length;
    const by = state.verify.method ? ` by ${state.verify.method.records}` : '';
    const against = state.verify.readUpToDamage ? ` to ${state.verify.readUpToDamage}` : '';
    lines.push({ label: 'Verified', value: `${state.verify.records} records in ${state.verify.tables.length} tables, identical${by}${against}${unproven ? ` (${unproven} secrets the server hides not compared)` : ''}` });
  }
  if (state.export) lines.push({ label: 'Export', value: `${state.export.file} (keep it as a backup)` });
  if (state.config?.written) lines.push({ label: 'Config', value: `${state.config.configPath} → ${state.config.url}` });
  if (state.config?.declined) lines.push({ label: 'Config', value: `declined: Pattern still uses the store; ${state.config.configPath} is unchanged` });
  if (state.config?.backupPath) lines.push({ label: 'Config backup', value: state.config.backupPath });
  const envFile = state.config?.envFile;
  lines.push({ label: 'Credentials', value: envFile ? `${envFile} (mode 0600)` : `${options.username}: ${PASSWORD_WHERE[password].line}` });
  if (state.server) lines.push({ label: 'Server', value: `${state.server.url} (pid ${state.server.pid}, ${isMemoryStorage(state.server.storage) ? `${MEMORY_STOP_NOTE}` : state.server.storage}); log ${state.server.logFile}` });
  const stateDir = path.relative(options.cwd, options.stateDir) || '.';
  const install = state.server && !isMemoryStorage(state.server.storage) ? serverInstallCommand(stateDir) : undefined;
  if (install) lines.push({ label: 'After reboot', value: `gone (a background process): ${install}` });
  const nextCommands = [
    ...(state.server
      ? [...(install ? [`${install}   # start it at boot, not only now (asks first)`] : []), `pattern-db server status --state-dir ${stateDir}`, `pattern-db server stop --state-dir ${stateDir}`, ...(isMemoryStorage(state.server.storage) ? [`# ${MEMORY_STOP_NOTE}`] : []), serverStartCommand({ ...state.server, bind: options.bind, username: options.username }, stateDir)]
      : []),
    ...(envFile ? [] : [`export SURREAL_USER=${options.username} SURREAL_PASS=…   # ${PASSWORD_WHERE[password].comment}`]),
    'pattern-cli agent list',
    ...opsCommands(options, state),
  ];
  const production = [
    'Serve the database over TLS (https:// and wss://) when it leaves this machine.',
    'Give Pattern its own root-level user with the EDITOR role instead of the all-powerful root owner (`pattern-db user create`, above).',
    'Back the database up regularly (`pattern-db backup schedule`, above); keep the export made today.',
  ];
  return { lines, nextCommands, production };
}

/** The command that makes the managed server a service; --state-dir only when it is not the default. */
export function serverInstallCommand(stateDir: string): string {
  return `pattern-db server install${stateDir === DEFAULTS.stateDir ? '' : ` --state-dir ${stateDir}`}`;
}

/** The day-to-day commands for this server: Pattern's own user, the first backup and its schedule. */
export function opsCommands(options: RunOptions, state: DoneFindings): string[] {
  const url = state.server?.url ?? options.target;
  if (!url) return [];
  const target = `--target ${url}${options.namespace !== 'pattern' ? ` --namespace ${options.namespace}` : ''}${options.database !== 'pattern' ? ` --database ${options.database}` : ''}`;
  return [
    `pattern-db user create --target ${url} --write-env   # Pattern's own EDITOR user, into .env`,
    `pattern-db backup ${target}   # the first backup, to ./backups`,
    `pattern-db backup schedule ${target}   # every night at 03:15 (asks before installing)`,
  ];
}

export type NextStepOffer = 'user' | 'backup';

/** What an offer done on the last screen adds to the summary; it leaves the list of commands to run next. */
export function withOfferDone(summary: DoneSummary, offer: NextStepOffer, line: SummaryLine): DoneSummary {
  const done = offer === 'user' ? /^pattern-db user create |^export SURREAL_USER=/ : /^pattern-db backup --/;
  return { ...summary, lines: [...summary.lines, line], nextCommands: summary.nextCommands.filter((c) => !done.test(c)) };
}
