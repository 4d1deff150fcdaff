// Source against target: counts per table, the content check, and one overall line. Differences first.
import { StatusMessage } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { TableComparison, VerifyReport } from '../core/verify-report.js';
import { formatCount } from './format.js';
import { Line, Rows } from './rows.js';
import { TONE } from './tone.js';

const COUNT = 10;
const CHECK = 32;

export function VerifyPanel({ report, rows, width }: { report: VerifyReport; rows: number; width: number }) {
  const differing = report.tables.filter(differs);
  const ordered = [...differing, ...report.tables.filter((t) => !differs(t))];
  const nameWidth = Math.max(8, Math.min(Math.max(5, ...report.tables.map((t) => t.table.length)), width - 2 * COUNT - CHECK - 2));
  const by = report.method ? ` (by ${report.method.records})` : '';
  const unproven = (report.secrets ?? []).filter((s) => s.outcome !== 'proven').length;
  const summary = report.ok
    ? `All ${formatCount(report.records)} records in ${report.tables.length} tables match${by}.${unproven ? ` ${unproven} secrets the server hides were not compared.` : ''}`
    : [
        differing.length > 0 ? `${differing.length} of ${report.tables.length} tables differ` : undefined,
        report.definitions.length > 0 ? `${report.definitions.length} definitions differ` : undefined,
      ]
        .filter(Boolean)
        .join('; ') + '.';
  return (
    <Box flexDirection="column">
      <StatusMessage variant={report.ok ? 'success' : 'error'}>{summary}</StatusMessage>
      <Line bold>{`${'table'.padEnd(nameWidth)} ${'source'.padStart(COUNT)} ${'target'.padStart(COUNT)}  content`}</Line>
      <Rows
        rows={ordered.map((t) => <TableRow key={t.table} table={t} nameWidth={nameWidth} />)}
        max={rows - 2}
        more={(n) => `+${n} more tables${differing.length <= rows - 3 ? ', all matching' : ''}`}
      />
    </Box>
  );
}

function differs(t: TableComparison): boolean {
  return t.missing > 0 || t.extra > 0 || t.changed > 0 || t.source !== t.target;
}

function TableRow({ table: t, nameWidth }: { table: TableComparison; nameWidth: number }) {
  const name = t.table.length > nameWidth ? `${t.table.slice(0, nameWidth - 1)}…` : t.table.padEnd(nameWidth);
  const problems = [
    t.missing ? `${formatCount(t.missing)} missing` : '',
    t.extra ? `${formatCount(t.extra)} extra` : '',
    t.changed ? `${formatCount(t.changed)} changed` : '',
  ].filter(Boolean);
  return (
    <Line>
      {name} {formatCount(t.source).padStart(COUNT)}{' '}
      <Text {...(t.source !== t.target ? { color: TONE.error } : {})}>{formatCount(t.target).padStart(COUNT)}</Text>{'  '}
      {problems.length === 0 ? <Text color={TONE.done}>✔</Text> : <Text color={TONE.error}>{problems.join(', ')}</Text>}
    </Line>
  );
}
