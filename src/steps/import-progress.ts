// The import's progress events: records as data chunks go in, then each deferred index as it builds, with the work
// plan's estimate of both, so that the bar and the time left reach their end only when the last index is built.
import type { Reporter } from '../core/events.js';
import type { ImportChunk } from '../core/import-chunks.js';
import type { ImportWork, IndexWork } from '../core/import-work.js';

export class ImportProgress {
  private records = 0;
  private workDone = 0;
  private indexesSeen = 0;
  private started = false;

  constructor(
    private readonly report: Reporter,
    private readonly work: ImportWork,
    /** Records the whole import loads, as the earlier steps counted them. */
    private readonly total: number,
  ) {}

  get recordsDone(): number {
    return this.records;
  }

  /** A chunk before the resume point, done by an earlier run. */
  skipped(chunk: ImportChunk): void {
    if (chunk.definesIndex) this.indexesSeen += 1;
    this.records += chunk.records;
    this.workDone += this.costOf(chunk);
  }

  /** Just before a chunk is sent: an index starts its phase (it may take minutes); the first chunk starts the records'. */
  starting(chunk: ImportChunk): void {
    if (chunk.definesIndex) this.indexesSeen += 1;
    if (chunk.definesIndex || !this.started) this.emit(chunk, this.workDone + this.costOf(chunk), chunk.tables[0]);
    this.started = true;
  }

  finished(chunk: ImportChunk): void {
    this.records += chunk.records;
    this.workDone += this.costOf(chunk);
    this.emit(chunk, this.workDone, chunk.tables.at(-1));
  }

  private planned(chunk: ImportChunk): IndexWork | undefined {
    const index = chunk.definesIndex;
    return index && this.work.indexes.find((i) => i.name === index.name && i.table === index.table);
  }

  private costOf(chunk: ImportChunk): number {
    return chunk.definesIndex ? (this.planned(chunk)?.cost ?? 0) : chunk.records;
  }

  /** `indexEnd`: where the work will be when this index is built; the records' part ends with the last record. */
  private emit(chunk: ImportChunk, indexEnd: number, table: string | undefined): void {
    const index = chunk.definesIndex;
    const phase = index
      ? { kind: 'index' as const, name: index.name, table: index.table, k: this.indexesSeen, n: Math.max(this.work.indexes.length, this.indexesSeen), tableRecords: this.planned(chunk)?.tableRecords ?? 0 }
      : { kind: 'records' as const, indexes: this.work.indexes.length };
    const total = Math.max(this.work.total, this.workDone);
    const partEnd = Math.min(total, index ? indexEnd : Math.max(this.work.records, this.workDone));
    this.report.progress(this.records, 'records', this.total, table, { phase, work: { done: this.workDone, total, partEnd } });
  }
}
