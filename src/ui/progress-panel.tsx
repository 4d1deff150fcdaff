// Export and import: a bar, done of total in its unit, the part under way (the current table; the import's records,
// then each index it builds), rate and time left.
import { ProgressBar, Spinner, StatusMessage } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { ProgressPhase, StepState } from '../core/events.js';
import { formatAmount, formatCount, formatDuration, formatRate, percent } from './format.js';
import { timeLeft, type ProgressView, type TimeLeft } from './progress-rate.js';
import { Line } from './rows.js';
import { useNow } from './use-now.js';

export interface ProgressPanelProps {
  progress?: ProgressView;
  state?: StepState;
  /** What the step did, once it is done (from its result). */
  summary?: string;
  /** Shown while nothing has been counted yet. */
  waiting: string;
  width: number;
  /** For the time left counting down between events; tests pass a fake one. */
  clock?: () => number;
}

export function ProgressPanel({ progress, state, summary, waiting, width, clock = Date.now }: ProgressPanelProps) {
  const now = useNow(clock, progress !== undefined && state !== 'done' && state !== 'skipped');
  if (state === 'done' && summary) return <StatusMessage variant="success">{summary}</StatusMessage>;
  if (state === 'skipped') return <StatusMessage variant="info">{summary ?? 'Done in an earlier run.'}</StatusMessage>;
  if (!progress) return <Spinner label={waiting} />;
  const { done, total, unit, label, rate, phase, work } = progress;
  const left = timeLeft(progress, now);
  // A rate of records means nothing while an index builds.
  const pace = [rate !== undefined && phase?.kind !== 'index' ? formatRate(rate, unit) : undefined, left && timeLeftText(left)].filter(Boolean).join(' · ');
  const [barDone, barTotal] = work ? [work.done, work.total] : [done, total];
  return (
    <Box flexDirection="column">
      {barTotal !== undefined ? (
        <Box>
          <Box width={Math.max(10, width - 6)}>
            <ProgressBar value={percent(barDone, barTotal)} />
          </Box>
          <Text>{` ${String(percent(barDone, barTotal)).padStart(3)}%`}</Text>
        </Box>
      ) : (
        <Spinner label={`${formatAmount(done, unit)} so far`} />
      )}
      {total !== undefined && <Line>{`${formatAmount(done, unit)} of ${formatAmount(total, unit)}`}</Line>}
      {phase ? <Line>{phaseText(phase, label)}</Line> : label && <Line>{`table ${label}`}</Line>}
      {pace && <Line dimColor>{pace}</Line>}
    </Box>
  );
}

function phaseText(phase: ProgressPhase, label: string | undefined): string {
  if (phase.kind === 'index') return `index ${phase.k} of ${phase.n}: ${phase.name} on ${phase.table} (${formatCount(phase.tableRecords)} records)`;
  const then = phase.indexes > 0 ? ` · then ${phase.indexes} ${phase.indexes === 1 ? 'index' : 'indexes'}` : '';
  return `records${label ? ` · table ${label}` : ''}${then}`;
}

function timeLeftText(left: TimeLeft): string {
  if (!left.atLeast) return `${formatDuration(left.seconds)} left`;
  // Never "0s left" while work remains.
  return left.seconds >= 1 ? `at least ${formatDuration(left.seconds)} left (longer than estimated)` : 'taking longer than estimated';
}
