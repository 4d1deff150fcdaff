// A minimal TOML statement scanner: where keys, values and headers are, never what they mean.
// It only has to be right for valid TOML (the caller parsed it first) and must never loop or throw.
import { parse } from 'smol-toml';

export interface TomlInline {
  open: number;
  /** Index of the closing `}`. */
  close: number;
  entries: TomlEntry[];
}

export interface TomlEntry {
  key: string[];
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  inline?: TomlInline;
}

export interface TomlStatement {
  kind: 'header' | 'kv';
  key: string[];
  array: boolean;
  lineStart: number;
  /** End of the statement's last line, before its line break (after any trailing comment). */
  lineEnd: number;
  entry?: TomlEntry;
}

const BARE = /[A-Za-z0-9_-]/;
const SCALAR_END = ' \t\r\n,]}#';

export function scanToml(s: string): TomlStatement[] {
  const n = s.length;
  let i = s.startsWith('\uFEFF') ? 1 : 0;
  const statements: TomlStatement[] = [];

  const skipWs = (): void => {
    while (s[i] === ' ' || s[i] === '\t') i++;
  };
  const skipToEol = (): void => {
    while (i < n && s[i] !== '\n') i++;
  };
  const lineEndHere = (): number => (s[i] === '\n' && s[i - 1] === '\r' ? i - 1 : i);
  const skipBlank = (): void => {
    for (;;) {
      skipWs();
      if (s[i] === '\r' || s[i] === '\n') i++;
      else if (s[i] === '#') skipToEol();
      else return;
    }
  };
  const basic = (): void => {
    for (i++; i < n && s[i] !== '"' && s[i] !== '\n'; i++) if (s[i] === '\\') i++;
    if (s[i] === '"') i++;
  };
  const literal = (): void => {
    for (i++; i < n && s[i] !== "'" && s[i] !== '\n'; i++);
    if (s[i] === "'") i++;
  };
  const multi = (quote: '"' | "'"): void => {
    const fence = quote.repeat(3);
    for (i += 3; i < n; i++) {
      if (quote === '"' && s[i] === '\\') i++;
      else if (s.startsWith(fence, i)) {
        // Up to two quotes may sit right before the closing fence: `"""a""""` ends with `a"`.
        let end = i + 3;
        while (s[end] === quote && end - i < 5) end++;
        i = end;
        return;
      }
    }
  };
  const key = (): { parts: string[]; end: number } => {
    const parts: string[] = [];
    for (;;) {
      skipWs();
      const start = i;
      if (s[i] === '"') {
        basic();
        parts.push(decodeKey(s.slice(start, i)));
      } else if (s[i] === "'") {
        literal();
        parts.push(s.slice(start + 1, i - 1));
      } else {
        while (i < n && BARE.test(s[i]!)) i++;
        parts.push(s.slice(start, i));
      }
      const end = i;
      skipWs();
      if (s[i] !== '.' || i === start) return { parts, end };
      i++;
    }
  };
  const value = (): { start: number; end: number; inline?: TomlInline } => {
    const start = i;
    if (s.startsWith('"""', i)) multi('"');
    else if (s.startsWith("'''", i)) multi("'");
    else if (s[i] === '"') basic();
    else if (s[i] === "'") literal();
    else if (s[i] === '[') array();
    else if (s[i] === '{') return { start, inline: inlineTable(), end: i };
    else scalar();
    return { start, end: i };
  };
  const array = (): void => {
    for (i++; i < n; ) {
      skipBlank();
      if (s[i] === ']') {
        i++;
        return;
      }
      const before = i;
      if (s[i] === ',') i++;
      else value();
      if (i === before) i++;
    }
  };
  const inlineTable = (): TomlInline => {
    const open = i;
    const entries: TomlEntry[] = [];
    for (i++; i < n; ) {
      skipBlank();
      if (s[i] === '}') break;
      const before = i;
      if (s[i] === ',') i++;
      else entries.push(entryAt());
      if (i === before) i++;
    }
    const close = i;
    if (s[i] === '}') i++;
    return { open, close, entries };
  };
  const entryAt = (): TomlEntry => {
    skipWs();
    const keyStart = i;
    const k = key();
    if (s[i] === '=') i++;
    skipWs();
    const v = value();
    return { key: k.parts, keyStart, keyEnd: k.end, valueStart: v.start, valueEnd: v.end, ...(v.inline ? { inline: v.inline } : {}) };
  };
  const scalar = (): void => {
    const start = i;
    while (i < n && !SCALAR_END.includes(s[i]!)) i++;
    // A date-time may use a space between date and time: 1979-05-27 07:32:00Z
    if (/^\d{4}-\d{2}-\d{2}$/.test(s.slice(start, i)) && s[i] === ' ' && /^\d{2}:/.test(s.slice(i + 1, i + 4))) {
      for (i++; i < n && !SCALAR_END.includes(s[i]!); i++);
    }
  };

  while (i < n) {
    const lineStart = i;
    skipWs();
    if (i >= n || s[i] === '\n' || s[i] === '\r' || s[i] === '#') {
      skipToEol();
    } else if (s[i] === '[') {
      const array = s[i + 1] === '[';
      i += array ? 2 : 1;
      const k = key();
      skipToEol();
      statements.push({ kind: 'header', key: k.parts, array, lineStart, lineEnd: lineEndHere() });
    } else {
      const entry = entryAt();
      skipToEol();
      statements.push({ kind: 'kv', key: entry.key, array: false, lineStart, lineEnd: lineEndHere(), entry });
    }
    if (i < n) i++; // the '\n'
    if (i === lineStart) i++;
  }
  return statements;
}

function decodeKey(raw: string): string {
  try {
    return Object.keys(parse(`${raw} = 0`))[0] ?? raw;
  } catch {
    return raw.slice(1, -1);
  }
}
