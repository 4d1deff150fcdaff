// Export and import: a bar, done of total in its unit, the current table, rate and time left.
import { ProgressBar, Spinner, StatusMessage } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { StepState } from '../core/events.js';
import { formatAmount, formatDuration, formatRate, percent } from './format.js';
import type { ProgressView } from './progress-rate.js';
import { Line } from './rows.js';

export interface ProgressPanelProps {
  progress?: ProgressView;
  state?: StepState;
  /** What the step did, once it is done (from its result). */
  summary?: string;
  /** Shown while nothing has been counted yet. */
  waiting: string;
  width: number;
}

export function ProgressPanel({ progress, state, summary, waiting, width }: ProgressPanelProps) {
  if (state === 'done' && summary) return <StatusMessage variant="success">{summary}</StatusMessage>;
  if (state === 'skipped') return <StatusMessage variant="info">{summary ?? 'Done in an earlier run.'}</StatusMessage>;
  if (!progress) return <Spinner label={waiting} />;
  const { done, total, unit, label, rate, secondsLeft } = progress;
  const pace = [rate !== undefined ? formatRate(rate, unit) : undefined, secondsLeft !== undefined ? `${formatDuration(secondsLeft)} left` : undefined]
    .filter(Boolean)
    .join(' · ');
  return (
    <Box flexDirection="column">
      {total !== undefined ? (
        <Box>
          <Box width={Math.max(10, width - 6)}>
            <ProgressBar value={percent(done, total)} />
          </Box>
          <Text>{` ${String(percent(done, total)).padStart(3)}%`}</Text>
        </Box>
      ) : (
        <Spinner label={`${formatAmount(done, unit)} so far`} />
      )}
      {total !== undefined && <Line>{`${formatAmount(done, unit)} of ${formatAmount(total, unit)}`}</Line>}
      {label && <Line>{`table ${label}`}</Line>}
      {pace && <Line dimColor>{pace}</Line>}
    </Box>
  );
}
