// The live checklist: one line per check (mark, message, dimmed evidence), the fix under each problem.
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { DiagnosticEvent } from '../core/events.js';
import { splitLines } from './format.js';
import { Line, Rows } from './rows.js';
import { LEVEL_MARK } from './tone.js';

const FIX_LINES = 2;

export function PrerequisitesPanel({ checks, running, rows }: { checks: DiagnosticEvent[]; running: boolean; rows: number }) {
  const room = rows - (running ? 1 : 0);
  const problemRows = checks.filter((c) => c.level !== 'info').reduce((n, c) => n + 1 + fixLines(c).length, 0);
  const passed = checks.filter((c) => c.level === 'info').length;
  // When everything does not fit, problems keep their fixes and the earliest passed checks fold into one line.
  const passedRoom = problemRows + passed <= room ? passed : Math.max(0, room - problemRows - 1);
  const folded = passed - passedRoom;
  const lines: ReactElement[] = [];
  let passedSeen = 0;
  checks.forEach((check, i) => {
    if (check.level === 'info' && ++passedSeen <= folded) return;
    lines.push(<CheckLine key={i} check={check} />);
    fixLines(check).forEach((fix, j) => lines.push(<Line key={`${i}-fix-${j}`}>{`    ${j === 0 ? '→' : ' '} ${fix}`}</Line>));
  });
  return (
    <Box flexDirection="column">
      {folded > 0 && <Line dimColor>{`✔ ${folded} more ${folded === 1 ? 'check' : 'checks'} passed`}</Line>}
      <Rows rows={lines} max={room - (folded > 0 ? 1 : 0)} />
      {running && <Spinner label="Checking…" />}
    </Box>
  );
}

function fixLines(check: DiagnosticEvent): string[] {
  return check.level === 'info' ? [] : splitLines(check.fix).slice(0, FIX_LINES);
}

function CheckLine({ check }: { check: DiagnosticEvent }) {
  const { mark, color } = LEVEL_MARK[check.level];
  return (
    <Line>
      <Text color={color}>{mark}</Text> {splitLines(check.message)[0]}
      {check.evidence && <Text dimColor>{`  ${splitLines(check.evidence).join(' ')}`}</Text>}
    </Line>
  );
}
