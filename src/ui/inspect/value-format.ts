// Values as styled text: one line for lists, an indented tree for the record view, a table for flat results.
import type { InspectScalar, InspectValue } from '../../core/inspect-types.js';
import { isScalar } from '../../core/inspect-value.js';
import { clipLine, lineText, type Segment, type StyledLine } from './styled.js';

/** A scalar as the user reads it: strings quoted, everything else as SurrealDB writes it. */
export function scalarText(value: InspectScalar): string {
  return value.type === 'string' ? JSON.stringify(value.text) : value.text;
}

function scalarSegment(value: InspectScalar): Segment {
  return { text: scalarText(value), tone: value.type };
}

/** One line, cut at `max` characters; nested values are written compactly and stop being built once cut. */
export function inlineValue(value: InspectValue, max: number): StyledLine {
  const out: StyledLine = [];
  let used = 0;
  let cut = false;
  const push = (segment: Segment) => {
    if (cut) return;
    if (used + segment.text.length > max) {
      cut = true;
      return;
    }
    out.push(segment);
    used += segment.text.length;
  };
  const walk = (v: InspectValue) => {
    if (cut) return;
    if (isScalar(v)) return push(scalarSegment(v));
    if (v.type === 'array') {
      push({ text: '[', tone: 'punct' });
      v.items.forEach((item, i) => {
        if (i > 0) push({ text: ', ', tone: 'punct' });
        walk(item);
      });
      return push({ text: ']', tone: 'punct' });
    }
    push({ text: '{ ', tone: 'punct' });
    v.fields.forEach(([key, item], i) => {
      if (i > 0) push({ text: ', ', tone: 'punct' });
      push({ text: `${key}: `, tone: 'key' });
      walk(item);
    });
    push({ text: ' }', tone: 'punct' });
  };
  walk(value);
  if (!cut) return out;
  // Always end a cut line in "…", within max.
  return used < max ? [...out, { text: '…', tone: 'dim' }] : clipLine([...out, { text: '…' }], max);
}

/** A record's fields on one line without its id: what the records list shows beside each id. */
export function recordPreview(record: InspectValue, max: number): StyledLine {
  if (record.type !== 'object') return inlineValue(record, max);
  const rest: InspectValue = { type: 'object', fields: record.fields.filter(([k]) => k !== 'id') };
  const line = inlineValue(rest, max + 4);
  // Drop the braces: the list reads "key: value, key: value".
  const inner = line.slice(1, lineText(line).endsWith(' }') ? -1 : undefined);
  return clipLine(inner, max);
}

const pad = (n: number) => ' '.repeat(n);

/** A string longer than the room left is continued on following lines, indented under its key. */
function wrapScalar(prefix: StyledLine, value: InspectScalar, width: number, indent: number): StyledLine[] {
  const segment = scalarSegment(value);
  const room = Math.max(10, width - lineText(prefix).length);
  if (segment.text.length <= room) return [[...prefix, segment]];
  const lines: StyledLine[] = [[...prefix, { text: segment.text.slice(0, room), tone: segment.tone }]];
  const rest = Math.max(10, width - indent - 2);
  for (let i = room; i < segment.text.length; i += rest) {
    lines.push([{ text: pad(indent + 2) }, { text: segment.text.slice(i, i + rest), tone: segment.tone }]);
  }
  return lines;
}

function childLines(prefix: StyledLine, value: InspectValue, width: number, indent: number): StyledLine[] {
  if (isScalar(value)) return wrapScalar(prefix, value, width, indent);
  if (value.type === 'array') {
    if (value.items.length === 0) return [[...prefix, { text: '[]', tone: 'punct' }]];
    if (value.items.every(isScalar)) {
      // Arrays of scalars (tags, embeddings) stay on one line, with their length when cut.
      const suffix: Segment = { text: `  (${value.items.length} items)`, tone: 'dim' };
      const room = width - lineText(prefix).length;
      const line = inlineValue(value, room);
      if (!lineText(line).endsWith('…')) return [[...prefix, ...line]];
      return [[...prefix, ...inlineValue(value, Math.max(5, room - suffix.text.length)), suffix]];
    }
    const lines: StyledLine[] = [[...prefix, { text: `[${value.items.length} items]`, tone: 'dim' }]];
    value.items.forEach((item, i) => {
      lines.push(...childLines([{ text: pad(indent + 2) }, { text: `[${i}] `, tone: 'punct' }], item, width, indent + 2));
    });
    return lines;
  }
  if (value.fields.length === 0) return [[...prefix, { text: '{}', tone: 'punct' }]];
  // "key:" heads the nested fields (no trailing space after its colon).
  const head = prefix.map((segment, i) => (i === prefix.length - 1 ? { ...segment, text: segment.text.trimEnd() } : segment));
  const lines: StyledLine[] = lineText(prefix).trim() ? [head] : [];
  const inner = lines.length ? indent + 2 : indent;
  for (const [key, item] of value.fields) {
    lines.push(...childLines([{ text: pad(inner) }, { text: key, tone: 'key' }, { text: ': ', tone: 'punct' }], item, width, inner));
  }
  return lines;
}

/** The whole value as an indented tree, `width` characters wide (long strings continue on the next lines). */
export function valueLines(value: InspectValue, width: number): StyledLine[] {
  return childLines([], value, width, 0);
}

/** Flat rows (objects of scalars) as a table: a header, then one line per row, each cut to `width`. */
export function tableLines(rows: Array<Array<[string, InspectScalar]>>, width: number, maxColumn = 40): StyledLine[] {
  const columns: string[] = [];
  for (const row of rows) for (const [key] of row) if (!columns.includes(key)) columns.push(key);
  const cells = rows.map((row) => columns.map((c) => row.find(([k]) => k === c)?.[1]));
  const widths = columns.map((c, i) =>
    Math.min(maxColumn, Math.max(c.length, ...cells.map((r) => (r[i] ? scalarText(r[i]!).length : 0)))),
  );
  const cell = (text: string, w: number) => (text.length > w ? `${text.slice(0, w - 1)}…` : text.padEnd(w));
  const header: StyledLine = columns.flatMap((c, i) => [{ text: cell(c, widths[i]!), tone: 'heading' as const }, { text: '  ' }]);
  const rule: StyledLine = [{ text: widths.map((w) => '─'.repeat(w)).join('  '), tone: 'punct' }];
  const body = cells.map((r) =>
    r.flatMap((v, i): Segment[] => [
      v ? { text: cell(scalarText(v), widths[i]!), tone: v.type } : { text: ''.padEnd(widths[i]!) },
      { text: '  ' },
    ]),
  );
  return [header, rule, ...body].map((line) => clipLine(trimEnd(line), width));
}

function trimEnd(line: StyledLine): StyledLine {
  const out = [...line];
  while (out.length && out.at(-1)!.text.trim() === '') out.pop();
  if (out.length) out[out.length - 1] = { ...out.at(-1)!, text: out.at(-1)!.text.trimEnd() };
  return out;
}
