// The verification's table (render/verify-table.ts): definitions, then the tables that differ with what differs,
// then the identical ones. What does not fit scrolls, and the last line says what is below: "N more tables
// identical" only when nothing below differs.
import { StatusMessage } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { VerifyReport } from '../core/verify-report.js';
import { countsLine, detailLine, headingLine, tableDiffers, verifyColumns, verifyRows, type VerifyRow } from '../render/verify-table.js';
import { formatCount } from './format.js';
import { Line } from './rows.js';
import { TONE } from './tone.js';
import { verifyWindow } from './verify-window.js';

/** Counts and the start of the result keep this many columns; a longer table name ends in "…". */
const MIN_RESULT = 14;

export function VerifyPanel({ report, rows, width, offset = 0 }: { report: VerifyReport; rows: number; width: number; offset?: number }) {
  const all = verifyRows(report);
  const fixed = verifyColumns(all, 0);
  const columns = verifyColumns(all, Math.max(8, width - 3 * (fixed.count + 2) - 2 - MIN_RESULT));
  const view = verifyWindow(all.length, rows, offset);
  return (
    <Box flexDirection="column">
      <StatusMessage variant={report.ok ? 'success' : 'error'}>{summaryOf(report)}</StatusMessage>
      <Line bold>{headingLine(columns)}</Line>
      {all.slice(view.start, view.end).map((row, i) => (
        <Line key={view.start + i} {...(row.kind === 'detail' ? { color: TONE.error } : {})}>
          {row.kind === 'detail' ? detailLine(row) : <CountsRow line={countsLine(row, columns)} ok={row.ok} result={row.result} />}
        </Line>
      ))}
      {view.footer && <Line dimColor>{footerOf(all, view.start, view.end)}</Line>}
    </Box>
  );
}

function CountsRow({ line, ok, result }: { line: string; ok: boolean; result: string }) {
  return (
    <>
      {line.slice(0, line.length - result.length)}
      <Text color={ok ? TONE.done : TONE.error}>{ok ? `✔ ${result}` : `✘ ${result}`}</Text>
    </>
  );
}

function summaryOf(report: VerifyReport): string {
  const by = report.method ? ` (by ${report.method.records})` : '';
  if (report.ok) {
    const unproven = (report.secrets ?? []).filter((s) => s.outcome !== 'proven').length;
    return `All ${formatCount(report.records)} records in ${report.tables.length} tables match${by}.${unproven ? ` ${unproven} secrets the server hides were not compared.` : ''}`;
  }
  const differing = report.tables.filter(tableDiffers).length;
  return [differing > 0 ? `${differing} of ${report.tables.length} tables differ` : undefined, report.definitions.length > 0 ? `${report.definitions.length} definitions differ` : undefined]
    .filter(Boolean)
    .join('; ')
    .concat('.');
}

/** What the rows off screen hold: a difference is always counted, never folded into "identical". */
function footerOf(rows: VerifyRow[], start: number, end: number): string {
  const below = rows.slice(end);
  const above = start > 0 ? `↑ ${start} above · ` : '';
  if (below.length === 0) return `${above}end of the table`;
  const differing = below.filter((r) => r.kind !== 'detail' && !r.ok).length;
  if (differing === 0 && below.every((r) => r.kind === 'table')) return `${above}${below.length} more tables identical`;
  return `${above}↓ ${below.length} more rows${differing ? `, ${differing} of them differ` : ''}`;
}
