// Comparing source and target: per-table counts, every record's digest, and the definitions.

export interface TableComparison {
  table: string;
  source: number;
  target: number;
  missing: number;
  extra: number;
  changed: number;
  /** A few record ids that differ, for the report. */
  examples: string[];
}

export interface DefinitionDifference {
  kind: string;
  name: string;
  problem: 'missing' | 'extra' | 'changed';
  source?: string;
  target?: string;
}

export interface VerifyReport {
  ok: boolean;
  tables: TableComparison[];
  definitions: DefinitionDifference[];
  records: number;
}

const MAX_EXAMPLES = 5;

/** Compares one table's (id → digest) maps. */
export function compareTable(table: string, source: Map<string, string>, target: Map<string, string>): TableComparison {
  let missing = 0;
  let changed = 0;
  const examples: string[] = [];
  for (const [id, digest] of source) {
    const other = target.get(id);
    if (other === undefined) missing += 1;
    else if (other !== digest) changed += 1;
    else continue;
    if (examples.length < MAX_EXAMPLES) examples.push(id);
  }
  let extra = 0;
  for (const id of target.keys()) {
    if (source.has(id)) continue;
    extra += 1;
    if (examples.length < MAX_EXAMPLES) examples.push(id);
  }
  return { table, source: source.size, target: target.size, missing, extra, changed, examples };
}

type Definitions = Record<string, Record<string, string>>;

/** Compares definition maps such as INFO FOR DB's {analyzers: {name: text}, …}. Kinds listed in `ignore` are skipped. */
export function compareDefinitions(
  source: Definitions,
  target: Definitions,
  scope: string,
  ignore: readonly string[] = [],
): DefinitionDifference[] {
  const differences: DefinitionDifference[] = [];
  const kinds = new Set([...Object.keys(source), ...Object.keys(target)]);
  for (const kind of [...kinds].sort()) {
    if (ignore.includes(kind)) continue;
    const a = source[kind] ?? {};
    const b = target[kind] ?? {};
    for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const label = scope ? `${scope}.${name}` : name;
      if (!(name in b)) differences.push({ kind, name: label, problem: 'missing', source: a[name] });
      else if (!(name in a)) differences.push({ kind, name: label, problem: 'extra', target: b[name] });
      else if (normalise(a[name]) !== normalise(b[name])) {
        differences.push({ kind, name: label, problem: 'changed', source: a[name], target: b[name] });
      }
    }
  }
  return differences;
}

function normalise(definition: string | undefined): string {
  return (definition ?? '').replace(/\s+/g, ' ').trim();
}

export function reportOk(tables: TableComparison[], definitions: DefinitionDifference[]): boolean {
  return definitions.length === 0 && tables.every((t) => t.missing === 0 && t.extra === 0 && t.changed === 0);
}
