// Fields whose value is computed when a record is read (2.x `VALUE <future> { … }`, 3.x `COMPUTED { … }`): they are
// not stored data, can change from one read to the next (time::now()), so the comparison by value leaves them out.

/** Top-level computed fields of a table, by name, from INFO FOR TABLE's `fields` of either major. */
export function computedFields(...fieldMaps: Array<Record<string, string> | undefined>): string[] {
  const names = new Set<string>();
  for (const fields of fieldMaps) {
    for (const [key, definition] of Object.entries(fields ?? {})) {
      const name = key.replace(/^`(.*)`$/, '$1');
      if (/[.[]/.test(name)) continue;
      if (/ VALUE <future> | COMPUTED /.test(` ${definition.replace(/\s+/g, ' ')} `)) names.add(name);
    }
  }
  return [...names].sort();
}
