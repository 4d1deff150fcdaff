// How many records an INSERT statement holds: the in-process export groups a page of records this way, and the import
// cuts an export's longer INSERTs to the same size (core/insert-cuts.ts).

/**
 * Records per INSERT, at most, and the text one may reach before it is ended early: a server loads a statement in one
 * transaction, and loads records slower in large ones. Measured with bench/import-streams.ts (a 3.3.5 memory server,
 * two chunks in flight, the data without indexes): the 100,000-message store's in-process export, with a statement per
 * page of 1,000 records, in 22.7 s (the server's CPU 38.6 s); grouped this way, in 9.3-9.4 s (14.0-14.7 s).
 * `surreal export`'s own file, whose statements carry about 30 messages but 1,000 records of a table without indexes,
 * in 16.3-17.6 s as written and 8.3 s cut to this size (core/insert-cuts.ts); at 20,000 messages in 4.17 s and 2.13 s;
 * at 5,000 in 1.06-1.10 s and 0.59-0.67 s (statements of 25 or 50: 0.64-0.65 s, of 200: 0.71-0.76 s). A 2.6.5 server
 * loaded the 5,000 messages' in 1.00 s either way.
 */
export const INSERT_RECORDS = 100;
export const INSERT_TEXT = 256 * 1024;

/** Whether a group of `records` records whose text is `length` characters long ends an INSERT. */
export function groupIsFull(records: number, length: number): boolean {
  return records >= INSERT_RECORDS || length >= INSERT_TEXT;
}

/** The records' texts in groups of at most INSERT_RECORDS, a group ending early once its text reaches INSERT_TEXT. */
export function* insertGroups(texts: string[]): Generator<string[]> {
  let group: string[] = [];
  let length = 0;
  for (const text of texts) {
    group.push(text);
    length += text.length;
    if (groupIsFull(group.length, length)) {
      yield group;
      group = [];
      length = 0;
    }
  }
  if (group.length) yield group;
}
