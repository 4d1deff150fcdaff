// What every key does, and what the wizard will not do (toggled with ?).
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { Line, Rows } from './rows.js';
import { STEP_LEGEND, STEP_MARK } from './tone.js';

const KEYS: Array<[string, string]> = [
  ['↑/↓ enter', 'move in a list and choose'],
  ['↑/↓ pgup/pgdn', 'scroll a long diff or the last screen (home/end: top/end)'],
  ['y/n', 'answer a yes/no question (enter takes the default)'],
  ['y', 'approves a config diff once all of it has been on screen'],
  ['v', 'after verification: its table (↑/↓ pgup/pgdn scroll)'],
  ['tab', 'take the generated password, shown once; enter once stored'],
  ['l', 'show or hide the output of the current step'],
  ['?', 'show or hide this help'],
  ['q ctrl-c', 'cancel: stop the running step; a later run continues from it'],
  ['r', 'after a failure: run again from the step that failed'],
  ['d', 'after a failure: show the evidence'],
];

const PROMISES = [
  'The store is copied before it is read; it is never written.',
  'The export file stays as a backup; nothing is deleted.',
  'Letters go to the input while you type a name or a password.',
];

const KEY_COLUMN = Math.max(...KEYS.map(([keys]) => keys.length));

export function HelpPanel({ rows }: { rows: number }) {
  const lines: ReactElement[] = [
    <Line key="title" bold>
      Keys
    </Line>,
    ...KEYS.map(([keys, what]) => <Line key={keys}>{`  ${keys.padEnd(KEY_COLUMN)} ${what}`}</Line>),
    <Line key="steps">
      {`  ${'steps'.padEnd(KEY_COLUMN)} `}
      {STEP_LEGEND.map(([state, name], i) => (
        <Text key={state}>
          {i > 0 && '  '}
          {state === 'running' ? '⠋' : <Text {...(STEP_MARK[state].color ? { color: STEP_MARK[state].color } : {})}>{STEP_MARK[state].mark}</Text>} {name}
        </Text>
      ))}
    </Line>,
    ...PROMISES.map((text) => (
      <Line key={text} dimColor>
        {text}
      </Line>
    )),
  ];
  return (
    <Box flexDirection="column">
      <Rows rows={lines} max={rows} />
    </Box>
  );
}
