// How numbers read on screen: bytes as MB, counts with separators, durations in s/m/h.
import type { ProgressUnit } from '../core/events.js';
import { megabytes } from '../core/byte-size.js';

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatAmount(n: number, unit: ProgressUnit): string {
  if (unit === 'bytes') return megabytes(n);
  return `${formatCount(n)} ${unit}`;
}

export function formatRate(perSecond: number, unit: ProgressUnit): string {
  if (unit === 'bytes') return `${megabytes(perSecond)}/s`;
  return `${formatCount(perSecond)} ${unit}/s`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function percent(done: number, total: number): number {
  if (total <= 0) return 100;
  return Math.min(100, Math.floor((100 * done) / total));
}

export function splitLines(text: string | undefined): string[] {
  if (!text) return [];
  return text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
}

/** Packs short items onto at most `maxLines` lines of `width`, ending with "+N more" when some do not fit. */
export function packItems(items: readonly string[], width: number, maxLines: number, separator = ' · '): string[] {
  if (maxLines <= 0) return [];
  const lines: string[] = [];
  let current = '';
  for (let i = 0; i < items.length; i += 1) {
    const rest = items.length - i - 1;
    const lastLine = lines.length === maxLines - 1;
    const candidate = current ? `${current}${separator}${items[i]}` : items[i]!;
    // On the last line, keep room for the "+N more" of what follows.
    const reserve = lastLine && rest > 0 ? `${separator}+${rest} more`.length : 0;
    if (candidate.length + reserve <= width || (!current && !lastLine)) {
      current = candidate;
      continue;
    }
    if (lastLine) {
      const more = `+${items.length - i} more`;
      lines.push(current ? `${current}${separator}${more}` : more);
      return lines;
    }
    lines.push(current);
    current = '';
    i -= 1; // this item starts the next line
  }
  if (current) lines.push(current);
  return lines;
}

/** Word-wraps prose (a fix) to `width`; words longer than a line are cut. */
export function wrapWords(text: string | undefined, width: number): string[] {
  const out: string[] = [];
  const room = Math.max(1, width);
  for (const paragraph of splitLines(text)) {
    let line = '';
    for (const word of paragraph.split(' ').filter(Boolean)) {
      if (!line) line = word;
      else if (line.length + 1 + word.length <= room) line = `${line} ${word}`;
      else {
        out.push(line);
        line = word;
      }
      while (line.length > room) {
        out.push(line.slice(0, room));
        line = line.slice(room);
      }
    }
    out.push(line);
  }
  return out;
}

/** Cuts each line of verbatim text (evidence) into pieces of `width`, keeping every character. */
export function wrapChars(text: string | undefined, width: number): string[] {
  const room = Math.max(1, width);
  return splitLines(text).flatMap((line) => (line.length === 0 ? [''] : Array.from({ length: Math.ceil(line.length / room) }, (_, i) => line.slice(i * room, (i + 1) * room))));
}

/** Cuts each line of verbatim text (evidence) at the last space that fits, keeping every character; only a word
 * longer than the width is cut inside. */
export function wrapVerbatim(text: string | undefined, width: number): string[] {
  const room = Math.max(1, width);
  return splitLines(text).flatMap((line) => {
    const out: string[] = [];
    let rest = line;
    while (rest.length > room) {
      const space = rest.lastIndexOf(' ', room);
      out.push(rest.slice(0, space > 0 ? space : room));
      rest = rest.slice(space > 0 ? space + 1 : room);
    }
    out.push(rest);
    return out;
  });
}

/** Word-wraps `text` after a first-line `lead` (e.g. "Fix: "), later lines indented by as much. */
export function wrapLed(lead: string, text: string | undefined, width: number): string[] {
  const indent = ' '.repeat(lead.length);
  return wrapWords(text, width - lead.length).map((line, i) => `${i === 0 ? lead : indent}${line}`);
}
