// Text with meaning attached (a value's type, a key, a heading), turned into colours only by StyledText.
import type { ScalarType } from '../../core/inspect-types.js';

export type Tone = ScalarType | 'key' | 'punct' | 'heading' | 'accent' | 'error' | 'warn' | 'done' | 'dim' | 'selected';

export interface Segment {
  text: string;
  tone?: Tone;
}

export type StyledLine = Segment[];

/** Colours by value type, and for the words around them; chalk drops them under NO_COLOR. */
export const TONE_STYLE: Record<Tone, { color?: string; bold?: boolean; dimColor?: boolean; inverse?: boolean }> = {
  string: { color: 'green' },
  number: { color: 'yellow' },
  bool: { color: 'magenta' },
  null: { color: 'gray' },
  none: { color: 'gray' },
  record: { color: 'cyan' },
  datetime: { color: 'blue' },
  uuid: { color: 'yellow' },
  duration: { color: 'yellow' },
  decimal: { color: 'yellow' },
  bytes: { color: 'gray' },
  geometry: { color: 'yellow' },
  table: { color: 'cyan' },
  other: {},
  key: { bold: true },
  punct: { dimColor: true },
  heading: { bold: true },
  accent: { color: 'cyan' },
  error: { color: 'red' },
  warn: { color: 'yellow' },
  done: { color: 'green' },
  dim: { dimColor: true },
  selected: { inverse: true },
};

export function lineText(line: StyledLine): string {
  return line.map((s) => s.text).join('');
}

/** The line cut to `width` characters, the last one an ellipsis when something was cut. */
export function clipLine(line: StyledLine, width: number): StyledLine {
  if (lineText(line).length <= width) return line;
  const out: StyledLine = [];
  let left = Math.max(0, width - 1);
  for (const segment of line) {
    if (left <= 0) break;
    const text = segment.text.slice(0, left);
    out.push({ ...segment, text });
    left -= text.length;
  }
  out.push({ text: '…', tone: 'dim' });
  return out;
}

export const plain = (text: string, tone?: Tone): StyledLine => [tone ? { text, tone } : { text }];

/** Lines that contain the filter text (case-insensitive); all lines without a filter. */
export function filterLines<T extends StyledLine>(lines: T[], filter: string): T[] {
  if (!filter) return lines;
  const needle = filter.toLowerCase();
  return lines.filter((line) => lineText(line).toLowerCase().includes(needle));
}

/** Text broken into lines of at most `width` characters, at spaces where it can. */
export function wrapText(text: string, width: number, tone?: Tone): StyledLine[] {
  const room = Math.max(10, width);
  const lines: StyledLine[] = [];
  for (const paragraph of text.split('\n')) {
    let rest = paragraph;
    while (rest.length > room) {
      const space = rest.lastIndexOf(' ', room);
      const cut = space > room / 2 ? space : room;
      lines.push(plain(rest.slice(0, cut), tone));
      rest = rest.slice(cut).replace(/^ /, '');
    }
    lines.push(plain(rest, tone));
  }
  return lines;
}
