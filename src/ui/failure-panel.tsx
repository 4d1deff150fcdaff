// Why the run stopped: the code and message, the fix, and the evidence on request (d).
import { Alert } from '@inkjs/ui';
import { Box } from 'ink';
import type { ReactElement } from 'react';
import type { ErrorView } from './contract.js';
import { splitLines, wrapChars, wrapWords } from './format.js';
import { Line, Rows } from './rows.js';

const FIX_ROWS = 5;

export function FailurePanel({ error, expanded, rows, width }: { error: ErrorView; expanded: boolean; rows: number; width: number }) {
  // Border, title, the gap under it, and the message wrapped inside the box.
  const alertRows = 4 + Math.ceil(error.message.length / Math.max(20, width - 8));
  const fix = wrapWords(error.fix, width - 5).slice(0, FIX_ROWS);
  const evidenceLines = splitLines(error.evidence).length;
  const lines: ReactElement[] = fix.map((line, i) => <Line key={`fix-${i}`}>{`${i === 0 ? 'Fix: ' : '     '}${line}`}</Line>);
  if (evidenceLines > 0 && !expanded) {
    lines.push(<Line key="hint" dimColor>{`Evidence: ${evidenceLines} ${evidenceLines === 1 ? 'line' : 'lines'} (d shows them)`}</Line>);
  }
  if (expanded) {
    lines.push(<Line key="evidence">Evidence:</Line>);
    wrapChars(error.evidence, width - 2).forEach((line, i) => lines.push(<Line key={`ev-${i}`} dimColor>{`  ${line}`}</Line>));
  }
  return (
    <Box flexDirection="column">
      <Alert variant="error" title={error.step ? `${error.code} (step ${error.step})` : error.code}>
        {error.message}
      </Alert>
      <Rows rows={lines} max={rows - alertRows} more={(n) => `+${n} more lines`} />
    </Box>
  );
}
