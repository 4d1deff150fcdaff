// What was found and what will happen, before anything runs.
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { MigrationPreview } from '../core/migration-preview.js';
import { fitList, formatAmount, formatCount, packItems } from './format.js';
import { Line } from './rows.js';
import { TONE } from './tone.js';

const LABEL = 9;

export function WelcomePanel({ facts, rows, width }: { facts?: MigrationPreview; rows: number; width: number }) {
  if (!facts) return <Text dimColor>Looking at the config and the store…</Text>;
  const total = facts.tables.reduce((n, t) => n + t.records, 0);
  const byRecords = [...facts.tables].sort((a, b) => b.records - a.records).map((t) => `${t.table} ${formatCount(t.records)}`);
  const store = facts.storePath
    ? `${facts.storePath} (${[facts.storeFormat, facts.storeBytes !== undefined ? formatAmount(facts.storeBytes, 'bytes') : undefined].filter(Boolean).join(', ')})`
    : 'not found';
  const factRows: ReactElement[] = [
    <Fact key="config" label="Config" value={facts.configPath ?? 'not found'} />,
    <Fact key="store" label="Store" value={store} />,
    <Fact key="records" label="Records" value={`${formatCount(total)} in ${facts.tables.length} tables`} />,
  ];
  const tableLines = packItems(byRecords, width - LABEL, rows >= 30 ? 3 : rows >= 16 ? 2 : 1);
  tableLines.forEach((line, i) => factRows.push(<Fact key={`tables-${i}`} label="" value={line} dim />));
  factRows.push(
    <Fact key="surreal" label="surreal" value={facts.surreal ?? 'not found'} />,
    <Fact key="engine" label="Engine" value={facts.engine} />,
    <Fact key="export" label="Export" value={facts.exportFile} />,
  );
  // The route is already decided (by the store or by flags): its warning belongs here, where it is still a choice.
  const warning = facts.routeWarning ? `! ${facts.routeWarning.message}` : '';
  if (warning) {
    factRows.push(
      <Text key="route" color={TONE.warn} wrap="wrap">
        {warning}
      </Text>,
    );
  }
  // Two titled lists share what is left below the facts (the warning may wrap) and a blank line.
  const listRows = Math.max(0, rows - factRows.length - (warning ? Math.ceil(warning.length / width) - 1 : 0) - 1);
  const changeRows = Math.max(0, Math.ceil(listRows / 2));
  return (
    <Box flexDirection="column">
      {factRows}
      <Box marginTop={1} flexDirection="column">
        <Bullets title="Will change" color={TONE.warn} items={facts.willChange} rows={changeRows} />
        <Bullets title="Will not be touched" color={TONE.done} items={facts.untouched} rows={listRows - changeRows} />
      </Box>
    </Box>
  );
}

function Fact({ label, value, dim }: { label: string; value: string; dim?: boolean }) {
  return (
    <Line>
      <Text bold>{label.padEnd(LABEL)}</Text>
      <Text dimColor={dim}>{value}</Text>
    </Line>
  );
}

function Bullets({ title, color, items, rows }: { title: string; color: string; items: string[]; rows: number }) {
  if (rows < 2 || items.length === 0) return null;
  const { shown, hidden } = fitList(items, rows - 1);
  return (
    <Box flexDirection="column">
      <Line color={color}>{title}</Line>
      {shown.map((item, i) => (
        <Line key={i}>{`  • ${item}`}</Line>
      ))}
      {hidden > 0 && <Line dimColor>{`  +${hidden} more`}</Line>}
    </Box>
  );
}
