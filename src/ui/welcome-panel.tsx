// What was found and what will happen, before anything runs; scrolls when it is longer than the screen.
import { Text } from 'ink';
import type { ScrollContent } from './scroll-content.js';
import type { ScrollPosition } from './scroll.js';
import { ScrollView } from './scroll-view.js';

export interface WelcomePanelProps {
  content?: ScrollContent;
  position: ScrollPosition;
  footer?: { text: string; warn: boolean };
}

export function WelcomePanel({ content, position, footer }: WelcomePanelProps) {
  if (!content) return <Text dimColor>Looking at the config and the store…</Text>;
  return <ScrollView rows={content.rows} viewRows={content.viewRows} position={position} {...(footer ? { footer } : {})} />;
}
