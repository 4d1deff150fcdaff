// How many records an INSERT statement holds: the in-process export groups a page of records this way, and the import
// cuts an export's longer INSERTs to the same size (core/insert-cuts.ts).

/**
 * Records per INSERT, at most, and the text one may reach before it is ended early: a server loads a statement in one
 * transaction, and loads records slower in large ones. The data of the 100,000-message store's in-process export
 * loaded into a 3.3.5 server (bench/import-streams.ts, two chunks in flight) in 22.7 s, the server spending 38.6 s of
 * CPU, with a statement per page of 1,000 records; grouped this way, in 9.3-9.4 s (14.0-14.7 s). `surreal export`'s
 * own file, whose statements carry about 30 messages but 1,000 records of a table without indexes, loaded in
 * 17.1-17.6 s (26.5-27.0 s); at 5,000 messages, in 1.11-1.20 s as written and in 0.64-0.68 s cut into statements of
 * 100 (0.64-0.65 s in statements of 25 or 50, 0.71-0.76 s of 200). A 2.6.5 server loaded it in 1.14 s either way.
 */
export const INSERT_RECORDS = 100;
export const INSERT_TEXT = 256 * 1024;

/** The records' texts in groups of at most INSERT_RECORDS, a group ending early once its text reaches INSERT_TEXT. */
export function* insertGroups(texts: string[]): Generator<string[]> {
  let group: string[] = [];
  let length = 0;
  for (const text of texts) {
    group.push(text);
    length += text.length;
    if (group.length >= INSERT_RECORDS || length >= INSERT_TEXT) {
      yield group;
      group = [];
      length = 0;
    }
  }
  if (group.length) yield group;
}
