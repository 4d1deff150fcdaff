// The editing of a one-line answer, key by key. Ink splits its input only at escape sequences, so keys that arrive
// faster than a frame (a held Backspace, a paste, tmux send-keys) reach useInput as ONE string, e.g. "\x7f\x7f\x7f"
// or "abc\r", with no key flag set; every character of such a burst is a key of its own and is applied in order.

export interface LineState {
  value: string;
  /** Between 0 and value.length, counted in characters (code points). */
  cursor: number;
}

export type LineKey =
  | { kind: 'insert'; text: string }
  | { kind: 'backspace' | 'left' | 'right' | 'home' | 'end' | 'clearBefore' | 'deleteWordBefore' | 'submit' };

/** The parts of Ink's Key that editing reads. */
export interface InkKey {
  return?: boolean;
  backspace?: boolean;
  delete?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  home?: boolean;
  end?: boolean;
  tab?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

const CONTROL_KEYS: Record<string, LineKey> = {
  '\r': { kind: 'submit' },
  '\n': { kind: 'submit' },
  '\x7f': { kind: 'backspace' },
  '\b': { kind: 'backspace' },
  '\x01': { kind: 'home' },
  '\x05': { kind: 'end' },
  '\x15': { kind: 'clearBefore' },
  '\x17': { kind: 'deleteWordBefore' },
};

const CTRL_LETTERS: Record<string, LineKey> = { a: { kind: 'home' }, e: { kind: 'end' }, u: { kind: 'clearBefore' }, w: { kind: 'deleteWordBefore' } };

/** What one call of Ink's useInput handler means for the line: no key, one key, or a burst of them in order. */
export function keysOf(input: string, key: InkKey): LineKey[] {
  if (key.return) return [{ kind: 'submit' }];
  // Ink names both Backspace (\x7f) and Delete (ESC[3~) "delete" and gives no way to tell them apart: both erase
  // the character before the cursor, as in @inkjs/ui.
  if (key.backspace || key.delete) return [{ kind: 'backspace' }];
  if (key.leftArrow) return [{ kind: 'left' }];
  if (key.rightArrow) return [{ kind: 'right' }];
  if (key.home) return [{ kind: 'home' }];
  if (key.end) return [{ kind: 'end' }];
  // Tab belongs to the wizard (the generated password); up, down, escape and Alt-combinations do nothing here.
  if (key.tab || key.upArrow || key.downArrow || key.escape || key.meta) return [];
  if (key.ctrl) {
    const command = CTRL_LETTERS[input];
    return command ? [command] : [];
  }
  const keys: LineKey[] = [];
  let text = '';
  for (const char of input) {
    const control = CONTROL_KEYS[char];
    if (!control && char < ' ') continue; // other control characters are not text
    if (!control) {
      text += char;
      continue;
    }
    if (text) keys.push({ kind: 'insert', text });
    text = '';
    keys.push(control);
  }
  if (text) keys.push({ kind: 'insert', text });
  return keys;
}

/** One key applied to the line. */
export function applyKey(state: LineState, key: LineKey): LineState {
  const chars = Array.from(state.value);
  const at = Math.min(Math.max(0, state.cursor), chars.length);
  const line = (before: string[], after: string[]): LineState => ({ value: [...before, ...after].join(''), cursor: before.length });
  switch (key.kind) {
    case 'insert':
      return line([...chars.slice(0, at), ...Array.from(key.text)], chars.slice(at));
    case 'backspace':
      return at === 0 ? state : line(chars.slice(0, at - 1), chars.slice(at));
    case 'left':
      return { ...state, cursor: Math.max(0, at - 1) };
    case 'right':
      return { ...state, cursor: Math.min(chars.length, at + 1) };
    case 'home':
      return { ...state, cursor: 0 };
    case 'end':
      return { ...state, cursor: chars.length };
    case 'clearBefore':
      return line([], chars.slice(at));
    case 'deleteWordBefore': {
      let start = at;
      while (start > 0 && chars[start - 1] === ' ') start -= 1;
      while (start > 0 && chars[start - 1] !== ' ') start -= 1;
      return line(chars.slice(0, start), chars.slice(at));
    }
    case 'submit':
      return state;
  }
}

/**
 * The keys applied in order. Enter submits the line as it is at that point; what follows it in the same burst is
 * dropped: it was typed ahead for a question that has not been asked yet, and is never guessed into it.
 */
export function applyKeys(state: LineState, keys: readonly LineKey[]): { state: LineState; submitted?: string } {
  let current = state;
  for (const key of keys) {
    if (key.kind === 'submit') return { state: current, submitted: current.value };
    current = applyKey(current, key);
  }
  return { state: current };
}

/** A line that starts with `value`, the cursor at its end. */
export function lineOf(value = ''): LineState {
  return { value, cursor: Array.from(value).length };
}
