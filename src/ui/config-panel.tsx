// The pattern.toml change as a coloured unified diff, then where the original was kept.
import { StatusMessage } from '@inkjs/ui';
import { Box } from 'ink';
import type { ConfigResult } from '../steps/run-state.js';
import { splitLines } from './format.js';
import { Line, Rows } from './rows.js';
import { TONE } from './tone.js';

export function ConfigPanel({ diff, config, rows }: { diff: string; config?: ConfigResult; rows: number }) {
  const outcome = config ? 1 + (config.envFile ? 1 : 0) : 0;
  const lines = splitLines(diff);
  return (
    <Box flexDirection="column">
      {lines.length === 0 && !config && <Line dimColor>Working out the change to pattern.toml…</Line>}
      <Rows rows={lines.map((line, i) => <DiffLine key={i} line={line} />)} max={rows - outcome} more={(n) => `+${n} more lines`} />
      {config?.written && (
        <StatusMessage variant="success">{`Written. The original is kept as ${config.backupPath ?? 'a backup'}`}</StatusMessage>
      )}
      {config && !config.written && <StatusMessage variant="info">pattern.toml was not changed.</StatusMessage>}
      {config?.envFile && <Line>{`Credentials written to ${config.envFile} (mode 0600)`}</Line>}
    </Box>
  );
}

function DiffLine({ line }: { line: string }) {
  if (line.startsWith('+++') || line.startsWith('---')) return <Line bold>{line}</Line>;
  if (line.startsWith('+')) return <Line color={TONE.done}>{line}</Line>;
  if (line.startsWith('-')) return <Line color={TONE.error}>{line}</Line>;
  if (line.startsWith('@@')) return <Line color={TONE.accent}>{line}</Line>;
  return <Line dimColor>{line}</Line>;
}
