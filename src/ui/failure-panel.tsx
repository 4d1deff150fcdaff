// Why the run stopped: the code and message, the fix, the evidence on request (d), and the doctor's diagnosis.
import { Alert } from '@inkjs/ui';
import { Box } from 'ink';
import type { ReactElement } from 'react';
import type { CheckResult } from '../core/doctor-model.js';
import type { ErrorView } from './contract.js';
import { splitLines, wrapLed, wrapVerbatim, wrapWords } from './format.js';
import { Line, Rows } from './rows.js';

const FIX_ROWS = 5;

const DIAGNOSIS_MARK = { fail: '✘', warn: '!' } as const;

/** The Alert's border, padding, icon and the gap after it: the message has the rest of the width. */
const ALERT_CHROME_COLUMNS = 6;
/** Its top and bottom border, the title and the gap under it. */
const ALERT_CHROME_ROWS = 4;

/** What the doctor found besides the failure itself: its failed and warning checks, each with the fix, word-wrapped. */
function diagnosisLines(diagnosis: { results: CheckResult[]; running: boolean } | undefined, error: ErrorView, width: number): ReactElement[] {
  if (!diagnosis) return [];
  const problems = diagnosis.results.filter((r) => r.status === 'fail' || r.status === 'warn');
  const lines: ReactElement[] = [];
  const passed = diagnosis.results.filter((r) => r.status === 'ok').length;
  const checks = `${passed} check${passed === 1 ? '' : 's'} passed`;
  const state = diagnosis.running ? 'checking…' : problems.length ? `${problems.length} found, ${checks}` : `all ${checks}`;
  lines.push(<Line key="diag" bold>{`Diagnosis (pattern-db doctor): ${state}`}</Line>);
  for (const r of problems) {
    const same = r.code === error.code ? ' (the failure above)' : '';
    const color = r.status === 'fail' ? 'red' : 'yellow';
    wrapLed(`${DIAGNOSIS_MARK[r.status as 'fail' | 'warn']} `, `${r.title}: ${r.message} [${r.code}]${same}`, width).forEach((line, i) =>
      lines.push(<Line key={`d-${r.id}-${i}`} color={color}>{line}</Line>),
    );
    if (r.fix && !same) wrapLed('  → ', r.fix, width).forEach((line, i) => lines.push(<Line key={`f-${r.id}-${i}`} dimColor>{line}</Line>));
  }
  return lines;
}

export function FailurePanel({
  error,
  expanded,
  rows,
  width,
  diagnosis,
}: {
  error: ErrorView;
  expanded: boolean;
  rows: number;
  width: number;
  diagnosis?: { results: CheckResult[]; running: boolean };
}) {
  // Wrapped here, at word boundaries, so the box's height is known and nothing inside it is cut.
  const message = wrapWords(error.message, width - ALERT_CHROME_COLUMNS);
  const alertRows = ALERT_CHROME_ROWS + message.length;
  const fix = wrapLed('Fix: ', error.fix, width).slice(0, FIX_ROWS);
  const evidenceLines = splitLines(error.evidence).length;
  const lines: ReactElement[] = fix.map((line, i) => <Line key={`fix-${i}`}>{line}</Line>);
  lines.push(...diagnosisLines(diagnosis, error, width));
  if (evidenceLines > 0 && !expanded) {
    lines.push(<Line key="hint" dimColor>{`Evidence: ${evidenceLines} ${evidenceLines === 1 ? 'line' : 'lines'} (d shows them)`}</Line>);
  }
  if (expanded) {
    lines.push(<Line key="evidence">Evidence:</Line>);
    wrapVerbatim(error.evidence, width - 2).forEach((line, i) => lines.push(<Line key={`ev-${i}`} dimColor>{`  ${line}`}</Line>));
  }
  return (
    <Box flexDirection="column">
      <Box flexShrink={0}>
        <Alert variant="error" title={error.step ? `${error.code} (step ${error.step})` : error.code}>
          {message.join('\n')}
        </Alert>
      </Box>
      <Rows rows={lines} max={rows - alertRows} more={(n) => `+${n} more lines`} />
    </Box>
  );
}
