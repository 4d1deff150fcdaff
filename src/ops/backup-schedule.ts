// The text that runs `pattern-db backup` on a schedule: a crontab line, or a systemd service and timer.
// No password is ever part of it: the backup reads SURREAL_USER/SURREAL_PASS from an env file (mode 0600).
import { createHash } from 'node:crypto';
import { PatternDbError } from '../core/errors.js';
import { assertCalendarExpression, assertNoControlCharacters, assertPlainName } from '../core/flag-text.js';

export const DEFAULT_CRON = '15 3 * * *';

export interface ScheduledCommand {
  /** Absolute path of node. */
  node: string;
  /** Absolute path of bin/pattern-db.js. */
  script: string;
  /** Where the backup runs from (Pattern's config search starts there). */
  cwd: string;
  /** Arguments after `backup`, paths already absolute; never a password. */
  args: string[];
  namespace: string;
  database: string;
  /** What it backs up, as the schedule was made: the server's URL or the store's folder. */
  from: string;
  /** Where cron appends the output. */
  logFile: string;
}

/** POSIX shell quoting: plain when safe, else single quotes. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The comment that marks our line in a crontab: one per namespace/database and what it is read from. Most installs
 * use pattern/pattern: a second server's schedule must not take the first one's line.
 */
export function cronMarker(command: Pick<ScheduledCommand, 'namespace' | 'database' | 'from'>): string {
  return cronEscaped(`${legacyCronMarker(command.namespace, command.database)} from ${command.from}`);
}

/** cron takes an unescaped % anywhere in the line's command, its trailing comment included, for a newline. */
function cronEscaped(text: string): string {
  return text.replace(/%/g, '\\%');
}

/** How lines were marked before they named what they read (until December 2026): by namespace/database alone. */
export function legacyCronMarker(namespace: string, database: string): string {
  return `# pattern-db backup ${namespace}/${database}`;
}

const CRON_FIELD = /^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/\d+)?(?:,(?:\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/\d+)?)*$/;
const CRON_NICKNAMES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

export function assertCronExpression(expr: string): void {
  assertNoControlCharacters('--cron', expr);
  const trimmed = expr.trim();
  if (CRON_NICKNAMES.includes(trimmed)) return;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
    throw new PatternDbError('E_USAGE', `--cron "${expr}" is not a crontab schedule (five fields: minute hour day month weekday).`, {
      fix: `For example --cron "${DEFAULT_CRON}" (every day at 03:15) or --cron "0 */6 * * *" (every six hours).`,
    });
  }
}

/**
 * Every value the schedule writes into a crontab line or a unit file, checked against the flag it came from: a
 * newline in any of them would add a line of its own (another job, another ExecStart=).
 */
export function assertScheduledCommand(command: ScheduledCommand): void {
  assertPlainName('--namespace', command.namespace);
  assertPlainName('--database', command.database);
  command.args.forEach((value, i) => {
    const flag = value.startsWith('--') ? value : command.args[i - 1] ?? 'an argument';
    assertNoControlCharacters(flag, value);
  });
  assertNoControlCharacters('the current folder', command.cwd);
  assertNoControlCharacters('--dir', command.logFile);
  assertNoControlCharacters('the path of node', command.node);
  assertNoControlCharacters('the path of pattern-db', command.script);
  assertNoControlCharacters('the source', command.from);
}

/**
 * node, then pattern-db's arguments. `--` first: node 20 takes an `--env-file` anywhere on its command line for its own
 * (it fails with "node: FILE: not found", exit 9), even after the script's name.
 */
function commandWords(command: ScheduledCommand): string[] {
  return [command.node, '--', command.script, 'backup', ...command.args];
}

/** The command part of a crontab line, every % escaped. */
function cronCommand(command: ScheduledCommand): string {
  const words = commandWords(command).map(shellQuote).join(' ');
  // The shell opens the log before the backup runs, so its folder must exist first.
  const logDir = command.logFile.slice(0, Math.max(1, command.logFile.lastIndexOf('/')));
  const line = `cd ${shellQuote(command.cwd)} && mkdir -p ${shellQuote(logDir)} && ${words} >> ${shellQuote(command.logFile)} 2>&1`;
  return cronEscaped(line);
}

export function cronLine(command: ScheduledCommand, schedule: string = DEFAULT_CRON): string {
  assertCronExpression(schedule);
  assertScheduledCommand(command);
  return `${schedule.trim()} ${cronCommand(command)} ${cronMarker(command)}`;
}

export type CrontabChange = 'added' | 'replaced' | 'unchanged';

export interface MergedCrontab {
  text: string;
  change: CrontabChange;
  /** Lines marked the old way for this namespace/database that run another command: left, maybe another server's. */
  earlier: string[];
}

/**
 * The crontab with our line in it: other lines are kept as they are; our earlier line for the same pair and source is
 * replaced, and so is one marked the old way that runs the very same command.
 */
export function mergeCrontab(existing: string, line: string, command: ScheduledCommand): MergedCrontab {
  const lines = existing.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const active = (l: string) => !l.trimStart().startsWith('#');
  const legacy = legacyCronMarker(command.namespace, command.database);
  const marked = (l: string, marker: string) => active(l) && l.trimEnd().endsWith(marker);
  const sameCommand = cronCommand(command);
  const earlier = lines.filter((l) => l !== line && marked(l, legacy) && !l.includes(sameCommand));
  if (lines.includes(line)) return { text: existing.endsWith('\n') || existing === '' ? existing : `${existing}\n`, change: 'unchanged', earlier };
  const ours = lines.findIndex((l) => marked(l, cronMarker(command)) || (marked(l, legacy) && l.includes(sameCommand)));
  if (ours >= 0) {
    lines[ours] = line;
    return { text: `${lines.join('\n')}\n`, change: 'replaced', earlier };
  }
  lines.push(line);
  return { text: `${lines.join('\n')}\n`, change: 'added', earlier };
}

const cleanForUnit = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/**
 * A unit name for the pair and its source: pattern-db-backup-<ns>-<db>-<8 hex digits of the source>, anything unusual
 * replaced by _. Two servers' pattern/pattern get two timers.
 */
export function unitName(command: Pick<ScheduledCommand, 'namespace' | 'database' | 'from'>): string {
  const source = createHash('sha256').update(command.from).digest('hex').slice(0, 8);
  return `${legacyUnitName(command.namespace, command.database)}-${source}`;
}

/** How units were named before they named what they read (until December 2026): by namespace/database alone. */
export function legacyUnitName(namespace: string, database: string): string {
  return `pattern-db-backup-${cleanForUnit(namespace)}-${cleanForUnit(database)}`;
}

/** systemd's command-line quoting: double quotes when needed; % and $ are specifiers, so they are doubled. */
export function systemdQuote(value: string): string {
  const escaped = value.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (/^[A-Za-z0-9_@+=:,./%$-]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function systemdService(command: ScheduledCommand, envFile: string): string {
  assertScheduledCommand(command);
  assertNoControlCharacters('--env-file', envFile);
  const exec = commandWords(command).map(systemdQuote).join(' ');
  return [
    '[Unit]',
    `Description=pattern-db backup of ${command.namespace}/${command.database}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    `WorkingDirectory=${systemdQuote(command.cwd)}`,
    `# SURREAL_USER and SURREAL_PASS are read from ${envFile} (keep it mode 0600), never from this file.`,
    `ExecStart=${exec}`,
    '',
  ].join('\n');
}

/** A cron schedule with a fixed minute and hour (and maybe weekdays) as an OnCalendar= value; null for anything else. */
export function cronToOnCalendar(expr: string): string | null {
  const trimmed = expr.trim();
  if (trimmed === '@daily' || trimmed === '@midnight') return '*-*-* 00:00:00';
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string];
  if (!/^\d{1,2}$/.test(minute) || !/^\d{1,2}$/.test(hour) || Number(minute) > 59 || Number(hour) > 23) return null;
  if (day !== '*' || month !== '*') return null;
  const time = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}:00`;
  if (weekday === '*') return `*-*-* ${time}`;
  const names = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const days = weekday.split(',').map((d) => (/^[0-7]$/.test(d) ? names[Number(d)] : /^(sun|mon|tue|wed|thu|fri|sat)$/i.test(d) ? d[0]!.toUpperCase() + d.slice(1, 3).toLowerCase() : null));
  if (days.some((d) => d === null)) return null;
  return `${days.join(',')} *-*-* ${time}`;
}

export function systemdTimer(command: ScheduledCommand, onCalendar: string): string {
  assertScheduledCommand(command);
  assertCalendarExpression('--on-calendar', onCalendar);
  return [
    '[Unit]',
    `Description=Run the pattern-db backup of ${command.namespace}/${command.database} (${onCalendar})`,
    '',
    '[Timer]',
    `OnCalendar=${onCalendar}`,
    // A machine that was off at the time runs the missed backup when it comes back.
    'Persistent=true',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}
