// The keys that work now, and nothing else (availableKeys decides), on one row: the least important give way.
import { Text } from 'ink';
import type { KeyHint } from './keys.js';
import { fitHints, LEGEND_SEPARATOR } from './legend-fit.js';

export function KeyLegend({ hints, width }: { hints: KeyHint[]; width: number }) {
  return (
    <Text wrap="truncate-end">
      {fitHints(hints, width).map((hint, i) => (
        <Text key={hint.keys.join('/')}>
          {i > 0 && <Text dimColor>{LEGEND_SEPARATOR}</Text>}
          <Text bold>{hint.keys.join('/')}</Text> {hint.label}
        </Text>
      ))}
    </Text>
  );
}
