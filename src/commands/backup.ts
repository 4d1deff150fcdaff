// `pattern-db backup` and `pattern-db backup schedule`.
import path from 'node:path';
import type { Command } from 'commander';
import { megabytes } from '../core/byte-size.js';
import { PatternDbError } from '../core/errors.js';
import { reporterFor } from '../core/events.js';
import { repoRoot } from '../files/compiled-path.js';
import { envFileProblems, envWithFile } from '../files/env-file-credentials.js';
import { runBackup } from '../ops/backup.js';
import {
  cronLine,
  cronToOnCalendar,
  DEFAULT_CRON,
  systemdService,
  systemdTimer,
  unitName,
  type ScheduledCommand,
} from '../ops/backup-schedule.js';
import { installCrontab, installSystemd, legacyTimer, systemdUserDir } from '../ops/schedule-install.js';
import { runCommand, type CommandContext, type Io } from './command-runner.js';
import { seconds } from '../core/seconds-text.js';
import { resolveDatabase, stateDirOf, type OpsFlags } from './ops-common.js';
import { DEFAULTS } from '../core/options.js';
import { USERNAME_HELP, JSON_EVENTS_HELP } from './flag-help.js';

export const DEFAULT_BACKUP_DIR = './backups';
export const DEFAULT_KEEP = 7;

interface BackupFlags extends OpsFlags {
  dir?: string;
  keep?: string;
  envFile?: string;
}

interface ScheduleFlags extends BackupFlags {
  cron?: string;
  systemd?: boolean;
  onCalendar?: string;
  install?: boolean;
}

function keepOf(flags: BackupFlags): number {
  const keep = Number(flags.keep ?? DEFAULT_KEEP);
  if (!Number.isInteger(keep) || keep < 1) {
    throw new PatternDbError('E_USAGE', `--keep ${flags.keep} is not a whole number of at least 1.`, { fix: 'For example --keep 7.' });
  }
  return keep;
}

function addTargetFlags(command: Command): Command {
  return command
    .option('--config <file>', "Pattern config (default: Pattern's own search order); its [database] says what to back up")
    .option('--source <dir>', 'an embedded store folder instead of the configured database')
    .option('--target <url>', 'a server, http(s):// or ws(s)://, instead of the configured database')
    .option('--username <user>', USERNAME_HELP)
    .option('--namespace <ns>', "namespace (default: the config's, or pattern)")
    .option('--database <db>', "database (default: the config's, or pattern)")
    .option('--dir <dir>', 'backup folder', DEFAULT_BACKUP_DIR)
    .option('--keep <n>', 'keep the newest N backups of this database; older ones are deleted after the new one is verified', String(DEFAULT_KEEP))
    .option('--env-file <file>', 'read SURREAL_USER/SURREAL_PASS from this dotenv file (for cron and systemd)')
    .option('--state-dir <dir>', 'where store snapshots are made (embedded backups)', DEFAULTS.stateDir)
    .option('--yes', 'answer yes to confirmations')
    .option('--json', JSON_EVENTS_HELP)
    .option('--verbose', 'more detail');
}

export async function backupCommand(flags: BackupFlags, ctx: CommandContext) {
  const keep = keepOf(flags);
  const env = await envWithFile(ctx.io.env, flags.envFile, ctx.cwd, ctx.emit);
  const location = await resolveDatabase(flags, ctx, env);
  const dir = path.resolve(ctx.cwd, flags.dir ?? DEFAULT_BACKUP_DIR);
  const result = await runBackup({
    source:
      location.kind === 'remote'
        ? { kind: 'remote', url: location.url, username: location.username, password: location.password, namespace: location.namespace, database: location.database }
        : { kind: 'embedded', storePath: location.storePath, namespace: location.namespace, database: location.database, stateDir: stateDirOf(flags, ctx.cwd) },
    dir,
    keep,
    report: reporterFor('backup', ctx.emit),
    signal: ctx.signal,
  });
  const lines = [
    `Backup:   ${result.file}`,
    `Checksum: ${result.checksumFile} (sha256 ${result.sha256.slice(0, 16)}…, check with: sha256sum -c ${path.basename(result.checksumFile)})`,
    `Source:   ${result.source} ${result.namespace}/${result.database}`,
    `Size:     ${megabytes(result.bytes, 2)} compressed (${megabytes(result.uncompressedBytes, 2)} of SurrealQL)`,
    `Records:  ${result.records} in ${result.tables} tables, verified against the database`,
    `Time:     ${seconds(result.ms)}`,
    `Kept:     ${result.kept.length} backup(s) of ${result.namespace}/${result.database} in ${dir} (--keep ${keep})`,
    ...result.deleted.map((file) => `Deleted:  ${file} (older than the newest ${keep})`),
  ];
  return { data: { backup: result }, lines };
}

/** The backup command a schedule runs: the same choices, every path absolute, credentials only from the env file. */
function scheduledArgs(flags: ScheduleFlags, cwd: string, envFile: string): string[] {
  const args: string[] = ['--env-file', envFile];
  if (flags.config) args.push('--config', path.resolve(cwd, flags.config));
  if (flags.source) args.push('--source', path.resolve(cwd, flags.source));
  if (flags.target) args.push('--target', flags.target);
  if (flags.namespace) args.push('--namespace', flags.namespace);
  if (flags.database) args.push('--database', flags.database);
  args.push('--dir', path.resolve(cwd, flags.dir ?? DEFAULT_BACKUP_DIR));
  args.push('--keep', String(keepOf(flags)));
  if (flags.stateDir && flags.stateDir !== DEFAULTS.stateDir) args.push('--state-dir', path.resolve(cwd, flags.stateDir));
  return args;
}

export async function scheduleCommand(flags: ScheduleFlags, ctx: CommandContext) {
  const keep = keepOf(flags);
  const envFile = path.resolve(ctx.cwd, flags.envFile ?? '.env');
  // Where the backup would come from, as the scheduled run will see it (this also checks the flags now).
  const location = await resolveDatabase(flags, ctx, ctx.io.env, false);
  const namespace = location.namespace;
  const database = location.database;
  const dir = path.resolve(ctx.cwd, flags.dir ?? DEFAULT_BACKUP_DIR);
  const command: ScheduledCommand = {
    node: process.execPath,
    script: path.join(repoRoot, 'bin', 'pattern-db.js'),
    cwd: ctx.cwd,
    args: scheduledArgs(flags, ctx.cwd, envFile),
    namespace,
    database,
    from: location.kind === 'remote' ? location.url : location.storePath,
    logFile: path.join(dir, 'backup.log'),
  };
  const cron = flags.cron ?? DEFAULT_CRON;
  const lines: string[] = [];
  const data: Record<string, unknown> = { namespace, database, envFile, dir, keep };
  let install: () => Promise<string[]>;
  if (flags.systemd) {
    const onCalendar = flags.onCalendar ?? cronToOnCalendar(cron);
    if (!onCalendar) {
      throw new PatternDbError('E_USAGE', `--cron "${cron}" has no simple systemd equivalent.`, { fix: 'Pass --on-calendar EXPR (systemd.time(7)), e.g. --on-calendar "*-*-* 03:15:00".' });
    }
    const name = unitName(command);
    const service = systemdService(command, envFile);
    const timer = systemdTimer(command, onCalendar);
    const dirOfUnits = systemdUserDir(ctx.io.env);
    Object.assign(data, { kind: 'systemd', unit: name, onCalendar, service, timer, unitDir: dirOfUnits });
    lines.push(`# ${path.join(dirOfUnits, `${name}.service`)}`, ...service.trimEnd().split('\n'), '', `# ${path.join(dirOfUnits, `${name}.timer`)}`, ...timer.trimEnd().split('\n'), '');
    const legacy = await legacyTimer(namespace, database, ctx.io.env);
    if (legacy) {
      ctx.emit({
        type: 'diagnostic',
        level: 'warn',
        code: 'W_SCHEDULE_EARLIER',
        message: `${legacy} is an earlier pattern-db backup timer of ${namespace}/${database}, named before units named their source; it is left as it is, and may back up another server.`,
        fix: `If it backs up the same database as this one, stop it: systemctl --user disable --now ${path.basename(legacy)}`,
      });
    }
    install = async () => {
      const done = await installSystemd(name, service, timer, ctx.io.env);
      return [`Installed: ${done.serviceFile} and ${done.timerFile}; ran ${done.program} --user daemon-reload and enable --now ${name}.timer.`, `Check it with: systemctl --user list-timers ${name}.timer`];
    };
  } else {
    const line = cronLine(command, cron);
    Object.assign(data, { kind: 'cron', cron, line });
    lines.push(line, '');
    install = async () => {
      const done = await installCrontab(line, command, ctx.io.env);
      for (const earlier of done.earlier) {
        ctx.emit({
          type: 'diagnostic',
          level: 'warn',
          code: 'W_SCHEDULE_EARLIER',
          message: `Your crontab also holds an earlier pattern-db backup line of ${namespace}/${database}, marked before lines named their source; it is left as it is, and may back up another server: ${earlier}`,
          fix: 'If it backs up the same database as the line added now, remove it with `crontab -e`.',
        });
      }
      const what = { added: 'Added the line to', replaced: 'Replaced the earlier pattern-db line for this database and source in', unchanged: 'The line was already in' }[done.change];
      return [`Installed: ${what} your crontab (${done.program}); other lines were kept. See it with: crontab -l`];
    };
  }
  lines.push(`Credentials: read from ${envFile} by the backup itself (SURREAL_USER, SURREAL_PASS), never from the command line.`);
  for (const problem of await envFileProblems(envFile)) {
    ctx.emit({ type: 'diagnostic', level: 'warn', code: 'W_SCHEDULE_ENV', message: problem, fix: '`pattern-db user create --write-env` writes SURREAL_USER/SURREAL_PASS of a dedicated user to .env (mode 0600).' });
  }
  if (location.kind === 'embedded') {
    ctx.emit({ type: 'diagnostic', level: 'warn', code: 'W_SCHEDULE_EMBEDDED', message: 'This backs up an embedded store: it fails while Pattern has the store open.', fix: 'Schedule it for a time Pattern is stopped, or move to a server first (`pattern-db migrate`).' });
  }
  let installed: string[] = [];
  if (flags.install !== false) {
    const where = flags.systemd ? `as systemd user units in ${systemdUserDir(ctx.io.env)}` : 'into your crontab';
    // Installing changes the machine: only after a yes (--yes, or a terminal answer); --json alone never installs.
    const agreed = flags.yes || (ctx.prompter.interactive && (await ctx.prompter.confirm(`Install this ${where}?`, '--yes', lines.join('\n'))));
    if (agreed) installed = await install();
    else lines.push(`Not installed${ctx.prompter.interactive ? '' : ' (no terminal to ask on: pass --yes to install it)'}.`);
  } else {
    lines.push('Not installed (--no-install).');
  }
  data.installed = installed.length > 0;
  if (installed.length) data.installMessages = installed;
  return { data: { schedule: data }, lines: [...lines, ...installed] };
}

export function registerBackup(program: Command, setExit: (code: number) => void, io: Io): void {
  // `backup` and `backup schedule` share flag names: positional options give the flags after `schedule` to schedule.
  // Commander needs this on every parent up to the root; the root has no options of its own, so nothing else changes.
  program.enablePositionalOptions();
  const backup = addTargetFlags(
    program.command('backup').enablePositionalOptions().description('export the configured database to a verified, gzip-compressed file in a backup folder; keep the newest N'),
  ).action(async (flags: BackupFlags) => setExit(await runCommand(io, 'backup', flags, (ctx) => backupCommand(flags, ctx))));
  addTargetFlags(
    backup
      .command('schedule')
      .description('write the crontab line (or a systemd timer) that runs the backup; install it after you agree')
      .option('--cron <expr>', 'when, as a crontab schedule', DEFAULT_CRON)
      .option('--systemd', 'a systemd user service and timer instead of a crontab line')
      .option('--on-calendar <expr>', 'when, for --systemd (default: derived from --cron)')
      .option('--no-install', 'only show it'),
  ).action(async (flags: ScheduleFlags) => setExit(await runCommand(io, 'backup schedule', flags, (ctx) => scheduleCommand(flags, ctx))));
}
