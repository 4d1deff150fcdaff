// Which keys work now, derived from the state: the legend shows exactly these, and only these are acted on.
import { verifyRows } from '../render/verify-table.js';
import { layoutFor } from './layout.js';
import { scrollable } from './scroll-content.js';
import { isTyping, verifyTableShown } from './selectors.js';
import { maxVerifyOffset } from './verify-window.js';
import type { WizardState } from './wizard-state.js';

/** What the app shell does for a key; keys without a command belong to the focused input (arrows, enter, y/n). */
export type KeyCommand =
  | 'toggleLogs'
  | 'toggleHelp'
  | 'toggleDiagnosis'
  | 'toggleVerify'
  | 'scroll'
  | 'scrollVerify'
  | 'cancel'
  | 'retry'
  | 'quit'
  | 'useGenerated'
  | 'acknowledge';

export interface KeyHint {
  keys: string[];
  label: string;
  command?: KeyCommand;
  /** When the legend is too narrow, higher ranks are left out first; no rank: only as a last resort (legend-fit.ts). */
  rank?: number;
}

export function availableKeys(state: WizardState): KeyHint[] {
  // The verification's table hides the question (and takes the arrows) while it is open.
  const hints: KeyHint[] = state.showVerify && state.results.verify ? [] : [...scrollKeys(state), ...promptKeys(state)];
  if (verifyTableShown(state) && verifyScrollMax(state) > 0) {
    hints.push({ keys: VERIFY_SCROLL_KEYS, label: 'scroll', command: 'scrollVerify' });
  }
  const ending = state.phase === 'done' || state.phase === 'failed';
  if (state.phase === 'failed' && state.failure) {
    if (state.failure.canRetry && state.request !== 'retry') hints.push({ keys: ['r'], label: 'retry', command: 'retry' });
    if (state.failure.error.evidence) {
      hints.push({ keys: ['d'], label: state.diagnosisExpanded ? 'hide details' : 'details', command: 'toggleDiagnosis' });
    }
  }
  // Letters belong to the input while the user types a name or a password.
  const letters = !isTyping(state);
  if (letters) {
    if (state.results.verify && state.phase !== 'verify') hints.push({ keys: ['v'], label: state.showVerify ? 'close table' : 'verification', command: 'toggleVerify', rank: 1 });
    hints.push({ keys: ['l'], label: state.showLogs ? 'hide output' : 'output', command: 'toggleLogs', rank: 1 });
    hints.push({ keys: ['?'], label: state.showHelp ? 'close help' : 'help', command: 'toggleHelp' });
  }
  const stop: KeyCommand = ending ? 'quit' : 'cancel';
  hints.push({ keys: letters ? ['q', 'ctrl-c'] : ['ctrl-c'], label: ending ? 'quit' : 'cancel', command: stop });
  return hints;
}

/** Long content scrolls with these; while a list is open the arrows are its own, and the page keys still scroll. */
function scrollKeys(state: WizardState): KeyHint[] {
  const kind = state.prompt?.spec.kind;
  if (!scrollable(state) || kind === 'text' || kind === 'password') return [];
  const pages: KeyHint[] = [
    { keys: ['pgup', 'pgdn'], label: kind === 'select' ? 'scroll' : 'page', command: 'scroll', rank: kind === 'select' ? 0 : 2 },
    { keys: ['home', 'end'], label: 'top/end', command: 'scroll', rank: 3 },
  ];
  return kind === 'select' ? pages : [{ keys: ['↑', '↓'], label: 'scroll', command: 'scroll' }, ...pages];
}

function promptKeys(state: WizardState): KeyHint[] {
  const spec = state.prompt?.spec;
  switch (spec?.kind) {
    case undefined:
      return [];
    case 'confirm':
      return [
        { keys: ['y', 'n'], label: 'yes/no' },
        { keys: ['enter'], label: spec.defaultYes ? 'yes' : 'no', rank: 2 },
      ];
    case 'select':
      return [
        { keys: ['↑', '↓'], label: 'move' },
        { keys: ['enter'], label: 'choose' },
      ];
    case 'text':
      return [{ keys: ['enter'], label: 'submit' }];
    case 'password':
      return [
        { keys: ['enter'], label: 'submit' },
        ...(spec.generated ? [{ keys: ['tab'], label: 'use generated password', command: 'useGenerated' as const }] : []),
      ];
    case 'secret':
      return [{ keys: ['enter'], label: 'stored it, go on', command: 'acknowledge' }];
  }
}

/** The command for a key name (see keyName), or undefined when the key does nothing now. */
export function commandForKey(state: WizardState, name: string): KeyCommand | undefined {
  return availableKeys(state).find((hint) => hint.command && hint.keys.includes(name))?.command;
}

const VERIFY_SCROLL_KEYS = ['↑', '↓', 'pgup', 'pgdn'];

/** The verification table's first row after a scroll key (see keyName), held between its top and its furthest. */
export function scrolledOffset(state: WizardState, name: string): number {
  const page = Math.max(1, layoutFor(state).contentRows - 4);
  const by = { '↑': -1, '↓': 1, pgup: -page, pgdn: page }[name] ?? 0;
  return Math.min(verifyScrollMax(state), Math.max(0, Math.min(state.verifyOffset, verifyScrollMax(state)) + by));
}

/** How far the verification's table scrolls at the current size. */
export function verifyScrollMax(state: WizardState): number {
  return state.results.verify ? maxVerifyOffset(verifyRows(state.results.verify).length, layoutFor(state).contentRows) : 0;
}

/** Ink's (input, key) as the names the hints use. */
export function keyName(
  input: string,
  key: { ctrl: boolean; tab: boolean; return: boolean; escape: boolean; upArrow: boolean; downArrow: boolean; pageUp: boolean; pageDown: boolean; home: boolean; end: boolean },
): string {
  if (key.ctrl && input === 'c') return 'ctrl-c';
  if (key.upArrow) return '↑';
  if (key.downArrow) return '↓';
  if (key.pageUp) return 'pgup';
  if (key.pageDown) return 'pgdn';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.tab) return 'tab';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  return input;
}

/** What a character of a burst is called, where it is not itself. */
const BURST_NAMES: Record<string, string> = { '\r': 'enter', '\n': 'enter', '\t': 'tab', '\x03': 'ctrl-c' };

/**
 * keyName for every key of one useInput call. Keys that arrive faster than a frame (tmux send-keys, a quick "l?")
 * reach it as ONE string with no flag set (Ink splits only at escape sequences): each character is a key of its own.
 */
export function keyNames(input: string, key: Parameters<typeof keyName>[1]): string[] {
  const flagged = key.ctrl || key.tab || key.return || key.escape || key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.home || key.end;
  const chars = Array.from(input);
  if (flagged || chars.length <= 1) return [keyName(input, key)];
  return chars.map((char) => BURST_NAMES[char] ?? char);
}

/** A y/n question's answer from one useInput call: its first y, n or Enter decides; undefined when none came. */
export function confirmAnswer(input: string, key: { return: boolean }, defaultYes: boolean): boolean | undefined {
  if (key.return) return defaultYes;
  for (const char of input) {
    if (char === 'y' || char === 'Y') return true;
    if (char === 'n' || char === 'N') return false;
    if (char === '\r' || char === '\n') return defaultYes;
  }
  return undefined;
}
