// The end: what changed and where things are, the commands to run next, advice for production; scrolls when long.
import { StatusMessage } from '@inkjs/ui';
import { Box } from 'ink';
import type { ScrollContent } from './scroll-content.js';
import type { ScrollPosition } from './scroll.js';
import { ScrollView } from './scroll-view.js';

export interface DonePanelProps {
  exitCode: number;
  content: ScrollContent;
  position: ScrollPosition;
  footer: { text: string; warn: boolean };
}

export function DonePanel({ exitCode, content, position, footer }: DonePanelProps) {
  return (
    <Box flexDirection="column">
      <StatusMessage variant={exitCode === 0 ? 'success' : 'warning'}>
        {exitCode === 0 ? 'Pattern now uses the SurrealDB server.' : `Finished with problems (exit code ${exitCode}).`}
      </StatusMessage>
      <ScrollView rows={content.rows} viewRows={content.viewRows} position={position} footer={footer} />
    </Box>
  );
}
