// Why the run stopped: the code and message, the fix, the evidence on request (d), and the doctor's diagnosis.
import { Alert } from '@inkjs/ui';
import { Box } from 'ink';
import type { ReactElement } from 'react';
import type { CheckResult } from '../core/doctor-model.js';
import type { ErrorView } from './contract.js';
import { splitLines, wrapChars, wrapWords } from './format.js';
import { Line, Rows } from './rows.js';

const FIX_ROWS = 5;

const DIAGNOSIS_MARK = { fail: '✘', warn: '!' } as const;

/** What the doctor found besides the failure itself: its failed and warning checks, each with the fix. */
function diagnosisLines(diagnosis: { results: CheckResult[]; running: boolean } | undefined, error: ErrorView): ReactElement[] {
  if (!diagnosis) return [];
  const problems = diagnosis.results.filter((r) => r.status === 'fail' || r.status === 'warn');
  const lines: ReactElement[] = [];
  const passed = diagnosis.results.filter((r) => r.status === 'ok').length;
  const checks = `${passed} check${passed === 1 ? '' : 's'} passed`;
  const state = diagnosis.running ? 'checking…' : problems.length ? `${problems.length} found, ${checks}` : `all ${checks}`;
  lines.push(<Line key="diag" bold>{`Diagnosis (pattern-db doctor): ${state}`}</Line>);
  for (const r of problems) {
    const same = r.code === error.code ? ' (the failure above)' : '';
    lines.push(<Line key={`d-${r.id}`} color={r.status === 'fail' ? 'red' : 'yellow'}>{`${DIAGNOSIS_MARK[r.status as 'fail' | 'warn']} ${r.title}: ${r.message} [${r.code}]${same}`}</Line>);
    if (r.fix && !same) lines.push(<Line key={`f-${r.id}`} dimColor>{`  → ${r.fix}`}</Line>);
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
  // Border, title, the gap under it, and the message wrapped inside the box.
  const alertRows = 4 + Math.ceil(error.message.length / Math.max(20, width - 8));
  const fix = wrapWords(error.fix, width - 5).slice(0, FIX_ROWS);
  const evidenceLines = splitLines(error.evidence).length;
  const lines: ReactElement[] = fix.map((line, i) => <Line key={`fix-${i}`}>{`${i === 0 ? 'Fix: ' : '     '}${line}`}</Line>);
  lines.push(...diagnosisLines(diagnosis, error));
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
