// An upgrade's export parsed by the target's `surreal validate` while it is written, in pieces of whole statements:
// the check ends soon after the file does, instead of reading it again once written (0.5 s for a 5,000-message store,
// growing with it), and nothing is sent before it ends.
import { promises as fs } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../files/private-files.js';
import { cliValidate } from '../surreal/cli.js';

/**
 * A piece of 8 MiB takes about 0.2 s to check; the export goes on while up to 24 MiB of pieces wait for theirs, checked
 * one at a time while the file is written and two at a time once it is. On a 20,000-message export (54 MB, repaired
 * as it arrived in 1.9–2.3 s) the file was checked 2.8–3.1 s after it was asked for, against 3.7–4.3 s with pieces of
 * 1 MiB each checked before the next was gathered (4 alternating rounds on one private 2.x server).
 */
const PIECE_BYTES = 8 * 1024 * 1024;
/** Pieces gathered and not yet checked, at most: past this the export waits for their checks. */
const HELD_BYTES = 24 * 1024 * 1024;
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
  /** Each piece's check, oldest first; they begin in this order. */
  private readonly held: Array<{ bytes: number; checked: Promise<void> }> = [];
  private abandoned = false;
  private refusal: unknown;
  /** Checks at once: one while the export is written, both cores once it is. */
  private width = 1;
  private readonly waiting: Array<(file: string) => void> = [];
  /** The files to check pieces in, one per check at once; those not in use. */
  private readonly files: string[];
  private readonly freeFiles: string[];

  /**
   * `pieceFile`: where each piece waits for `surreal validate` (it cannot read a pipe from node), created 0600 like the
   * export beside it, and removed once checked.
   */
  constructor(
    private readonly bin: string,
    pieceFile: string,
    private readonly signal?: AbortSignal,
    private readonly pieceBytes = PIECE_BYTES,
    private readonly heldBytesMax = HELD_BYTES,
  ) {
    this.files = [pieceFile, pieceFile.replace(/(\.surql)?$/, '-2$1')];
    this.freeFiles = [...this.files];
  }

  /**
   * One statement as written to the export (newline included). Waits only while the pieces not yet checked hold more
   * than their share of memory; rejects once a piece was refused.
   */
  async add(statement: Buffer): Promise<void> {
    this.parts.push(statement);
    this.bytes += statement.length;
    this.nextLine += newlines(statement);
    if (this.bytes < this.pieceBytes) return;
    this.holdPiece();
    while (this.heldBytes > this.heldBytesMax) await this.takeOldest();
  }

  /** Resolves once every statement added parsed; else rejects with the first refusal, naming its line in the export. */
  async finish(): Promise<void> {
    if (this.bytes) this.holdPiece();
    this.widen(2);
    while (this.held.length) await this.takeOldest();
  }

  /** The export stopped: what is held is not checked, and this resolves once no piece is left on disk. */
  async abandon(): Promise<void> {
    this.abandoned = true;
    await Promise.allSettled(this.held.splice(0).map(({ checked }) => checked));
  }

  private get heldBytes(): number {
    return this.held.reduce((sum, { bytes }) => sum + bytes, 0);
  }

  private async takeOldest(): Promise<void> {
    const oldest = this.held.shift()!;
    try {
      await oldest.checked;
    } catch (error) {
      await this.abandon();
      throw error;
    }
  }

  private holdPiece(): void {
    const piece = Buffer.concat(this.parts);
    const firstLine = this.pieceLine;
    this.parts = [];
    this.bytes = 0;
    this.pieceLine = this.nextLine;
    const checked = this.check(piece, firstLine);
    // Seen when it is taken; unhandled until then.
    checked.catch(() => undefined);
    this.held.push({ bytes: piece.length, checked });
  }

  /** Checks wait their turn in order, each given a file of its own to be checked in. */
  private async turn(): Promise<string> {
    if (this.checking() < this.width) return this.freeFiles.pop()!;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A check ended: its file goes to the next one waiting, else back to the free ones. */
  private done(file: string): void {
    const next = this.waiting.shift();
    if (next) next(file);
    else this.freeFiles.push(file);
  }

  private widen(width: number): void {
    this.width = width;
    while (this.checking() < this.width && this.waiting.length) this.waiting.shift()!(this.freeFiles.pop()!);
  }

  private checking(): number {
    return this.files.length - this.freeFiles.length;
  }

  private async check(piece: Buffer, firstLine: number): Promise<void> {
    const file = await this.turn();
    try {
      // After a refusal (or once the export stopped) the pieces still waiting are not checked.
      if (this.abandoned || this.refusal) return;
      await fs.rm(file, { force: true });
      await fs.writeFile(file, piece, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
      await cliValidate(this.bin, file, this.signal, firstLine).catch((error: unknown) => {
        this.refusal ??= error;
        throw error;
      });
    } finally {
      await fs.rm(file, { force: true });
      this.done(file);
    }
  }
}
