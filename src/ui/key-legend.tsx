// The keys that work now, and nothing else (availableKeys decides).
import { Text } from 'ink';
import type { KeyHint } from './keys.js';

/** One line, cut at the edge; with `rows` above 1 it may wrap onto them. */
export function KeyLegend({ hints, rows = 1 }: { hints: KeyHint[]; rows?: number }) {
  return (
    <Text wrap={rows > 1 ? 'wrap' : 'truncate-end'}>
      {hints.map((hint, i) => (
        <Text key={hint.keys.join('/')}>
          {i > 0 && <Text dimColor> · </Text>}
          <Text bold>{hint.keys.join('/')}</Text> {hint.label}
        </Text>
      ))}
    </Text>
  );
}
