// Errors are values with a stable code, the user's words, the evidence and a fix.
import { maskCredentials } from './secret-mask.js';
import { printable } from './printable.js';
import { errorText } from './error-text.js';

export const ERROR_CODES = {
  E_USAGE: 'the command line is not valid',
  E_NEEDS_INPUT: 'a question needs an answer and there is no terminal to ask it on',
  E_CONFIG_NOT_FOUND: 'no Pattern config file was found',
  E_CONFIG_PARSE: 'the Pattern config is not valid TOML',
  E_CONFIG_INVALID: 'the Pattern config does not have what Pattern requires',
  E_CONFIG_WRITE: 'the Pattern config could not be written',
  E_STORE_MISSING: 'the embedded store does not exist',
  E_STORE_NOT_DIR: 'the embedded store path is not a folder',
  E_STORE_EMPTY: 'the embedded store holds no data',
  E_STORE_LOCKED: 'the embedded store is in use by another process',
  E_STORE_FORMAT: 'the embedded store has a format this engine cannot read',
  E_STORE_LINK: 'the embedded store holds a symbolic link, which a copy would keep pointing into the live store',
  E_STORE_DAMAGED: 'the embedded store is damaged: SurrealDB reads it only up to the damage, or not at all',
  E_ENGINE_DROPPED: 'the embedded engine gave up on a request without answering it',
  E_SURREAL_MISSING: 'no usable surreal program was found',
  E_SURREAL_FAILED: 'the surreal program failed',
  E_SURREAL_KILLED: 'a surreal program was killed by the system, most likely for lack of memory',
  E_CONN_REFUSED: 'nothing is listening at the target address',
  E_CONN_LOST: 'the server stopped answering',
  E_HOST_NOT_FOUND: 'the target host name does not resolve',
  E_TLS: 'the TLS connection failed',
  E_TIMEOUT: 'the server did not answer in time',
  E_AUTH: 'the server refused the credentials',
  E_AUTH_LEVEL: 'the user exists below root level, where Pattern cannot sign in',
  E_PERMISSION: 'the user is not allowed to do this',
  E_HTTP: 'the server answered with an error',
  E_STATEMENT: 'a statement failed on the server',
  E_PORT_IN_USE: 'the port for the server is already taken',
  E_SERVER_START: 'the server did not start',
  E_SERVER_NOT_RUNNING: 'no managed server is running',
  E_SERVER_STOPPED: 'the managed server the run started stopped while the run needed it',
  E_EXPORT: 'the export failed',
  E_IMPORT: 'the import failed',
  E_TARGET_NOT_EMPTY: 'the target database already holds data',
  E_ALREADY_EXISTS: 'a namespace, database or user of that name already exists on the server',
  E_NAMESPACE_MISSING: 'the namespace or database does not exist on the server',
  E_SCHEMA: "the database lacks part of Pattern's schema (tables, indexes, metadata)",
  E_BACKUP_CORRUPT: 'a backup archive is damaged or does not match its checksum',
  E_RESTORE_REFUSED: 'a backup archive holds a statement a restore does not run, and nothing was restored',
  E_READ_ONLY: 'the statement would change data and the inspector is read-only',
  E_NOT_WRITABLE: 'a file or folder cannot be written',
  E_DISK_FULL: 'there is not enough free disk space',
  E_VERIFY_MISMATCH: 'the target differs from the source',
  E_JOURNAL: 'the journal of an earlier run cannot be used',
  E_STATE_IN_USE: 'another pattern-db run is using the same state folder',
  E_CANCELLED: 'the run was cancelled',
  E_INTERNAL: 'an unexpected error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  fix?: string;
  evidence?: string;
  cause?: unknown;
  /** A failed check the user may go past (core/options.ts SKIPPABLE_CHECKS), not a failure of the same code that no skip helps. */
  skippable?: boolean;
}

const shown = (text: string): string => printable(maskCredentials(text));

export class PatternDbError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | undefined;
  readonly evidence: string | undefined;
  readonly skippable: boolean;

  /**
   * What it says is masked here, once for every place it is shown or kept: a config line or a statement may hold a
   * secret, and a server's answer control characters a terminal would obey.
   */
  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(shown(message), details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'PatternDbError';
    this.code = code;
    this.fix = details.fix === undefined ? undefined : shown(details.fix);
    this.evidence = details.evidence === undefined ? undefined : shown(details.evidence);
    this.skippable = details.skippable ?? false;
  }
}

/** Any thrown value as a PatternDbError, so every failure reaches the user with a code. */
export function asPatternDbError(error: unknown): PatternDbError {
  if (error instanceof PatternDbError) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return new PatternDbError('E_CANCELLED', 'Cancelled before the step finished.', { cause: error });
  }
  if ((error as NodeJS.ErrnoException | undefined)?.syscall === 'uv_cwd') {
    return new PatternDbError('E_USAGE', 'The folder pattern-db was started in no longer exists: it was removed or renamed after the shell entered it.', {
      cause: error,
      fix: 'cd to a folder that exists (the one that holds your pattern.toml, or your home folder) and run again.',
    });
  }
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'EFBIG') {
    const { path } = error as NodeJS.ErrnoException;
    return new PatternDbError('E_NOT_WRITABLE', `A file${path ? ` (${path})` : ''} grew larger than this system lets a file be: a file-size limit (\`ulimit -f\`) or the file system's largest file.`, {
      cause: error,
      evidence: (error as Error).message,
      fix: 'Lift the limit (ulimit -f unlimited), or give the file a place on another file system (--export-file, --dir, --state-dir), then run again.',
    });
  }
  if (isDiskFull(error)) {
    const { path } = error as NodeJS.ErrnoException;
    return new PatternDbError('E_DISK_FULL', `The disk is full${path ? `: ${path} could not be written` : ''}.`, {
      cause: error,
      evidence: errorText(error),
      fix: 'Free disk space (or give the files a place on another disk: --state-dir, --export-file, --dir), then run again; an interrupted migration goes on with --resume.',
    });
  }
  const message = errorText(error);
  return new PatternDbError('E_INTERNAL', message, {
    cause: error,
    fix: 'This is a bug in pattern-db. Run again with --json and report the output.',
  });
}

/**
 * A write refused for want of room: the disk is full, or the user's quota is. Errors a child process reports (as
 * text) are read by their words.
 */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  return /\b(ENOSPC|EDQUOT)\b|No space left on device|Disk quota exceeded/i.test(errorText(error));
}

/** A file the disk filled up while it was written, its partial copy removed; `elsewhere` is the flag that moves it. */
export function diskFilledWhileWriting(file: string, elsewhere: string, cause?: unknown): PatternDbError {
  return new PatternDbError('E_DISK_FULL', `The disk filled up while writing ${file}; the partial file was removed.`, {
    fix: `Free disk space or pass ${elsewhere} on another disk, then run again.`,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Documented in the README; scripts rely on them. */
export const EXIT_CODES = {
  ok: 0,
  failed: 1,
  usage: 2,
  verifyMismatch: 3,
  needsInput: 4,
  warnings: 5,
  cancelled: 130,
} as const;

export function exitCodeFor(error: PatternDbError): number {
  switch (error.code) {
    case 'E_USAGE':
      return EXIT_CODES.usage;
    case 'E_NEEDS_INPUT':
      return EXIT_CODES.needsInput;
    case 'E_VERIFY_MISMATCH':
      return EXIT_CODES.verifyMismatch;
    case 'E_CANCELLED':
      return EXIT_CODES.cancelled;
    default:
      return EXIT_CODES.failed;
  }
}
