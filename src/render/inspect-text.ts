// The inspector's report as plain text for pipes and CI: the tree with counts, each table's indexes by kind.
import { INDEX_KIND_LABEL } from '../core/info-definitions.js';
import type { InspectReport, QueryStatementReport } from '../core/inspect-types.js';

const count = (n: number | null) => (n === null ? '?' : n.toLocaleString('en-US'));

export function inspectText(report: InspectReport): string {
  const { source, facts } = report;
  const lines: string[] = [
    source.kind === 'server'
      ? `Server ${source.location} (SurrealDB ${facts.version}, ${facts.healthy ? 'healthy' : 'NOT healthy'}, ${facts.latencyMs.toFixed(1)} ms)`
      : `Embedded store ${source.location} (read from a snapshot copy; ${facts.version})`,
    ...(source.damaged ? [`warning: ${source.damaged}`] : []),
  ];
  for (const ns of report.namespaces) {
    lines.push(`${ns.name}`);
    if (!ns.databases.length) lines.push('  (no databases)');
    for (const db of ns.databases) {
      const total = db.tables.every((t) => t.count !== null) ? db.tables.reduce((a, t) => a + (t.count ?? 0), 0) : null;
      lines.push(`  ${db.name}: ${db.tables.length} tables, ${count(total)} records`);
      const width = Math.max(8, ...db.tables.map((t) => t.name.length));
      for (const table of db.tables) {
        const indexes = table.definition.indexes.map((i) => `${i.name} (${INDEX_KIND_LABEL[i.kind]})`).join(', ');
        const counted = table.countError ? `? (${table.countError})` : count(table.count);
        lines.push(`    ${table.name.padEnd(width)}  ${counted.padStart(9)}${indexes ? `  indexes: ${indexes}` : ''}`);
      }
      const defs = Object.entries(db.definitions)
        .filter(([, items]) => items.length)
        .map(([kind, items]) => `${kind}: ${items.map((i) => i.name).join(', ')}`);
      if (defs.length) lines.push(`    (${defs.join('; ')})`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The statements' results for a pipe: a header line each, then the value as indented JSON. */
export function queryText(statements: QueryStatementReport[]): string {
  return statements
    .map((s, i) => {
      const head = `-- ${i + 1}: ${s.status}${s.time ? ` (${s.time})` : ''}${s.text ? ` ${s.text.replace(/\s+/g, ' ')}` : ''}`;
      return `${head}\n${s.status === 'OK' ? JSON.stringify(s.result, null, 2) : s.error}\n`;
    })
    .join('');
}
