// A one-line answer (masked for a password) that counts every key, however fast they come: the line lives in a ref
// so two bursts handled before the next render build on each other, and each burst is applied key by key.
import { Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { applyKeys, keysOf, lineOf, type LineState } from './line-editor.js';

export interface TextInputProps {
  /** What the line starts with (e.g. the answer refused a moment ago, to correct it). */
  initialValue?: string;
  /** Shown dimmed while the line is empty. */
  placeholder?: string;
  /** Shows one * per character instead of the characters. */
  mask?: boolean;
  onChange?(value: string): void;
  onSubmit(value: string): void;
}

export function TextInput({ initialValue, placeholder = '', mask = false, onChange, onSubmit }: TextInputProps) {
  const line = useRef<LineState>(lineOf(initialValue));
  const [shown, setShown] = useState(line.current);

  useInput((input, key) => {
    const keys = keysOf(input, key);
    if (keys.length === 0) return;
    const before = line.current.value;
    const { state, submitted } = applyKeys(line.current, keys);
    line.current = state;
    setShown(state);
    if (state.value !== before) onChange?.(state.value);
    if (submitted !== undefined) onSubmit(submitted);
  });

  if (shown.value === '') {
    return placeholder ? (
      <Text>
        <Text inverse>{placeholder[0]}</Text>
        <Text dimColor>{placeholder.slice(1)}</Text>
      </Text>
    ) : (
      <Text inverse> </Text>
    );
  }
  const chars = Array.from(mask ? '*'.repeat(Array.from(shown.value).length) : shown.value);
  return (
    <Text>
      {chars.slice(0, shown.cursor).join('')}
      <Text inverse>{chars[shown.cursor] ?? ' '}</Text>
      {chars.slice(shown.cursor + 1).join('')}
    </Text>
  );
}
