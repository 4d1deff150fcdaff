// Writes to a file in large pieces: a log copied record by record would otherwise be a write call a record.
import type { FileHandle } from 'node:fs/promises';

const WRITE_BYTES = 4 << 20;

/** Bytes written to `file` in pieces of WRITE_BYTES or more. */
export class BufferedWrite {
  private readonly pending = Buffer.allocUnsafe(WRITE_BYTES);
  private filled = 0;
  constructor(private readonly file: FileHandle) {}

  async append(from: Buffer, start = 0, end = from.length): Promise<void> {
    if (this.filled + end - start > WRITE_BYTES) await this.flush();
    if (end - start > WRITE_BYTES) await this.file.write(from, start, end - start);
    else this.filled += from.copy(this.pending, this.filled, start, end);
  }

  async flush(): Promise<void> {
    if (this.filled) await this.file.write(this.pending, 0, this.filled);
    this.filled = 0;
  }
}
