// The one pending question: @inkjs/ui for choices; our own y/n and TextInput for the rest (they count every key of a burst).
import { Select, StatusMessage } from '@inkjs/ui';
import { Box, Text, useInput } from 'ink';
import { confirmAnswer } from './keys.js';
import type { Answer, PromptSpec } from './contract.js';
import { splitLines } from './format.js';
import { MAX_DETAIL_ROWS, MAX_SELECT_ROWS, problemLines, questionLines } from './layout.js';
import { Line } from './rows.js';
import { TextInput } from './text-input.js';
import { TONE } from './tone.js';
import { choiceLabel } from './selectors.js';

export interface PromptPanelProps {
  spec: PromptSpec;
  showDetail: boolean;
  warning?: string;
  width: number;
  onAnswer(value: Answer): void;
  onDraft(value: string): void;
}

export function PromptPanel({ spec, showDetail, warning, width, onAnswer, onDraft }: PromptPanelProps) {
  const detail = showDetail ? splitLines(spec.detail).slice(0, MAX_DETAIL_ROWS) : [];
  const question = questionLines(spec, width);
  return (
    <Box flexDirection="column" marginTop={1} flexShrink={0}>
      {question.slice(0, -1).map((line, i) => (
        <Line key={`q-${i}`} bold>
          {line}
        </Line>
      ))}
      <Box>
        <Text bold wrap="truncate-end">
          {question.at(-1)}{' '}
        </Text>
        {spec.kind === 'confirm' && (
          <YesNo defaultYes={spec.defaultYes ?? false} onAnswer={onAnswer} />
        )}
      </Box>
      {detail.map((line, i) => (
        <Line key={i} dimColor>
          {line}
        </Line>
      ))}
      <Input spec={spec} onAnswer={onAnswer} onDraft={onDraft} />
      {(spec.kind === 'text' || spec.kind === 'password') &&
        problemLines(spec.problem, width).map((line, i) => (
          <Line key={`problem-${i}`} color={TONE.error}>
            {line}
          </Line>
        ))}
      {warning && <StatusMessage variant="warning">{warning}</StatusMessage>}
    </Box>
  );
}

/** y, n or Enter (the default), also when they come in one burst with other keys (@inkjs/ui's ConfirmInput drops those). */
function YesNo({ defaultYes, onAnswer }: { defaultYes: boolean; onAnswer(value: boolean): void }) {
  useInput((input, key) => {
    const answer = confirmAnswer(input, key, defaultYes);
    if (answer !== undefined) onAnswer(answer);
  });
  return <Text>{defaultYes ? 'Y/n' : 'y/N'}</Text>;
}

function Input({ spec, onAnswer, onDraft }: Pick<PromptPanelProps, 'spec' | 'onAnswer' | 'onDraft'>) {
  switch (spec.kind) {
    case 'confirm':
      return null;
    case 'secret':
      return (
        <Box marginY={1} marginLeft={4}>
          <Text bold color={TONE.accent}>
            {spec.secret}
          </Text>
        </Box>
      );
    case 'select':
      return (
        <Select
          visibleOptionCount={Math.min(MAX_SELECT_ROWS, spec.choices.length)}
          options={spec.choices.map((c) => ({ value: c.value, label: choiceLabel(c) }))}
          onChange={onAnswer}
        />
      );
    case 'text':
      return (
        <Box>
          <Text>› </Text>
          <TextInput
            // The default shows as the placeholder: Enter keeps it, typing replaces it (no editing around it).
            {...(spec.value !== undefined ? { initialValue: spec.value } : {})}
            placeholder={spec.placeholder ?? (spec.defaultValue !== undefined ? `${spec.defaultValue}  (Enter keeps it)` : '')}
            onChange={onDraft}
            onSubmit={(value) => onAnswer(value === '' && spec.defaultValue !== undefined ? spec.defaultValue : value)}
          />
        </Box>
      );
    case 'password':
      return (
        <Box flexDirection="column">
          <Box>
            <Text>› </Text>
            <TextInput
              mask
              onChange={onDraft}
              onSubmit={onAnswer}
            />
          </Box>
          {spec.generated && (
            <Line dimColor>{`tab takes a generated ${spec.generated.length}-character password instead of typing one`}</Line>
          )}
        </Box>
      );
  }
}

