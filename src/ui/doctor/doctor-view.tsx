// The interactive doctor: checks grouped, a mark per check, details under the selected one, the keys that work now.
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { summaryLine } from '../../core/doctor-model.js';
import { KeyLegend } from '../key-legend.js';
import type { KeyHint } from '../keys.js';
import { TONE } from '../tone.js';
import { doctorLines, visibleWindow, type ScreenLine } from './doctor-lines.js';
import { completedResults, type DoctorState } from './doctor-state.js';

const MARK: Record<string, { mark: string; color?: string }> = {
  ok: { mark: '✔', color: TONE.done },
  warn: { mark: '!', color: TONE.warn },
  fail: { mark: '✘', color: TONE.error },
  skip: { mark: '–' },
  pending: { mark: '·' },
};

export function doctorKeys(state: DoctorState): KeyHint[] {
  const hints: KeyHint[] = [
    { keys: ['↑', '↓'], label: 'move' },
    { keys: ['enter'], label: 'details' },
  ];
  if (state.idle) {
    hints.push({ keys: ['r'], label: 're-run this check' });
    hints.push({ keys: ['a'], label: 're-run all' });
  }
  hints.push({ keys: ['?'], label: state.showHelp ? 'close help' : 'help' });
  hints.push({ keys: ['q'], label: 'quit' });
  return hints;
}

function Line({ line, width }: { line: ScreenLine; width: number }) {
  if (line.kind === 'heading') return <Text bold>{line.text}</Text>;
  if (line.kind !== 'check') {
    return (
      <Text wrap="truncate-end" {...(line.kind === 'fix' ? { color: TONE.accent } : line.kind === 'evidence' ? { dimColor: true } : {})}>
        {'      '}
        {line.text}
      </Text>
    );
  }
  const pointer = line.selected ? '›' : ' ';
  const text = line.text.slice(0, Math.max(10, width - 6));
  if (line.status === 'running') {
    return (
      <Box>
        <Text>{pointer} </Text>
        <Spinner label={text} />
      </Box>
    );
  }
  const mark = MARK[line.status ?? 'pending']!;
  return (
    <Text wrap="truncate-end" inverse={Boolean(line.selected)}>
      {pointer} <Text {...(mark.color ? { color: mark.color } : {})}>{mark.mark}</Text> {text}
    </Text>
  );
}

const HELP = [
  'Each line is one check: ✔ passed, ! a warning, ✘ a failure, – skipped (an earlier check failed or does not apply).',
  'Warnings and failures open by themselves: the evidence (the request or command, and the answer) and the fix.',
  'r re-runs the selected check (and the checks it builds on: config before store, server before schema);',
  'a runs every check again. Exit code: 0 healthy, 5 warnings only, 1 a failure.',
];

export function DoctorView({ state, columns, rows }: { state: DoctorState; columns: number; rows: number }) {
  const width = Math.max(40, columns);
  const help = state.showHelp ? HELP.length + 1 : 0;
  // Title, the summary line and the key legend.
  const listRows = Math.max(4, rows - 1 - 3 - help);
  const { shown, above, below } = visibleWindow(doctorLines(state, width), state.cursor, listRows);
  const results = completedResults(state);
  const summary = state.idle && results.length ? summaryLine(results) : `checking… ${results.length} of ${state.checks.length}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>
        pattern-db doctor{above ? <Text dimColor>  ↑ {above} more</Text> : null}
      </Text>
      {shown.map((line) => (
        <Line key={line.key} line={line} width={width} />
      ))}
      {state.showHelp && (
        <Box flexDirection="column" marginTop={1}>
          {HELP.map((h) => (
            <Text key={h} wrap="wrap">
              {h}
            </Text>
          ))}
        </Box>
      )}
      <Text wrap="truncate-end">
        {below ? <Text dimColor>↓ {below} more · </Text> : null}
        {summary}
      </Text>
      <KeyLegend hints={doctorKeys(state)} width={width} />
    </Box>
  );
}
