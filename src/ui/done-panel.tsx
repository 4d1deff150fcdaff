// The end: what changed and where things are, the commands to run next, advice for production.
import { StatusMessage } from '@inkjs/ui';
import { Box } from 'ink';
import type { ReactElement } from 'react';
import type { DoneSummary } from '../core/done-summary.js';
import { Line, Rows } from './rows.js';
import { TONE } from './tone.js';

export function DonePanel({ summary, exitCode, rows }: { summary: DoneSummary; exitCode: number; rows: number }) {
  const labelWidth = Math.min(14, Math.max(0, ...summary.lines.map((l) => l.label.length)) + 1);
  const lines: ReactElement[] = summary.lines.map((l, i) => <Line key={`s-${i}`}>{`${l.label.padEnd(labelWidth)} ${l.value}`}</Line>);
  if (summary.nextCommands.length > 0) {
    lines.push(<Line key="next" bold>Next</Line>);
    summary.nextCommands.forEach((command, i) =>
      lines.push(
        command.startsWith('#') ? (
          <Line key={`n-${i}`} color={TONE.warn}>{`    ${command}`}</Line>
        ) : (
          <Line key={`n-${i}`} color={TONE.accent}>{`  $ ${command}`}</Line>
        ),
      ),
    );
  }
  if (summary.production.length > 0) {
    lines.push(<Line key="prod" bold>For production</Line>);
    summary.production.forEach((advice, i) => lines.push(<Line key={`p-${i}`}>{`  • ${advice}`}</Line>));
  }
  return (
    <Box flexDirection="column">
      <StatusMessage variant={exitCode === 0 ? 'success' : 'warning'}>
        {exitCode === 0 ? 'Pattern now uses the SurrealDB server.' : `Finished with problems (exit code ${exitCode}).`}
      </StatusMessage>
      <Rows rows={lines} max={rows - 1} />
    </Box>
  );
}
