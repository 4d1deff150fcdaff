// A surreal process that cannot outlive pattern-db: it runs under a small shell whose watcher holds our end of a pipe.
import type { Writable } from 'node:stream';

/** What the watcher prints when the process had to be killed: `what` did not exit after SIGTERM. */
export const forcedLine = (what: string): string => `pattern-db: ${what} did not exit after SIGTERM and was killed`;

/**
 * The shell script: its `$0 "$@"` is the program and its arguments. The watcher's reader holds the shell's stdin, our
 * pipe: when pattern-db exits in any way (even SIGKILL) or ends the pipe, its `read` returns and the watcher sends
 * SIGTERM, then SIGKILL after `graceMs` (at once when the line read is `kill`, which the reader's exit status says).
 * The shell waits on the program and exits with its code, so a program that fails at once is seen at once; it then
 * ends the watcher with SIGTERM. The watcher waits in `wait`, which dash interrupts for a trapped signal whenever it
 * comes: blocked in `read` itself, a SIGTERM landing just before the read began went unseen, and the watcher and the
 * shell then waited for each other (1 hang in about 2,000 programs that failed at once, on a busy machine). The reader
 * and the watcher's sleep hold no pipe of ours but that stdin: an orphaned one would keep pattern-db waiting. It kills
 * before it says so: once pattern-db is gone, saying so ends the watcher (SIGPIPE).
 */
function script(graceMs: number, forced: string): string {
  return (
    'trap "" INT; exec 3<&0; "$0" "$@" <&- 3<&- & server=$!; ' +
    `( trap 'kill "$reader" "$nap" 2>/dev/null; exit 0' TERM; ` +
    `( read -r how <&3; [ "$how" = kill ] && exit 9; exit 0 ) </dev/null >/dev/null 2>&1 & reader=$!; exec 3<&-; ` +
    `wait "$reader"; said=$?; ` +
    `if [ "$said" = 9 ]; then kill -KILL "$server" 2>/dev/null; exit 0; fi; kill -TERM "$server" 2>/dev/null; ` +
    `sleep ${Math.max(1, Math.ceil(graceMs / 1000))} </dev/null >/dev/null 2>&1 & nap=$!; wait "$nap"; ` +
    `kill -KILL "$server" 2>/dev/null; echo "${forced}" >&2 ) & watcher=$!; ` +
    'exec 3<&-; wait "$server"; code=$?; kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null; exit "$code"'
  );
}

/**
 * The command that runs `bin args` under the watchdog; spawn it with a stdin pipe and keep that pipe open while the
 * program runs. End the pipe to stop the program (SIGTERM, then SIGKILL after `graceMs`); end it with `kill\n` to kill
 * it at once.
 */
export function underWatchdog(bin: string, args: readonly string[], graceMs: number, forced: string): { file: string; args: string[] } {
  return { file: '/bin/sh', args: ['-c', script(graceMs, forced), bin, ...args] };
}

/**
 * How a program under the watchdog is let go of, through the pipe to its shell: `stop` (SIGTERM, then SIGKILL after
 * the grace) or `kill` (at once). Only the first call counts.
 */
export function watchdogPipe(pipe: Writable): (how: 'stop' | 'kill') => void {
  // A shell already gone has nothing left to stop: its pipe may refuse what is written.
  pipe.on('error', () => undefined);
  return (how) => {
    if (!pipe.writableEnded) pipe.end(how === 'kill' ? 'kill\n' : undefined);
  };
}

/** The exit code of a shell that could not start the program (not found, not executable). */
export function shellCouldNotRun(exitCode: number | undefined): boolean {
  return exitCode === 127 || exitCode === 126;
}

/** The exit code of a shell whose program died of SIGKILL (128 + 9). */
export function programWasKilled(exitCode: number | null | undefined): boolean {
  return exitCode === 137;
}
