// The pattern.toml change as a coloured unified diff that scrolls when long, then where the original was kept.
import { StatusMessage } from '@inkjs/ui';
import { Box } from 'ink';
import type { ConfigResult } from '../steps/run-state.js';
import { Line } from './rows.js';
import type { ScrollContent } from './scroll-content.js';
import type { ScrollPosition } from './scroll.js';
import { ScrollView } from './scroll-view.js';

export interface ConfigPanelProps {
  content?: ScrollContent;
  position: ScrollPosition;
  footer?: { text: string; warn: boolean };
  config?: ConfigResult;
}

export function ConfigPanel({ content, position, footer, config }: ConfigPanelProps) {
  return (
    <Box flexDirection="column">
      {!content && !config && <Line dimColor>Working out the change to pattern.toml…</Line>}
      {content && <ScrollView rows={content.rows} viewRows={content.viewRows} position={position} {...(footer ? { footer } : {})} />}
      {config?.written && (
        <StatusMessage variant="success">{`Written. The original is kept as ${config.backupPath ?? 'a backup'}`}</StatusMessage>
      )}
      {config && !config.written && <StatusMessage variant="info">pattern.toml was not changed.</StatusMessage>}
      {config?.envFile && <Line>{`Credentials written to ${config.envFile} (mode 0600)`}</Line>}
    </Box>
  );
}
