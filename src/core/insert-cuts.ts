// Cuts an export's long INSERT into statements of at most INSERT_RECORDS records (core/insert-groups.ts says why), at
// the commas the scanner marked: `surreal export` writes 1,000 records per statement for a table without indexes.
import type { Statement } from './surql-scan.js';

/**
 * The statement as statements of one group of its records each, in order; itself when it has no cuts. Each keeps the
 * text before the array and after it (`INSERT RELATION [`, `];`) and the kind and table; their `bytes` add up to its.
 */
export function cutInsert(statement: Statement): Statement[] {
  const { cuts, text } = statement;
  if (!cuts) return [statement];
  const plain: Statement = { ...statement };
  delete plain.cuts;
  const head = text.slice(0, cuts.open + 1);
  const tail = text.slice(cuts.close);
  const ends = [...cuts.commas, { at: cuts.close, records: statement.records }];
  const pieces: Statement[] = [];
  let from = cuts.open + 1;
  let recordsBefore = 0;
  let bytesAfterFirst = 0;
  for (const [i, end] of ends.entries()) {
    const piece: Statement = { ...plain, text: head + text.slice(from, end.at) + tail, records: end.records - recordsBefore, bytes: 0 };
    if (i > 0) {
      // From the comma before it: the first piece keeps the comments before the statement, the '[' and the '];'.
      piece.bytes = Buffer.byteLength(text.slice(from - 1, end.at));
      bytesAfterFirst += piece.bytes;
    }
    pieces.push(piece);
    recordsBefore = end.records;
    from = end.at + 1;
  }
  pieces[0]!.bytes = statement.bytes - bytesAfterFirst;
  return pieces;
}

/** The statements with every long INSERT cut (cutInsert). */
export async function* cutInserts(statements: AsyncIterable<Statement>): AsyncGenerator<Statement> {
  for await (const statement of statements) yield* cutInsert(statement);
}
