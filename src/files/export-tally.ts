// What an export file holds, from one read of its bytes: its records per table, its indexes and its SHA-256. Fed as
// the file is written (watch-export.ts), as a repair writes it (repair-export.ts), or by reading it once (tallyFile).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ExportIndexReader, type ExportIndexes } from '../core/export-indexes.js';
import { SurqlScanner, type Statement } from '../core/surql-scan.js';

export interface ExportTally {
  recordsByTable: Record<string, number>;
  records: number;
  sha256: string;
  bytes: number;
  indexes: ExportIndexes;
}

export class TallyBuilder {
  private readonly hash = createHash('sha256');
  private readonly scanner = new SurqlScanner();
  private readonly counts: Record<string, number> = {};
  private readonly indexes = new ExportIndexReader();
  private bytesSeen = 0;
  private recordsSeen = 0;
  /** The table of the last statement that named one. */
  table: string | undefined;

  get bytes(): number {
    return this.bytesSeen;
  }

  get records(): number {
    return this.recordsSeen;
  }

  push(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytesSeen += chunk.length;
    this.count(this.scanner.push(chunk));
  }

  end(): ExportTally {
    this.count(this.scanner.end());
    return { recordsByTable: { ...this.counts }, records: this.recordsSeen, sha256: this.hash.digest('hex'), bytes: this.bytesSeen, indexes: this.indexes.result() };
  }

  private count(statements: Statement[]): void {
    for (const statement of statements) {
      this.table = statement.table ?? this.table;
      this.indexes.add(statement);
      if (!statement.records || !statement.table) continue;
      this.counts[statement.table] = (this.counts[statement.table] ?? 0) + statement.records;
      this.recordsSeen += statement.records;
    }
  }
}

/** Reads the file once. */
export async function tallyFile(file: string): Promise<ExportTally> {
  const tally = new TallyBuilder();
  for await (const chunk of createReadStream(file)) tally.push(chunk as Buffer);
  return tally.end();
}
