// The records the import holds back (core/import-lanes.ts), kept on disk rather than in memory: up to 64 MB of a big
// store's records, which would otherwise stay in pattern-db's memory for most of the import. One JSON line per
// statement (JSON escapes every line break inside it) in a 0600 file of the state folder, read back in order, and
// removed once read or given up.
import { createReadStream, promises as fs } from 'node:fs';
import { isDiskFull, PatternDbError } from '../core/errors.js';
import type { StatementHold } from '../core/import-lanes.js';
import type { Statement } from '../core/surql-scan.js';
import { openPrivateFile } from './private-files.js';
import { errorText } from '../core/error-text.js';

const READ_BYTES = 1024 * 1024;

export class HeldStatementsFile implements StatementHold {
  private handle: fs.FileHandle | undefined;

  /** `file`: created at the first statement held (one an earlier run left is replaced). */
  constructor(private readonly file: string) {}

  async add(statement: Statement): Promise<void> {
    const { text, kind, table, records, bytes } = statement;
    const line = `${JSON.stringify({ text, kind, table, records, bytes })}\n`;
    try {
      if (!this.handle) {
        await fs.rm(this.file, { force: true });
        this.handle = await openPrivateFile(this.file);
      }
      await this.handle.writeFile(line);
    } catch (error) {
      await this.discard();
      throw heldWriteError(this.file, error);
    }
  }

  async *release(): AsyncGenerator<Statement> {
    if (!this.handle) return;
    await this.handle.close();
    this.handle = undefined;
    try {
      // A statement can span many pieces: each piece is searched once, and a line joined once it is whole.
      let parts: string[] = [];
      for await (const piece of createReadStream(this.file, { encoding: 'utf8', highWaterMark: READ_BYTES }) as AsyncIterable<string>) {
        let from = 0;
        for (let end = piece.indexOf('\n'); end >= 0; end = piece.indexOf('\n', from)) {
          parts.push(piece.slice(from, end));
          yield JSON.parse(parts.join('')) as Statement;
          parts = [];
          from = end + 1;
        }
        if (from < piece.length) parts.push(piece.slice(from));
      }
    } finally {
      await fs.rm(this.file, { force: true });
    }
  }

  async discard(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await fs.rm(this.file, { force: true });
  }
}

function heldWriteError(file: string, error: unknown): Error {
  if (isDiskFull(error)) {
    return new PatternDbError('E_DISK_FULL', `The disk filled up while setting records aside in ${file}; that file was removed.`, {
      cause: error,
      evidence: errorText(error),
      fix: 'Free disk space (or pass --state-dir on another disk), then run the same command with --resume.',
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
