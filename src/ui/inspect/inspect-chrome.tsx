// The rows around the view: what is inspected (header), where in it (breadcrumb), the filter, and the keys.
import { Text } from 'ink';
import type { SourceStatus } from '../../core/inspect-types.js';
import { Line } from '../rows.js';
import { KeyLegend } from '../key-legend.js';
import { TONE } from '../tone.js';
import type { KeyHint } from '../keys.js';
import type { InspectState } from './inspect-model.js';
import { breadcrumb, currentFrame, dataKey, valueOf } from './inspect-select.js';

export function Header({ state }: { state: InspectState }) {
  const source = state.source;
  const status = valueOf<SourceStatus>(state, dataKey.status);
  return (
    <Line>
      <Text bold>pattern-db inspect</Text>
      {' · '}
      {source.writable ? <Text color={TONE.warn}>--write</Text> : <Text color={TONE.done}>read-only</Text>}
      {' · '}
      {source.kind === 'server' ? source.location : `${source.location} (snapshot)`}
      {source.damaged && <Text color={TONE.warn}> · damaged log</Text>}
      {status && (
        <Text dimColor>
          {' '}
          · {status.kind === 'server' ? `SurrealDB ${status.version}` : 'embedded'} · {status.healthy ? '' : 'NOT healthy · '}
          {status.latencyMs.toFixed(1)} ms
        </Text>
      )}
    </Line>
  );
}

export function Breadcrumb({ state }: { state: InspectState }) {
  return <Line dimColor>{breadcrumb(state)}</Line>;
}

export function StatusLine({ state }: { state: InspectState }) {
  const frame = currentFrame(state);
  if (state.filterEditing || frame.filter) {
    return (
      <Line>
        <Text color={TONE.accent}>/</Text>
        {frame.filter}
        {state.filterEditing ? <Text inverse> </Text> : <Text dimColor> (filter; esc clears)</Text>}
      </Line>
    );
  }
  if (state.source.damaged) return <Line color={TONE.warn}>{DAMAGED}</Line>;
  if (source(state)) return <Line dimColor>{source(state)}</Line>;
  return <Text> </Text>;
}

const DAMAGED = "The store's log is damaged: this shows what SurrealDB read of it, up to the damage (pattern-db doctor says what was dropped).";

function source(state: InspectState): string {
  if (state.source.snapshot) return 'A snapshot copy of the store: nothing done here reaches the folder Pattern uses.';
  return '';
}

export function Legend({ hints, width }: { hints: KeyHint[]; width: number }) {
  return <KeyLegend hints={hints} width={width} />;
}
