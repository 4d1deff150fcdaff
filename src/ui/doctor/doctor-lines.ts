// The doctor screen as single-row lines, so a window around the cursor fits any terminal height exactly.
import { GROUP_TITLES, type CheckStatus } from '../../core/doctor-model.js';
import { wrapChars, wrapWords } from '../format.js';
import type { DoctorState } from './doctor-state.js';

export type LineKind = 'heading' | 'check' | 'message' | 'evidence' | 'fix';

export interface ScreenLine {
  key: string;
  kind: LineKind;
  text: string;
  status?: CheckStatus | 'running' | 'pending';
  /** Index of the check this line belongs to. */
  check?: number;
  selected?: boolean;
}

export function doctorLines(state: DoctorState, width: number): ScreenLine[] {
  const lines: ScreenLine[] = [];
  let group: string | undefined;
  state.checks.forEach((check, index) => {
    if (check.group !== group) {
      group = check.group;
      lines.push({ key: `group:${group}`, kind: 'heading', text: GROUP_TITLES[check.group] });
    }
    const result = state.results[check.id];
    const running = state.running.includes(check.id);
    const status = running ? 'running' : (result?.status ?? 'pending');
    const message = running ? 'checking…' : result ? (result.status === 'skip' ? `skipped: ${result.message}` : result.message) : '';
    const code = result && (result.status === 'warn' || result.status === 'fail') ? ` [${result.code}]` : '';
    lines.push({ key: check.id, kind: 'check', text: `${check.title}: ${message}${code}`, status, check: index, selected: index === state.cursor });
    if (!result || running || !state.expanded.includes(check.id)) return;
    const inner = Math.max(20, width - 8);
    // The check's own line is cut at the screen's edge; open, it shows the whole message first.
    if (lines.at(-1)!.text.length > width - 6) {
      wrapWords(`${message}${code}`, inner).forEach((text, i) => lines.push({ key: `${check.id}:m${i}`, kind: 'message', text, check: index }));
    }
    (result.evidence ?? []).flatMap((e) => e.split('\n')).flatMap((e) => wrapChars(e, inner)).forEach((text, i) => {
      lines.push({ key: `${check.id}:e${i}`, kind: 'evidence', text, check: index });
    });
    if (result.fix) {
      wrapWords(`fix: ${result.fix}`, inner).forEach((text, i) => lines.push({ key: `${check.id}:f${i}`, kind: 'fix', text, check: index }));
    }
  });
  return lines;
}

/** The lines to show in `rows`: the selected check's line and as much of its details as fit, scrolled into view. */
export function visibleWindow(lines: ScreenLine[], cursor: number, rows: number): { shown: ScreenLine[]; above: number; below: number } {
  if (lines.length <= rows) return { shown: lines, above: 0, below: 0 };
  const first = lines.findIndex((l) => l.check === cursor);
  let last = first;
  while (last + 1 < lines.length && lines[last + 1]!.check === cursor && lines[last + 1]!.kind !== 'check') last += 1;
  // The group's heading stays with its first check.
  const top = first > 0 && lines[first - 1]!.kind === 'heading' ? first - 1 : first;
  // The least scrolling that shows the whole block; a block taller than the window starts at its check line.
  let start = Math.max(0, last - rows + 1);
  if (top < start) start = last - top + 1 > rows ? first : top;
  start = Math.min(start, lines.length - rows);
  return { shown: lines.slice(start, start + rows), above: start, below: Math.max(0, lines.length - start - rows) };
}
