// The tree as rows: namespaces, their databases, their tables with record counts; a filter keeps matching tables
// (with the rows above them) and matching namespaces or databases.
import type { InspectTree, Selection } from '../../core/inspect-types.js';

export type TreeRow =
  | { kind: 'namespace'; namespace: string; label: string }
  | { kind: 'database'; namespace: string; database: string; label: string; tables: number; records: number | null }
  | { kind: 'table'; namespace: string; database: string; table: string; label: string; count: number | null; countError?: string };

export function treeRows(tree: InspectTree | undefined, filter = ''): TreeRow[] {
  if (!tree) return [];
  const needle = filter.toLowerCase();
  const matches = (name: string) => !needle || name.toLowerCase().includes(needle);
  const rows: TreeRow[] = [];
  for (const ns of tree.namespaces) {
    const nsRows: TreeRow[] = [];
    for (const db of ns.databases) {
      const tables = db.tables.filter((t) => matches(t.name) || matches(db.name) || matches(ns.name));
      if (!tables.length && !matches(db.name) && !matches(ns.name)) continue;
      const counts = db.tables.map((t) => t.count);
      nsRows.push({
        kind: 'database',
        namespace: ns.name,
        database: db.name,
        label: db.name,
        tables: db.tables.length,
        records: counts.every((c) => c !== null) ? (counts as number[]).reduce((a, b) => a + b, 0) : null,
      });
      for (const t of tables) {
        nsRows.push({
          kind: 'table',
          namespace: ns.name,
          database: db.name,
          table: t.name,
          label: t.name,
          count: t.count,
          ...(t.countError ? { countError: t.countError } : {}),
        });
      }
    }
    if (!nsRows.length && !matches(ns.name)) continue;
    rows.push({ kind: 'namespace', namespace: ns.name, label: ns.name }, ...nsRows);
  }
  return rows;
}

export function selectionOf(row: TreeRow | undefined): Selection | undefined {
  return row && row.kind !== 'namespace' ? { namespace: row.namespace, database: row.database } : undefined;
}

/** Where the cursor starts: the wanted database (flags or config), else the first database with tables, else the first. */
export function initialRow(rows: TreeRow[], wanted: Selection | undefined): number {
  const at = rows.findIndex((r) => r.kind === 'database' && r.namespace === wanted?.namespace && r.database === wanted?.database);
  if (at >= 0) return at;
  const withTables = rows.findIndex((r) => r.kind === 'database' && r.tables > 0);
  if (withTables >= 0) return withTables;
  return Math.max(0, rows.findIndex((r) => r.kind === 'database'));
}
