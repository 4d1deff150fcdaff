// Scroll maths for long content in a window of rows: where the window is, which rows have been on screen, and
// text wrapped into rows so nothing is cut. Pure; the view (scroll-view.tsx) and the wizard's state use it.

/** Rows are counted after wrapping. `seen` holds half-open [from, to) row ranges that have been on screen. */
export interface ScrollPosition {
  top: number;
  seen: Array<[number, number]>;
}

export type ScrollMove = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

export const SCROLL_START: ScrollPosition = { top: 0, seen: [] };

export function clampTop(top: number, total: number, rows: number): number {
  return Math.max(0, Math.min(top, total - Math.max(1, rows)));
}

/** The rows shown now, as [start, end). */
export function scrollWindow(position: ScrollPosition, total: number, rows: number): { start: number; end: number } {
  const start = clampTop(position.top, total, rows);
  return { start, end: Math.min(total, start + Math.max(1, rows)) };
}

/** A page keeps one row of the last one on screen, so the eye finds its place. */
export function moveScroll(position: ScrollPosition, move: ScrollMove, total: number, rows: number): ScrollPosition {
  const page = Math.max(1, rows - 1);
  const current = scrollWindow(position, total, rows);
  const targets: Record<ScrollMove, number> = {
    up: current.start - 1,
    down: current.start + 1,
    pageUp: current.start - page,
    pageDown: current.start + page,
    home: 0,
    end: total,
  };
  const top = clampTop(targets[move], total, rows);
  const shown = markSeen(position.seen, current.start, current.end);
  const next = scrollWindow({ top, seen: shown }, total, rows);
  return { top, seen: markSeen(shown, next.start, next.end) };
}

/** Rows never on screen, counting the window shown now as seen. */
export function unseenRows(position: ScrollPosition, total: number, rows: number): number {
  const current = scrollWindow(position, total, rows);
  const seen = markSeen(position.seen, current.start, current.end);
  const covered = seen.reduce((sum, [from, to]) => sum + Math.max(0, Math.min(to, total) - from), 0);
  return Math.max(0, total - covered);
}

/** "lines 1-14 of 18" */
export function positionLabel(position: ScrollPosition, total: number, rows: number): string {
  const { start, end } = scrollWindow(position, total, rows);
  return `lines ${start + 1}-${end} of ${total}`;
}

function markSeen(seen: Array<[number, number]>, from: number, to: number): Array<[number, number]> {
  if (to <= from) return seen;
  const merged: Array<[number, number]> = [];
  for (const range of [...seen, [from, to] as [number, number]].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/**
 * A line broken into rows of at most `width` characters, at a space where one is in the second half of the row;
 * rows after the first start with `indent` spaces (a hanging indent under a label or a bullet).
 */
export function wrapRows(line: string, width: number, indent = 0): string[] {
  const rows: string[] = [];
  let rest = line;
  for (;;) {
    const pad = rows.length ? Math.min(indent, Math.floor(width / 2)) : 0;
    const room = Math.max(1, width - pad);
    const chars = Array.from(rest);
    if (chars.length <= room) break;
    const head = chars.slice(0, room).join('');
    const space = head.lastIndexOf(' ');
    const cut = space > room / 2 ? space + 1 : head.length;
    rows.push(' '.repeat(pad) + rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  rows.push(' '.repeat(rows.length ? Math.min(indent, Math.floor(width / 2)) : 0) + rest);
  return rows;
}
