// The verification as one table: the definitions, then every table (those that differ first, each followed by what
// differs and an example id), with source, target and compared records and the result. The plain output prints these
// rows (verifyTableLines); the wizard's verify panel draws the same rows.
import type { DefinitionDifference, RecordDifference, TableComparison, VerifyReport } from '../core/verify-report.js';

export interface VerifyCountsRow {
  kind: 'definitions' | 'table';
  name: string;
  source?: number;
  target?: number;
  compared?: number;
  result: string;
  ok: boolean;
}

/** What differs, under the row it belongs to. */
export interface VerifyDetailRow {
  kind: 'detail';
  text: string;
}

export type VerifyRow = VerifyCountsRow | VerifyDetailRow;

const DIFFERENCES: RecordDifference[] = ['missing', 'extra', 'changed'];

export function tableDiffers(t: TableComparison): boolean {
  return t.missing > 0 || t.extra > 0 || t.changed > 0 || t.source !== t.target;
}

export function verifyRows(report: VerifyReport): VerifyRow[] {
  const differing = report.tables.filter(tableDiffers);
  return [
    ...definitionRows(report),
    ...differing.flatMap((t) => [tableRow(t), ...recordDetails(t)]),
    ...report.tables.filter((t) => !tableDiffers(t)).map(tableRow),
  ];
}

function definitionRows(report: VerifyReport): VerifyRow[] {
  const differences = report.definitions;
  const row: VerifyCountsRow = {
    kind: 'definitions',
    name: 'definitions',
    ...(report.definitionsCompared !== undefined ? { compared: report.definitionsCompared } : {}),
    result: differences.length === 0 ? 'identical' : `${differences.length} differ`,
    ok: differences.length === 0,
  };
  return [row, ...differences.map((d): VerifyDetailRow => ({ kind: 'detail', text: definitionDetail(d) }))];
}

function definitionDetail(d: DefinitionDifference): string {
  return `${d.problem} ${d.kind} ${d.name}${d.detail ? ` (${d.detail})` : ''}`;
}

function tableRow(t: TableComparison): VerifyCountsRow {
  const problems = DIFFERENCES.filter((kind) => t[kind] > 0).map((kind) => `${count(t[kind])} ${kind}`);
  // Counts that differ with no record named can only come from a journal that lacks the ids.
  const result = problems.length > 0 ? problems.join(', ') : tableDiffers(t) ? 'counts differ' : 'identical';
  return { kind: 'table', name: t.table, source: t.source, target: t.target, ...(t.compared !== undefined ? { compared: t.compared } : {}), result, ok: !tableDiffers(t) };
}

/** One line per kind of difference, with its first id; a report from before exampleOf names its examples together. */
function recordDetails(t: TableComparison): VerifyDetailRow[] {
  const again: VerifyDetailRow[] = t.recheckedByValue ? [{ kind: 'detail', text: '(the hashes differed; compared again by value)' }] : [];
  if (!t.exampleOf) return [...(t.examples.length ? [{ kind: 'detail' as const, text: `e.g. ${t.examples.join(', ')}` }] : []), ...again];
  const named = DIFFERENCES.filter((kind) => t.exampleOf?.[kind]).map((kind): VerifyDetailRow => ({ kind: 'detail', text: `${kind} ${t.exampleOf![kind]}${t[kind] > 1 ? ` and ${count(t[kind] - 1)} more` : ''}` }));
  return [...named, ...again];
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export const VERIFY_HEADINGS = { name: 'table', source: 'source', target: 'target', compared: 'compared', result: 'result' } as const;

export interface VerifyColumns {
  name: number;
  count: number;
}

/** Column widths that hold every row; `maxName` cuts long table names (the wizard's width). */
export function verifyColumns(rows: VerifyRow[], maxName = Infinity): VerifyColumns {
  const counted = rows.filter((r): r is VerifyCountsRow => r.kind !== 'detail');
  const name = Math.min(maxName, Math.max(VERIFY_HEADINGS.name.length, ...counted.map((r) => r.name.length)));
  const numbers = counted.flatMap((r) => [r.source, r.target, r.compared]).filter((n): n is number => n !== undefined);
  return { name, count: Math.max(VERIFY_HEADINGS.compared.length, ...numbers.map((n) => count(n).length)) };
}

export function cell(n: number | undefined, width: number): string {
  return (n === undefined ? '' : count(n)).padStart(width);
}

export function fitName(name: string, width: number): string {
  return name.length > width ? `${name.slice(0, width - 1)}…` : name.padEnd(width);
}

export function headingLine(columns: VerifyColumns): string {
  const h = VERIFY_HEADINGS;
  return `${h.name.padEnd(columns.name)}  ${h.source.padStart(columns.count)}  ${h.target.padStart(columns.count)}  ${h.compared.padStart(columns.count)}  ${h.result}`;
}

export function countsLine(row: VerifyCountsRow, columns: VerifyColumns): string {
  return `${fitName(row.name, columns.name)}  ${cell(row.source, columns.count)}  ${cell(row.target, columns.count)}  ${cell(row.compared, columns.count)}  ${row.result}`;
}

/** Detail rows sit under the table name, indented. */
export function detailLine(row: VerifyDetailRow): string {
  return `  ${row.text}`;
}

/** The table as plain lines, for the result of `migrate` and `verify`. */
export function verifyTableLines(report: VerifyReport): string[] {
  const rows = verifyRows(report);
  const columns = verifyColumns(rows);
  const by = report.method ? ` by ${report.method.records}` : '';
  const compared = report.readUpToDamage;
  const title = `Verification${by}: ${report.ok ? `the target holds exactly ${compared ?? 'what the store holds'}.` : `the target differs from ${compared ?? 'the store'}.`}`;
  return [title, `  ${headingLine(columns)}`, ...rows.map((row) => `  ${row.kind === 'detail' ? detailLine(row) : countsLine(row, columns)}`)];
}
