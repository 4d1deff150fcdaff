// A window of rows over long content, with a footer that says where it is and what to press; the wizard's state
// holds the position (scroll.ts does the maths, scroll-content.ts says what the rows and the footer are).
import { Text } from 'ink';
import type { LineTone, ToneLine } from './tone-line.js';
import { scrollWindow, type ScrollPosition } from './scroll.js';
import { TONE } from './tone.js';

const STYLE: Record<LineTone, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  bold: { bold: true },
  accent: { color: TONE.accent },
  added: { color: TONE.done },
  removed: { color: TONE.error },
  dim: { dimColor: true },
  warn: { color: TONE.warn },
};

export interface ScrollViewProps {
  rows: ToneLine[];
  viewRows: number;
  position: ScrollPosition;
  /** Shown under the window when the content is longer than it. */
  footer?: { text: string; warn: boolean };
}

export function ScrollView({ rows, viewRows, position, footer }: ScrollViewProps) {
  const { start, end } = scrollWindow(position, rows.length, viewRows);
  return (
    <>
      {rows.slice(start, end).map((row, i) => (
        <Text key={start + i} wrap="truncate-end" {...(row.tone ? STYLE[row.tone] : {})}>
          {row.text || ' '}
        </Text>
      ))}
      {footer && rows.length > viewRows && (
        <Text wrap="truncate-end" {...(footer.warn ? { color: TONE.warn } : { dimColor: true })}>
          {footer.text}
        </Text>
      )}
    </>
  );
}
