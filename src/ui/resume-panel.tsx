// An earlier run stopped part-way: what it finished, and what continuing means. The question is the prompt below.
import { Box, Text } from 'ink';
import { Line } from './rows.js';
import { STEP_MARK } from './tone.js';
import type { StepView } from './wizard-state.js';

export function ResumePanel({ steps }: { steps: StepView[] }) {
  const finished = steps.filter((s) => s.state === 'done' || s.state === 'skipped');
  return (
    <Box flexDirection="column">
      <Line>An earlier run of pattern-db did not finish. Its journal says what was done.</Line>
      {finished.length > 0 && (
        <Line>
          Finished: <Text color={STEP_MARK.done.color}>{finished.map((s) => s.name).join(', ')}</Text>
        </Line>
      )}
      <Line dimColor>Continuing skips the finished steps; starting over runs them all again.</Line>
    </Box>
  );
}
