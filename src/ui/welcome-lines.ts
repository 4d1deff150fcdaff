// The welcome screen as rows for the scroll view: what was found, the route's warning, what will and will not change.
import type { MigrationPreview } from '../core/migration-preview.js';
import { formatAmount, formatCount, packItems } from './format.js';
import type { ToneLine } from './tone-line.js';

const LABEL = 9;

export function welcomeLines(facts: MigrationPreview, width: number, tableLines: number): ToneLine[] {
  const total = facts.tables.reduce((n, t) => n + t.records, 0);
  const byRecords = [...facts.tables].sort((a, b) => b.records - a.records).map((t) => `${t.table} ${formatCount(t.records)}`);
  const store = facts.storePath
    ? `${facts.storePath} (${[facts.storeFormat, facts.storeBytes !== undefined ? formatAmount(facts.storeBytes, 'bytes') : undefined].filter(Boolean).join(', ')})`
    : 'not found';
  const fact = (label: string, value: string): ToneLine => ({ text: `${label.padEnd(LABEL)}${value}`, indent: LABEL });
  const lines: ToneLine[] = [
    fact('Config', facts.configPath ?? 'not found'),
    fact('Store', store),
    fact('Records', `${formatCount(total)} in ${facts.tables.length} tables`),
    ...packItems(byRecords, width - LABEL, tableLines).map((line): ToneLine => ({ text: `${''.padEnd(LABEL)}${line}`, tone: 'dim', indent: LABEL })),
    fact('surreal', facts.surreal ?? 'not found'),
    fact('Engine', facts.engine),
    fact('Export', facts.exportFile),
  ];
  // The route is already decided (by the store or by flags): its warning belongs here, where it is still a choice.
  if (facts.routeWarning) lines.push({ text: `! ${facts.routeWarning.message}`, tone: 'warn', indent: 2 });
  lines.push({ text: '' }, ...bullets('Will change', 'warn', facts.willChange), ...bullets('Will not be touched', 'added', facts.untouched));
  return lines;
}

function bullets(title: string, tone: ToneLine['tone'], items: string[]): ToneLine[] {
  if (items.length === 0) return [];
  return [{ text: title, ...(tone ? { tone } : {}) }, ...items.map((item): ToneLine => ({ text: `  • ${item}`, indent: 4 }))];
}
