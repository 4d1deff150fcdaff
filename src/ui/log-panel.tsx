// The last lines a step's child process wrote, in a box (toggled with l).
import { Box } from 'ink';
import { Line } from './rows.js';
import { TONE } from './tone.js';
import type { LogLine } from './wizard-state.js';

/** `rows` includes the two border rows. */
export function LogPanel({ step, lines, rows }: { step?: string; lines: LogLine[]; rows: number }) {
  const tail = lines.slice(-Math.max(0, rows - 3));
  return (
    <Box flexDirection="column" borderStyle="round" borderDimColor height={rows} flexShrink={0} overflow="hidden">
      <Line dimColor>{step ? `output of ${step}${lines.length > tail.length ? ` (last ${tail.length} of ${lines.length} lines)` : ''}` : 'output'}</Line>
      {tail.length === 0 && <Line dimColor>No output yet.</Line>}
      {tail.map((log, i) => (
        <Line key={i} {...(log.stream === 'stderr' ? { color: TONE.warn } : {})}>
          {log.line}
        </Line>
      ))}
    </Box>
  );
}
