// The keys that work now, and nothing else (availableKeys decides).
import { Text } from 'ink';
import type { KeyHint } from './keys.js';

export function KeyLegend({ hints }: { hints: KeyHint[] }) {
  return (
    <Text wrap="truncate-end">
      {hints.map((hint, i) => (
        <Text key={hint.keys.join('/')}>
          {i > 0 && <Text dimColor> · </Text>}
          <Text bold>{hint.keys.join('/')}</Text> {hint.label}
        </Text>
      ))}
    </Text>
  );
}
