// The text that makes the managed server a service: a systemd user unit, the 0600 env file with its credentials, and
// for a machine without systemd (a container) the line that starts it the same way. No password is ever part of the
// unit or the line: both read SURREAL_USER/SURREAL_PASS from the env file.
import { PatternDbError } from '../core/errors.js';
import { assertNoControlCharacters } from '../core/flag-text.js';
import { shellQuote, systemdQuote } from './backup-schedule.js';

export interface ServerServiceSpec {
  /** Absolute path of the surreal program. */
  bin: string;
  /** `start …`, as the managed server was started. */
  args: string[];
  /** Settings besides the credentials (never a secret). */
  settings: Record<string, string>;
  /** The 0600 file with SURREAL_USER and SURREAL_PASS. */
  envFile: string;
  bind: string;
  storage: string;
}

/** One unit per port: two servers cannot listen on one, and a second install for it replaces the first. */
export function serverUnitName(bind: string): string {
  const port = /:(\d+)$/.exec(bind.trim())?.[1] ?? bind.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `pattern-db-server-${port}`;
}

function assertSpec(spec: ServerServiceSpec): void {
  assertNoControlCharacters('the path of surreal', spec.bin);
  assertNoControlCharacters('--state-dir', spec.envFile);
  spec.args.forEach((arg) => assertNoControlCharacters('the server\'s storage or address', arg));
}

export function serverUnit(spec: ServerServiceSpec): string {
  assertSpec(spec);
  const exec = [spec.bin, ...spec.args].map(systemdQuote).join(' ');
  return [
    '[Unit]',
    `Description=SurrealDB for Pattern on ${spec.bind} (pattern-db server install)`,
    'After=network.target',
    '',
    '[Service]',
    'Type=simple',
    `# SURREAL_USER and SURREAL_PASS are read from this file (keep it mode 0600), never from this unit.`,
    // EnvironmentFile= takes the path as it is, but expands % specifiers.
    `EnvironmentFile=${spec.envFile.replace(/%/g, '%%')}`,
    ...Object.entries(spec.settings).map(([name, value]) => `Environment=${name}=${systemdQuote(value)}`),
    `ExecStart=${exec}`,
    'Restart=on-failure',
    'RestartSec=5',
    // A surrealkv store is closed on SIGTERM; let it finish before systemd kills it.
    'TimeoutStopSec=60',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/** The same start for a container's entrypoint or a supervisor: the env file read by the shell, then surreal. */
export function serverStartLine(spec: ServerServiceSpec): string {
  assertSpec(spec);
  const settings = Object.entries(spec.settings).map(([name, value]) => `${name}=${shellQuote(value)}`);
  return `set -a && . ${shellQuote(spec.envFile)} && set +a && exec env ${[...settings, ...[spec.bin, ...spec.args].map(shellQuote)].join(' ')}`;
}

const PLAIN = /^[A-Za-z0-9_.\/:@%+,=-]+$/;

/**
 * A value both systemd's EnvironmentFile= and a POSIX shell's `.` read the same: plain, or in double quotes where
 * both take \ " $ ` after a backslash as themselves. A line break cannot be written that way and is refused.
 */
export function envFileValue(name: string, value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new PatternDbError('E_USAGE', `${name} holds a control character (such as a line break), which an env file cannot hold for both systemd and a shell.`, {
      fix: `Give the server's user a password without control characters (DEFINE USER OVERWRITE … PASSWORD '…'), then run this again.`,
    });
  }
  if (PLAIN.test(value)) return value;
  return `"${value.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}

export function serverEnvFile(credentials: { username: string; password: string }): string {
  return [
    "# The managed server's root credentials, for its service (pattern-db server install). Keep it mode 0600.",
    `SURREAL_USER=${envFileValue('The username', credentials.username)}`,
    `SURREAL_PASS=${envFileValue('The password', credentials.password)}`,
    '',
  ].join('\n');
}
