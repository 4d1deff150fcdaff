// One table's comparison built up range by range, so that only the range being compared is ever held: counts, the
// first ids of each kind of difference, and the examples in the order a whole-table comparison would list them
// (missing and changed in the source's order, then the extras).

export type RecordDifference = 'missing' | 'extra' | 'changed';

export interface TableComparison {
  table: string;
  source: number;
  target: number;
  missing: number;
  extra: number;
  changed: number;
  /** Records compared: every id found on either side. Absent in a journal written before it was reported. */
  compared?: number;
  /** A few record ids that differ, for the report. */
  examples: string[];
  /** The first id of each kind of difference, so the report can say which is which. */
  exampleOf?: Partial<Record<RecordDifference, string>>;
  /** Set when the text hashes differed and the table was compared again by value (the counts are that comparison's). */
  recheckedByValue?: true;
}

const MAX_EXAMPLES = 5;

export class TableTally {
  private sourceCount = 0;
  private targetCount = 0;
  private readonly counts: Record<RecordDifference, number> = { missing: 0, extra: 0, changed: 0 };
  private readonly exampleOf: Partial<Record<RecordDifference, string>> = {};
  private readonly sourceSide: string[] = [];
  private readonly extras: string[] = [];

  constructor(private readonly table: string) {}

  /** Records that digested alike on both sides as a whole range, without being read one by one. */
  same(records: number): void {
    this.sourceCount += records;
    this.targetCount += records;
  }

  /** Compares one range's (id → digest) on each side; the same id is never in two ranges. */
  compare(source: Iterable<readonly [string, string]>, target: Iterable<readonly [string, string]>): void {
    const theirs = new Map(target);
    this.targetCount += theirs.size;
    for (const [id, digest] of source) {
      this.sourceCount += 1;
      const other = theirs.get(id);
      if (other === undefined) this.note('missing', id);
      else {
        theirs.delete(id);
        if (other !== digest) this.note('changed', id);
      }
    }
    for (const id of theirs.keys()) this.note('extra', id);
  }

  private note(kind: RecordDifference, id: string): void {
    this.counts[kind] += 1;
    this.exampleOf[kind] ??= id;
    const list = kind === 'extra' ? this.extras : this.sourceSide;
    if (list.length < MAX_EXAMPLES) list.push(id);
  }

  result(): TableComparison {
    const examples = [...this.sourceSide, ...this.extras].slice(0, MAX_EXAMPLES);
    const compared = this.sourceCount + this.counts.extra;
    return { table: this.table, source: this.sourceCount, target: this.targetCount, ...this.counts, compared, examples, exampleOf: { ...this.exampleOf } };
  }
}
