// Warnings and errors that are not on the current panel, each with its fix, word-wrapped within a row budget.
import { Box, Text } from 'ink';
import type { DiagnosticEvent } from '../core/events.js';
import { diagnosticLines, fitDiagnostics } from './layout.js';
import { Line } from './rows.js';
import { LEVEL_MARK } from './tone.js';

export function DiagnosticsArea({ diagnostics, rows, width }: { diagnostics: DiagnosticEvent[]; rows: number; width: number }) {
  const { shown, hidden } = fitDiagnostics(diagnostics, rows, width);
  if (shown.length === 0 && hidden === 0) return null;
  return (
    <Box flexDirection="column" flexShrink={0}>
      {shown.map((d, i) => (
        <Diagnostic key={i} d={d} width={width} />
      ))}
      {hidden > 0 && <Line dimColor>{`+${hidden} more`}</Line>}
    </Box>
  );
}

function Diagnostic({ d, width }: { d: DiagnosticEvent; width: number }) {
  const { mark, color } = LEVEL_MARK[d.level];
  const { message, fix } = diagnosticLines(d, width);
  const [first = '', ...rest] = message;
  return (
    <Box flexDirection="column">
      {/* The first line starts with the code, which the wrap never splits (it has no spaces). */}
      <Line>
        <Text color={color}>
          {mark} {first.slice(0, d.code.length)}
        </Text>
        {first.slice(d.code.length)}
      </Line>
      {[...rest.map((line) => `  ${line}`), ...fix].map((line, i) => (
        <Line key={i}>{line}</Line>
      ))}
    </Box>
  );
}
