// An upgrade's export parsed by the target's `surreal validate` while it is written, in pieces of whole statements, one
// piece at a time: the check ends soon after the file does, instead of reading it again once written (0.5 s for a
// 5,000-message store, growing with it), and nothing is sent before it ends.
import { promises as fs } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../files/private-files.js';
import { cliValidate } from '../surreal/cli.js';

/** A piece takes about 50 ms to check (a `surreal validate` starts in 20 ms), so the last one ends soon after the file. */
const PIECE_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

function newlines(text: Buffer): number {
  let n = 0;
  for (let at = text.indexOf(NEWLINE); at >= 0; at = text.indexOf(NEWLINE, at + 1)) n += 1;
  return n;
}

export class ValidateWhileWritten {
  private parts: Buffer[] = [];
  private bytes = 0;
  /** The export's line where the piece being gathered starts, and where the next statement starts. */
  private pieceLine = 1;
  private nextLine = 1;
  private checking: Promise<void> = Promise.resolve();

  /**
   * `pieceFile`: where each piece waits for `surreal validate` (it cannot read a pipe from node), created 0600 like the
   * export beside it, and removed once checked.
   */
  constructor(
    private readonly bin: string,
    private readonly pieceFile: string,
    private readonly signal?: AbortSignal,
    private readonly pieceBytes = PIECE_BYTES,
  ) {}

  /**
   * One statement as written to the export (newline included). Waits only when a piece is full and the one before it
   * is still being checked (so at most two pieces are held); rejects once a piece was refused.
   */
  async add(statement: Buffer): Promise<void> {
    this.parts.push(statement);
    this.bytes += statement.length;
    this.nextLine += newlines(statement);
    if (this.bytes >= this.pieceBytes) await this.checkPiece();
  }

  /** Resolves once every statement added parsed; else rejects with the first refusal, naming its line in the export. */
  async finish(): Promise<void> {
    if (this.bytes) await this.checkPiece();
    await this.checking;
  }

  private async checkPiece(): Promise<void> {
    await this.checking;
    const piece = Buffer.concat(this.parts);
    const firstLine = this.pieceLine;
    this.parts = [];
    this.bytes = 0;
    this.pieceLine = this.nextLine;
    this.checking = this.check(piece, firstLine);
    // Seen at the next add or at finish; unhandled until then.
    this.checking.catch(() => undefined);
  }

  private async check(piece: Buffer, firstLine: number): Promise<void> {
    try {
      await fs.rm(this.pieceFile, { force: true });
      await fs.writeFile(this.pieceFile, piece, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
      await cliValidate(this.bin, this.pieceFile, this.signal, firstLine);
    } finally {
      await fs.rm(this.pieceFile, { force: true });
    }
  }
}
