// Warnings and errors that are not on the current panel, each with its fix, within a row budget.
import { Box, Text } from 'ink';
import type { DiagnosticEvent } from '../core/events.js';
import { splitLines } from './format.js';
import { fitDiagnostics } from './layout.js';
import { Line } from './rows.js';
import { LEVEL_MARK } from './tone.js';

export function DiagnosticsArea({ diagnostics, rows }: { diagnostics: DiagnosticEvent[]; rows: number }) {
  const { shown, hidden } = fitDiagnostics(diagnostics, rows);
  if (shown.length === 0 && hidden === 0) return null;
  return (
    <Box flexDirection="column" flexShrink={0}>
      {shown.map((d, i) => (
        <Box key={i} flexDirection="column">
          <DiagnosticLine d={d} />
          {d.fix && <Line>{`  → ${splitLines(d.fix)[0]}`}</Line>}
        </Box>
      ))}
      {hidden > 0 && <Line dimColor>{`+${hidden} more`}</Line>}
    </Box>
  );
}

function DiagnosticLine({ d }: { d: DiagnosticEvent }) {
  const { mark, color } = LEVEL_MARK[d.level];
  return (
    <Line>
      <Text color={color}>
        {mark} {d.code}
      </Text>{' '}
      {splitLines(d.message)[0]}
    </Line>
  );
}
