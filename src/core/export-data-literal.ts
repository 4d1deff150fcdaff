// Whether an INSERT holds only literal data, as SurrealDB's export writes it: `INSERT [RELATION] [ {…}, … ]` whose
// values are objects, sets, arrays, strings (d'…' u'…' r'…' b"…"), numbers, durations, NONE/NULL/true/false/NaN/inf,
// record ids, ranges, regexes, geometry points and 2.x bytes (encoding::base64::decode("…")). Anything that would run
// when the import evaluates it — a subquery (…), a block {…}, a function call, a $param, a <cast>, an operator — is
// refused. Where this reading and SurrealDB's could differ, this one ends quoted text first and sees more as code.

// Tokens. Quoted text and comments are found by hand: a regex alternation inside * overflows the stack on the
// multi-megabyte strings a record can hold.
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
// Integers, floats, decimals and durations: 12, -1.5e-7f, 1.5dec, 1h30m, 1_000.
const NUMBER = /[+-]?\d[\w.µ]*(?:[eE][+-]\d\w*)?/y;
const PUNCT = /::|[[\]{}(),:;]/y;
const STRING_PREFIXES = 'rsdubf';

const LITERALS = new Set(['NONE', 'NULL', 'TRUE', 'FALSE', 'NAN', 'INF', 'INFINITY']);
// The one call a SurrealDB 2 export writes, for bytes.
const BYTES_CALL = ['encoding', '::', 'base64', '::', 'decode', '(', 'string', ')'];

type Kind = 'string' | 'ident' | 'number' | 'punct' | 'end';
interface Token {
  kind: Kind;
  text: string;
}

class Tokens {
  private at = 0;
  constructor(private readonly text: string) {}

  peek(): Token {
    const at = this.at;
    const token = this.next();
    this.at = at;
    return token;
  }

  /** Past whitespace and comments. */
  private skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text[this.at];
      if (c !== undefined && /\s/.test(c)) this.at++;
      else if ((c === '-' && text[this.at + 1] === '-') || (c === '/' && text[this.at + 1] === '/') || c === '#') {
        const end = text.indexOf('\n', this.at);
        this.at = end < 0 ? text.length : end + 1;
      } else if (c === '/' && text[this.at + 1] === '*') {
        const end = text.indexOf('*/', this.at + 2);
        this.at = end < 0 ? text.length : end + 2;
      } else return;
    }
  }

  /** The end (after the closing character) of quoted text opening at `start`, or -1 when it never closes. */
  private quotedEnd(start: number, close: string): number {
    for (let i = start + 1; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '\\') i++;
      else if (c === close) return i + 1;
    }
    return -1;
  }

  private take(kind: Kind, end: number): Token {
    const token = { kind, text: this.text.slice(this.at, end) };
    this.at = end;
    return token;
  }

  /** A regex literal here, or null; only where a value starts. 3.x writes them as /…/: read to the first '/' even after a backslash (the shortest reading). */
  regex(): string | null {
    this.skipSpace();
    if (this.text[this.at] !== '/') return null;
    const close = this.text.indexOf('/', this.at + 1);
    const newline = this.text.indexOf('\n', this.at + 1);
    if (close < 0 || (newline >= 0 && newline < close)) return null;
    return this.take('string', close + 1).text;
  }

  next(): Token {
    this.skipSpace();
    const text = this.text;
    const at = this.at;
    if (at >= text.length) return { kind: 'end', text: '' };
    const c = text[at]!;
    const quoteAt = STRING_PREFIXES.includes(c) && (text[at + 1] === "'" || text[at + 1] === '"') ? at + 1 : at;
    const quote = text[quoteAt]!;
    if (quote === "'" || quote === '"' || quote === '`' || quote === '⟨') {
      const end = this.quotedEnd(quoteAt, quote === '⟨' ? '⟩' : quote);
      // Unterminated: the rest as one token that no rule accepts.
      if (end < 0) return this.take('punct', text.length);
      return this.take(quote === '`' || quote === '⟨' ? 'ident' : 'string', end);
    }
    for (const [kind, re] of [['number', NUMBER], ['ident', WORD], ['punct', PUNCT]] as const) {
      re.lastIndex = at;
      if (re.test(text)) return this.take(kind, re.lastIndex);
    }
    // Something no literal holds (an operator, a '$', a '<'): reported as it stands.
    return this.take('punct', at + 1);
  }
}

const shown = (t: Token) => (t.kind === 'end' ? 'the end of the statement' : JSON.stringify(t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text));

/** Null when `text` is an INSERT of literal data as an export writes it; otherwise what is not. */
export function literalInsertProblem(text: string): string | null {
  const tokens = new Tokens(text);
  let t = tokens.next();
  if (t.text.toUpperCase() !== 'INSERT') return 'it is not an INSERT';
  t = tokens.next();
  if (t.kind === 'ident' && t.text.toUpperCase() === 'RELATION') t = tokens.next();
  if (t.text !== '[') return `INSERT is followed by ${shown(t)}, where an export writes the records as [ … ]`;
  // The open brackets: an array of values, or an object of key: value pairs.
  const stack: Array<'[' | '{'> = ['['];
  let expectValue = true; // else: a ',' or a closing bracket
  let mayClose = true; // an empty [] or {}, or after a trailing ','
  const closes = (top: '[' | '{', token: Token) => (top === '[' ? token.text === ']' : token.text === '}');
  for (;;) {
    t = expectValue ? valueToken(tokens) : tokens.next();
    const top = stack.at(-1);
    if (top === undefined) {
      if (t.text === ';') t = tokens.next();
      return t.kind === 'end' ? null : `${shown(t)} follows the records`;
    }
    if (!expectValue || (mayClose && closes(top, t))) {
      if (closes(top, t)) {
        stack.pop();
        expectValue = false;
        mayClose = false;
      } else if (t.text === ',' && !expectValue) {
        expectValue = true;
        mayClose = true;
      } else return `${shown(t)} where an export writes ',' or a closing bracket`;
      continue;
    }
    // In braces, `key: value` (an object) or a value alone (a 3.x set, {1, 2}).
    if (top === '{' && (t.kind === 'ident' || t.kind === 'string' || t.kind === 'number') && tokens.peek().text === ':') {
      tokens.next();
      t = valueToken(tokens);
    }
    const depth = stack.length;
    const problem = value(t, tokens, stack);
    if (problem) return problem;
    // A value that opened a bracket is read from inside it.
    expectValue = stack.length > depth;
    mayClose = expectValue;
  }
}

/** The next token where a value may start: there, a '/' opens a regex (read as one quoted token). */
function valueToken(tokens: Tokens): Token {
  const regex = tokens.regex();
  return regex === null ? tokens.next() : { kind: 'string', text: regex };
}

/**
 * Reads one value starting at `t`. A value that opens a bracket ('[', '{', or a record id's key of that form) pushes
 * it on `stack`; the caller goes on reading inside it.
 */
function value(t: Token, tokens: Tokens, stack: Array<'[' | '{'>): string | null {
  if (t.text === '[' || t.text === '{') {
    stack.push(t.text);
    return null;
  }
  if (t.kind === 'string' || t.kind === 'number') return null;
  if (t.text === '(') {
    // A geometry point, (x, y).
    const parts = [tokens.next(), tokens.next(), tokens.next(), tokens.next()];
    if (parts[0]!.kind === 'number' && parts[1]!.text === ',' && parts[2]!.kind === 'number' && parts[3]!.text === ')') return null;
    return `a parenthesis that is not a point (x, y): an export writes no subquery`;
  }
  if (t.text === '-' || t.text === '+') {
    const n = tokens.next();
    return n.kind === 'ident' && ['INF', 'INFINITY'].includes(n.text.toUpperCase()) ? null : `${shown(t)} before ${shown(n)}: an export writes no operators`;
  }
  if (t.kind !== 'ident') return `${shown(t)} where a value belongs: an export writes no such thing`;
  if (LITERALS.has(t.text.toUpperCase())) return null;
  const next = tokens.peek();
  if (next.text === ',' || next.text === '}' || next.text === ']') return null; // a bare word: a record key in a set, at most a field name
  tokens.next();
  if (next.text === '::' && t.text === 'encoding') {
    const call = [next, ...Array.from({ length: BYTES_CALL.length - 2 }, () => tokens.next())];
    const ok = call.every((c, i) => (BYTES_CALL[i + 1] === 'string' ? c.kind === 'string' : c.text === BYTES_CALL[i + 1]));
    return ok ? null : 'a function call: an export writes none but encoding::base64::decode("…")';
  }
  if (next.text === '::' || next.text === '(') return `a function call (${shown(t)}): an export writes none but encoding::base64::decode("…")`;
  if (next.text !== ':') return `${shown(t)} followed by ${shown(next)} where a value belongs: an export writes no expressions`;
  // A record id: table:key, the key a word, number, string, array or object.
  const key = tokens.next();
  if (key.text === '[' || key.text === '{') {
    stack.push(key.text);
    return null;
  }
  if (key.kind === 'ident' || key.kind === 'number' || key.kind === 'string') return null;
  return `${shown(key)} as the key of the record id ${t.text}:…`;
}
