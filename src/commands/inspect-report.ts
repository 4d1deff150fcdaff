// Everything the inspector can show without a person: the tree with counts, every table's definition and each
// database's definitions, read through the same source as the interactive browser (for --json and plain output).
import type { DatabaseReport, InspectReport, InspectSource, TableReport } from '../core/inspect-types.js';

export async function buildInspectReport(source: InspectSource): Promise<InspectReport> {
  const { selection: _selection, ...description } = source.description;
  const facts = await source.status();
  const tree = await source.tree();
  const namespaces: InspectReport['namespaces'] = [];
  for (const ns of tree.namespaces) {
    const databases: DatabaseReport[] = [];
    for (const db of ns.databases) {
      const selection = { namespace: ns.name, database: db.name };
      const tables: TableReport[] = [];
      for (const table of db.tables) {
        tables.push({
          name: table.name,
          count: table.count,
          ...(table.countError ? { countError: table.countError } : {}),
          definition: await source.tableDefinition(selection, table.name),
        });
      }
      databases.push({ name: db.name, tables, definitions: await source.databaseDefinitions(selection) });
    }
    namespaces.push({ name: ns.name, databases });
  }
  return { source: description, facts, namespaces };
}
