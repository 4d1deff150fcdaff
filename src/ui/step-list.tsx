// Every step the controller reported, in its order: a mark (or a spinner) and the name, on one row.
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { STEP_MARK } from './tone.js';
import type { StepView } from './wizard-state.js';

export function StepList({ steps }: { steps: StepView[] }) {
  // An empty row keeps the panels where they will be once steps start.
  if (steps.length === 0) return <Text> </Text>;
  return (
    <Box height={1} overflow="hidden" columnGap={2}>
      {steps.map((step) => (
        <Box key={step.name} flexShrink={0}>
          <StepItem step={step} />
        </Box>
      ))}
    </Box>
  );
}

function StepItem({ step }: { step: StepView }) {
  if (step.state === 'running') return <Spinner label={step.name} />;
  const { mark, color } = STEP_MARK[step.state];
  return (
    <Text dimColor={step.state === 'skipped'}>
      <Text color={color}>{mark}</Text> {step.name}
    </Text>
  );
}
