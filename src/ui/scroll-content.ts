// The long content of the welcome, config and done screens as rows for the scroll view, and what the wizard may do with it:
// which window of it is shown, how much of the diff is still unread, what the footer says.
import type { DoneSummary } from '../core/done-summary.js';
import { splitLines } from './format.js';
import { layoutFor } from './layout.js';
import { positionLabel, unseenRows, wrapRows, type ScrollMove } from './scroll.js';
import { configDiff } from './selectors.js';
import type { ToneLine } from './tone-line.js';
import { welcomeLines } from './welcome-lines.js';
import type { WizardState } from './wizard-state.js';

export interface ScrollContent {
  /** Wrapped to the screen's width: one entry per row. */
  rows: ToneLine[];
  /** Rows of content in the window (a footer row is kept when it overflows). */
  viewRows: number;
  overflows: boolean;
}

export function diffLines(diff: string): ToneLine[] {
  return splitLines(diff).map((text): ToneLine => {
    if (text.startsWith('+++') || text.startsWith('---')) return { text, tone: 'bold' };
    if (text.startsWith('+')) return { text, tone: 'added' };
    if (text.startsWith('-')) return { text, tone: 'removed' };
    if (text.startsWith('@@')) return { text, tone: 'accent' };
    return { text, tone: 'dim' };
  });
}

export function doneLines(summary: DoneSummary): ToneLine[] {
  const labelWidth = Math.min(14, Math.max(0, ...summary.lines.map((l) => l.label.length)) + 1);
  const lines: ToneLine[] = summary.lines.map((l) => ({ text: `${l.label.padEnd(labelWidth)} ${l.value}`, indent: labelWidth + 1 }));
  if (summary.nextCommands.length > 0) {
    lines.push({ text: 'Next', tone: 'bold' });
    for (const command of summary.nextCommands) {
      // A line starting with # is a note on the command above it (e.g. what stopping a memory server means).
      lines.push(command.startsWith('#') ? { text: `    ${command}`, tone: 'warn', indent: 6 } : { text: `  $ ${command}`, tone: 'accent', indent: 6 });
    }
  }
  if (summary.production.length > 0) {
    lines.push({ text: 'For production', tone: 'bold' });
    for (const advice of summary.production) lines.push({ text: `  • ${advice}`, indent: 4 });
  }
  return lines;
}

/** Rows of the config panel below the diff: the outcome and the credentials file. */
export function configOutcomeRows(state: WizardState): number {
  const config = state.results.config;
  return config ? 1 + (config.envFile ? 1 : 0) : 0;
}

/** The scrolling content of this phase, whether or not help covers it; undefined where there is none. */
export function scrollContent(state: WizardState): ScrollContent | undefined {
  const layout = layoutFor(state);
  if (state.phase === 'welcome' && state.facts) {
    return fit(welcomeLines(state.facts, layout.width, state.rows >= 30 ? 3 : 2), layout.width, layout.contentRows);
  }
  if (state.phase === 'config') {
    const lines = diffLines(configDiff(state));
    return lines.length ? fit(lines, layout.width, layout.contentRows - configOutcomeRows(state)) : undefined;
  }
  // The done panel's first row is its status message.
  if (state.phase === 'done' && state.done) return fit(doneLines(state.done.summary), layout.width, layout.contentRows - 1);
  return undefined;
}

function fit(lines: ToneLine[], width: number, available: number): ScrollContent {
  const rows = lines.flatMap((line) => wrapRows(line.text, width, line.indent).map((text): ToneLine => (line.tone ? { text, tone: line.tone } : { text })));
  const room = Math.max(1, available);
  const overflows = rows.length > room;
  return { rows, viewRows: overflows ? Math.max(1, room - 1) : room, overflows };
}

/** Scroll keys act when the content is on screen (not under help) and longer than its window. */
export function scrollable(state: WizardState): ScrollContent | undefined {
  const content = scrollContent(state);
  return !state.showHelp && content?.overflows ? content : undefined;
}

/** Rows of the config diff not yet on screen while its yes/no question waits; y is not taken until this is 0. */
export function unreadDiffRows(state: WizardState): number {
  if (state.phase !== 'config' || state.prompt?.spec.kind !== 'confirm') return 0;
  const content = scrollContent(state);
  return content ? unseenRows(state.scroll, content.rows.length, content.viewRows) : 0;
}

/** The scroll view's last row: where the window is, and what to do next. */
export function scrollFooter(state: WizardState, content: ScrollContent): { text: string; warn: boolean } {
  const where = positionLabel(state.scroll, content.rows.length, content.viewRows);
  const unread = unreadDiffRows(state);
  if (unread > 0 && state.readingNudged) return { text: `${where} · y waits until all is read: ↓ for the other ${unread}`, warn: true };
  if (unread > 0) return { text: `${where} · ↓ to read the remaining ${unread} lines before answering`, warn: false };
  return { text: `${where} · ${state.prompt?.spec.kind === 'select' ? 'pgup/pgdn' : '↑/↓'} scroll`, warn: false };
}

export const SCROLL_KEYS: Record<string, ScrollMove> = { '↑': 'up', '↓': 'down', pgup: 'pageUp', pgdn: 'pageDown', home: 'home', end: 'end' };
