// What a view shows before its data is there: reading…, or the failure with its fix.
import { Text } from 'ink';
import type { Loadable } from './inspect-model.js';
import { TONE } from '../tone.js';

export function LoadState({ entry, what }: { entry: Loadable<unknown> | undefined; what: string }) {
  if (entry?.status === 'failed') {
    return (
      <>
        <Text color={TONE.error}>
          Could not read {what}: {entry.error.message}
        </Text>
        {entry.error.fix && <Text dimColor>{entry.error.fix}</Text>}
      </>
    );
  }
  return <Text dimColor>Reading {what}…</Text>;
}
