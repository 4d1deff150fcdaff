// Values from flags that end up inside other text: crontab lines, systemd units, env files and backup file names.
// A newline there starts a line of the attacker's choosing (another cron job, another ExecStart=), and a path
// separator in a name moves a backup file elsewhere; such values are refused, naming the flag.
import { PatternDbError } from './errors.js';

// C0 and C1 controls (NUL, tab, newline, CR, ESC, …), DEL, and the Unicode line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const SEPARATOR = /[/\\]/;
// What systemd.time(7) calendar expressions use: weekday names, dates, times, '*', ',', '..', '/', '~', and a time zone.
const CALENDAR = /^[A-Za-z0-9 *,./:~_+-]+$/;

function refused(flag: string, value: string, why: string, fix: string): PatternDbError {
  return new PatternDbError('E_USAGE', `${flag} ${JSON.stringify(value)} ${why}.`, { fix });
}

/** Paths and URLs: anything but control characters. */
export function assertNoControlCharacters(flag: string, value: string): void {
  if (CONTROL.test(value)) {
    throw refused(flag, value, 'holds a control character (such as a newline), which would break the line it is written into', `Pass ${flag} without control characters.`);
  }
}

/** A namespace or database name that becomes part of file and unit names: no control characters, no '/' or '\'. */
export function assertPlainName(flag: string, value: string): void {
  assertNoControlCharacters(flag, value);
  if (value === '') throw refused(flag, value, 'is empty', `Pass a name with ${flag}.`);
  if (SEPARATOR.test(value)) {
    throw refused(flag, value, 'holds a path separator ("/" or "\\"), and it becomes part of backup file names', `Pass ${flag} without "/" or "\\" (Pattern's own is "pattern").`);
  }
}

/** A systemd OnCalendar= expression: only the characters such expressions are made of. */
export function assertCalendarExpression(flag: string, value: string): void {
  assertNoControlCharacters(flag, value);
  if (!CALENDAR.test(value.trim())) {
    throw refused(flag, value, 'is not a systemd calendar expression (letters, digits, spaces and * , . / : ~ _ + - only)', `For example ${flag} "*-*-* 03:15:00" or ${flag} "Mon..Fri 02:00" (see systemd.time(7)).`);
  }
}
