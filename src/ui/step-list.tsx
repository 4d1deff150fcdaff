// The step row under the title: every step of the run, in order, each with its mark (or a spinner) and a short name.
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { STEP_MARK, type StepViewState } from './tone.js';
import type { StepView } from './wizard-state.js';

const GAP = 2;

/** Short names, so that six steps fit 80 columns with room to spare. */
const SHORT_NAME: Record<string, string> = { preflight: 'checks' };

export interface StepItemView {
  name: string;
  state: StepViewState;
  /** What follows the mark; empty when the row had to shrink the step to its mark. */
  label: string;
}

function labelOf(step: StepView): string {
  const name = SHORT_NAME[step.name] ?? step.name;
  return step.state === 'declined' ? `${name} declined` : name;
}

const width = (items: StepItemView[]) => items.reduce((sum, item) => sum + 1 + (item.label ? 1 + item.label.length : 0), 0) + GAP * Math.max(0, items.length - 1);

/** The row at `columns`: when it does not fit, finished steps shrink to their mark first, then waiting ones; the running step keeps its name. */
export function fitStepRow(steps: StepView[], columns: number): StepItemView[] {
  const items = steps.map((step) => ({ name: step.name, state: step.state, label: labelOf(step) }));
  for (const shrinking of [['done', 'skipped'], ['waiting'], ['declined', 'failed']]) {
    for (const item of items) {
      if (width(items) <= columns) return items;
      if (shrinking.includes(item.state)) item.label = '';
    }
  }
  return items;
}

export function StepList({ steps, width: columns }: { steps: StepView[]; width: number }) {
  // An empty row keeps the panels where they will be once the plan arrives.
  if (steps.length === 0) return <Text> </Text>;
  return (
    <Box height={1} overflow="hidden" columnGap={GAP}>
      {fitStepRow(steps, columns).map((item) => (
        <Box key={item.name} flexShrink={0}>
          <StepItem item={item} />
        </Box>
      ))}
    </Box>
  );
}

function StepItem({ item }: { item: StepItemView }) {
  if (item.state === 'running') return <Spinner label={item.label} />;
  const { mark, color, dim } = STEP_MARK[item.state];
  return (
    <Text dimColor={Boolean(dim)}>
      <Text {...(color ? { color } : {})}>{mark}</Text>
      {item.label && ` ${item.label}`}
    </Text>
  );
}
