// Splits a SurrealQL dump into statements as it streams in, in one pass and holding at most one statement.
import { PatternDbError } from './errors.js';
import { groupIsFull } from './insert-groups.js';

export type StatementKind = 'option' | 'define' | 'insert' | 'insert-relation' | 'other';

export interface Statement {
  /** The statement including its ';', without the comments and blank lines around it. */
  text: string;
  kind: StatementKind;
  /** DEFINE TABLE/FIELD/INDEX/EVENT: the table; INSERT: the table of the first record id. */
  table?: string;
  /** INSERT: the number of elements of its top-level array; 0 otherwise. */
  records: number;
  /** UTF-8 bytes of input consumed for this statement, including the comments and whitespace before it. */
  bytes: number;
  /** An INSERT longer than one group of records (core/insert-groups.ts): where it can be cut (core/insert-cuts.ts). */
  cuts?: InsertCuts;
}

/** Offsets in an INSERT's text: of its array's brackets, and of the commas that end a group of its records. */
export interface InsertCuts {
  open: number;
  close: number;
  /** `records`: how many of the statement's records come before the comma. */
  commas: Array<{ at: number; records: number }>;
}

// Lexer states.
const JUNK = 0; // between statements: whitespace, comments, empty statements
const CODE = 1;
const SQ = 2; // '…'
const DQ = 3; // "…"
const BT = 4; // `…`
const ANG = 5; // ⟨…⟩
const ESC = 6; // the character after a backslash inside one of the four above
const LINE = 7; // -- // # comment
const BLOCK = 8; // /* comment */
const STAR = 9; // a '*' inside a block comment
const SLASH = 10; // a '/' that may start a comment
const DASH = 11; // a '-' that may start a comment

// Progress through the first element of the INSERT array, to find its `id` and so its table.
const ID_WAIT = 0; // the first element has not started
const ID_KEYS = 1; // reading the keys of the first element
const ID_VALUE = 2; // inside the value of its `id` key
const ID_DONE = 3;

// Characters that change nothing inside a nested value; a '-' or '/' only when it cannot start a comment.
const PLAIN = new Uint8Array(128).fill(1);
for (const ch of '\'"`[](){}/-#') PLAIN[ch.charCodeAt(0)] = 0;
const PLAIN_RUN = /(?:[^'"`[\](){}/#⟨-]+|-(?=[^-])|\/(?=[^/*]))+/y;

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

export class SurqlScanner {
  // TextDecoder decodes a dump about twice as fast as StringDecoder (22-39 ms against 49-67 ms for 14 MB); the BOM is
  // kept as a character, as the byte counts need.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private carry = ''; // a high surrogate held back until its pair arrives
  private state = JUNK;
  private escFrom = SQ;
  private inStmt = false;
  private depth = 0;
  private arr = 0; // 0: before the first top-level '[', 1: inside it, 2: after it
  private elemOpen = false;
  private count = 0;
  private idPhase = ID_WAIT;
  private keyState = 0; // 0: key expected, 1: read 'i', 2: read 'id', 3: other key or value
  private capStart = -1;
  private capEnd = -1;
  private listOpen = -1;
  private listClose = -1;
  private commas: InsertCuts['commas'] | null = null;
  private groupStart = 0; // the offset and record count where the INSERT's current group of records began
  private groupCount = 0;
  private parts: string[] = [];
  private stmtLen = 0;
  private streamBytes = 0;
  private lastEnd = 0;
  private stmtStartBytes = 0;
  private openBytes = 0;

  /** Characters held for the statement in progress. */
  get buffered(): number {
    return this.stmtLen;
  }

  push(chunk: string | Uint8Array): Statement[] {
    const out: Statement[] = [];
    let s = this.carry + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    this.carry = '';
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.carry = s.slice(-1);
      s = s.slice(0, -1);
    }
    if (s.length > 0) this.scan(s, out);
    return out;
  }

  end(): Statement[] {
    const out: Statement[] = [];
    const rest = this.carry + this.decoder.decode();
    this.carry = '';
    if (rest.length > 0) this.scan(rest, out);
    const state = this.state;
    if (state >= SQ && state <= ESC) throw this.unterminated('string', this.openBytes);
    if (state === BLOCK || state === STAR) throw this.unterminated('block comment', this.openBytes);
    if (this.inStmt) throw this.unterminated('statement', this.stmtStartBytes);
    if (state === SLASH || state === DASH) throw this.unterminated('statement', this.streamBytes - 1);
    return out;
  }

  private unterminated(what: string, offset: number): PatternDbError {
    const head = this.parts.join('').slice(0, 80);
    return new PatternDbError('E_IMPORT', `The dump ends inside an unterminated ${what} that starts at byte ${offset}.`, {
      fix: 'The export is cut short or damaged. Export the store again.',
      ...(head ? { evidence: head } : {}),
    });
  }

  private scan(s: string, out: Statement[]): void {
    const n = s.length;
    const chunkStart = this.streamBytes;
    let bytes = chunkStart;
    let acct = 0; // characters of s already counted in bytes
    let state = this.state;
    let escFrom = this.escFrom;
    let inStmt = this.inStmt;
    let depth = this.depth;
    let arr = this.arr;
    let elemOpen = this.elemOpen;
    let count = this.count;
    let idPhase = this.idPhase;
    let keyState = this.keyState;
    let capStart = this.capStart;
    let capEnd = this.capEnd;
    let listOpen = this.listOpen;
    let listClose = this.listClose;
    let groupStart = this.groupStart;
    let groupCount = this.groupCount;
    let from = 0; // where the statement in progress starts in s
    let base = this.stmtLen; // statement-relative position of s[0]
    let stmtAt = -1; // where a statement started in s
    let openAt = -1; // where the open string or comment started in s
    let backslash = -2; // the next backslash in s at or after i, -1 if none, -2 if not looked for

    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      switch (state) {
        case CODE:
          if (depth > 2 || (depth === 2 && idPhase === ID_DONE)) {
            // Deep inside a value only quotes, brackets and comments matter: skip the rest natively.
            if (c < 128 ? PLAIN[c] === 1 || c === 0x2d || c === 0x2f : c !== 0x27e8) {
              PLAIN_RUN.lastIndex = i;
              if (PLAIN_RUN.test(s)) {
                i = PLAIN_RUN.lastIndex - 1;
                break;
              }
            }
          }
          switch (c) {
            case 0x20:
            case 0x0a:
            case 0x0d:
            case 0x09:
              break;
            case 0x27: // '
            case 0x22: // "
            case 0x60: // `
            case 0x27e8: // ⟨
              state = c === 0x27 ? SQ : c === 0x22 ? DQ : c === 0x60 ? BT : ANG;
              openAt = i;
              if (depth === 1) elemOpen = true;
              else if (idPhase === ID_KEYS && depth === 2) keyState = 3;
              break;
            case 0x5b: // [
            case 0x28: // (
            case 0x7b: // {
              if (depth === 0) {
                if (c === 0x5b && arr === 0) {
                  arr = 1;
                  count = 0;
                  elemOpen = false;
                  listOpen = groupStart = base + i;
                  groupCount = 0;
                }
              } else if (depth === 1) {
                elemOpen = true;
                if (c === 0x7b && arr === 1 && idPhase === ID_WAIT) {
                  idPhase = ID_KEYS;
                  keyState = 0;
                }
              } else if (idPhase === ID_KEYS && depth === 2) keyState = 3;
              depth++;
              break;
            case 0x5d: // ]
            case 0x29: // )
            case 0x7d: // }
              if (depth > 0) depth--;
              if (depth === 0) {
                if (arr === 1) {
                  if (elemOpen) count++;
                  arr = 2;
                  idPhase = ID_DONE;
                  listClose = base + i;
                  // A trailing comma that ended a group leaves nothing after it.
                  if (count === groupCount && this.commas?.at(-1)?.at === groupStart) this.commas.pop();
                }
              } else if (depth === 1 && (idPhase === ID_KEYS || idPhase === ID_VALUE)) {
                if (idPhase === ID_VALUE) capEnd = base + i;
                idPhase = ID_DONE;
              }
              break;
            case 0x2c: // ,
              if (depth === 1) {
                if (arr === 1) {
                  if (elemOpen) count++;
                  elemOpen = false;
                  idPhase = ID_DONE;
                  if (groupIsFull(count - groupCount, base + i - groupStart)) {
                    groupStart = base + i;
                    groupCount = count;
                    (this.commas ??= []).push({ at: groupStart, records: count });
                  }
                }
              } else if (depth === 2) {
                if (idPhase === ID_KEYS) keyState = 0;
                else if (idPhase === ID_VALUE) {
                  capEnd = base + i;
                  idPhase = ID_DONE;
                }
              }
              break;
            case 0x3a: // :
              if (depth === 1) elemOpen = true;
              else if (depth === 2) {
                if (idPhase === ID_KEYS) {
                  if (keyState === 2) {
                    idPhase = ID_VALUE;
                    capStart = base + i + 1;
                  } else keyState = 3;
                } else if (idPhase === ID_VALUE) {
                  capEnd = base + i;
                  idPhase = ID_DONE;
                }
              }
              break;
            case 0x3b: // ;
              if (depth === 0) {
                const piece = s.slice(from, i + 1);
                let text = piece;
                if (this.parts.length > 0) {
                  this.parts.push(piece);
                  text = this.parts.join('');
                  this.parts = [];
                }
                bytes += byteLength(s.slice(acct, i + 1));
                acct = i + 1;
                const cuts = this.commas?.length ? { open: listOpen, close: listClose, commas: this.commas } : undefined;
                out.push(describe(text, bytes - this.lastEnd, count, capStart, capEnd, cuts));
                this.commas = null;
                this.lastEnd = bytes;
                this.stmtLen = 0;
                inStmt = false;
                state = JUNK;
                arr = 0;
                elemOpen = false;
                count = 0;
                idPhase = ID_WAIT;
                keyState = 0;
                capStart = -1;
                capEnd = -1;
                listOpen = -1;
                listClose = -1;
              }
              break;
            case 0x2f: // /
              state = SLASH;
              break;
            case 0x2d: // -
              state = DASH;
              break;
            case 0x23: // #
              state = LINE;
              break;
            default:
              if (depth === 1) elemOpen = true;
              else if (idPhase === ID_KEYS && depth === 2) {
                if (keyState === 0 && c === 0x69) keyState = 1;
                else if (keyState === 1 && c === 0x64) keyState = 2;
                else keyState = 3;
              }
          }
          break;
        case SQ:
        case DQ:
        case BT:
        case ANG: {
          // Jump to the closing quote or the next backslash, whichever comes first.
          if (backslash !== -1 && backslash < i) backslash = s.indexOf('\\', i);
          let close = s.indexOf(state === SQ ? "'" : state === DQ ? '"' : state === BT ? '`' : '⟩', i);
          if (close === -1) close = n;
          if (backslash !== -1 && backslash < close) {
            escFrom = state;
            state = ESC;
            i = backslash;
          } else if (close < n) {
            state = CODE;
            i = close;
          } else i = n;
          break;
        }
        case ESC:
          state = escFrom;
          break;
        case JUNK:
          if (c <= 0x20 || c === 0x3b || c === 0xa0 || c === 0xfeff) break; // whitespace, controls, BOM, empty statements
          if (c === 0x2d) state = DASH;
          else if (c === 0x2f) state = SLASH;
          else if (c === 0x23) state = LINE;
          else {
            inStmt = true;
            from = i;
            base = -i;
            stmtAt = i;
            state = CODE;
            i--; // read it again as code
          }
          break;
        case LINE:
          if (c === 0x0a) state = inStmt ? CODE : JUNK;
          break;
        case BLOCK:
          if (c === 0x2a) state = STAR;
          break;
        case STAR:
          if (c === 0x2f) state = inStmt ? CODE : JUNK;
          else if (c !== 0x2a) state = BLOCK;
          break;
        case SLASH:
        case DASH: {
          const pending = state === DASH ? 0x2d : 0x2f;
          if (c === pending) {
            state = LINE;
            break;
          }
          if (pending === 0x2f && c === 0x2a) {
            state = BLOCK;
            openAt = i - 1;
            if (i === 0) this.openBytes = chunkStart - 1;
            break;
          }
          // The pending character was code, and may be the first of a statement.
          state = CODE;
          if (!inStmt) {
            inStmt = true;
            if (i > 0) {
              from = i - 1;
              base = 1 - i;
              stmtAt = i - 1;
            } else {
              this.parts.push(String.fromCharCode(pending));
              this.stmtLen = 1;
              from = 0;
              base = 1;
              this.stmtStartBytes = chunkStart - 1;
            }
          }
          if (depth === 1) elemOpen = true;
          else if (idPhase === ID_KEYS && depth === 2) keyState = 3;
          i--; // read the current character again as code
          break;
        }
      }
    }

    if (inStmt) {
      const piece = s.slice(from);
      this.parts.push(piece);
      this.stmtLen += piece.length;
      if (stmtAt >= 0) this.stmtStartBytes = chunkStart + byteLength(s.slice(0, stmtAt));
    }
    if (openAt >= 0 && ((state >= SQ && state <= ESC) || state === BLOCK || state === STAR)) {
      this.openBytes = chunkStart + byteLength(s.slice(0, openAt));
    }
    this.streamBytes = bytes + byteLength(acct === 0 ? s : s.slice(acct));
    this.state = state;
    this.escFrom = escFrom;
    this.inStmt = inStmt;
    this.depth = depth;
    this.arr = arr;
    this.elemOpen = elemOpen;
    this.count = count;
    this.idPhase = idPhase;
    this.keyState = keyState;
    this.capStart = capStart;
    this.capEnd = capEnd;
    this.listOpen = listOpen;
    this.listClose = listClose;
    this.groupStart = groupStart;
    this.groupCount = groupCount;
  }
}

/** The statements of a dump read as a stream of text or bytes. */
export async function* scanStatements(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): AsyncGenerator<Statement> {
  const scanner = new SurqlScanner();
  for await (const chunk of source) yield* scanner.push(chunk);
  yield* scanner.end();
}

function describe(text: string, bytes: number, count: number, capStart: number, capEnd: number, cuts: InsertCuts | undefined): Statement {
  const head = text.slice(0, 1024);
  const kind = kindOf(head);
  const insert = kind === 'insert' || kind === 'insert-relation';
  const statement: Statement = { text, kind, records: insert ? count : 0, bytes };
  const table = kind === 'define' ? definedOn(head) : insert ? insertedInto(text, head, capStart, capEnd) : undefined;
  if (table !== undefined) statement.table = table;
  if (insert && cuts && cuts.close > cuts.open) statement.cuts = cuts;
  return statement;
}

function kindOf(head: string): StatementKind {
  const word = /^[A-Za-z]+/.exec(head)?.[0].toUpperCase();
  if (word === 'OPTION') return 'option';
  if (word === 'DEFINE') return 'define';
  if (word === 'INSERT') return /^INSERT\s+RELATION\b/i.test(head) ? 'insert-relation' : 'insert';
  return 'other';
}

function definedOn(head: string): string | undefined {
  const tokens = headTokens(head, 12);
  const what = tokens[1]?.toUpperCase();
  let i = 2;
  if (tokens[i]?.toUpperCase() === 'OVERWRITE') i += 1;
  else if (tokens.slice(i, i + 3).join(' ').toUpperCase() === 'IF NOT EXISTS') i += 3;
  if (what === 'TABLE') return identOf(tokens[i]);
  if (what !== 'FIELD' && what !== 'INDEX' && what !== 'EVENT') return undefined;
  i += 1; // the name
  if (tokens[i]?.toUpperCase() !== 'ON') return undefined;
  i += 1;
  if (tokens[i]?.toUpperCase() === 'TABLE') i += 1;
  return identOf(tokens[i]);
}

function insertedInto(text: string, head: string, capStart: number, capEnd: number): string | undefined {
  if (capStart >= 0) {
    const raw = text.slice(capStart, capEnd >= capStart ? capEnd : capStart + 256).trim();
    // A record id written as a string, r"table:key".
    const quoted = /^r(["'])(.*)$/s.exec(raw);
    const table = identOf(quoted ? quoted[2] : raw);
    if (table !== undefined) return table;
  }
  const into = /^INSERT\s+(?:RELATION\s+)?(?:IGNORE\s+)?INTO\s+/i.exec(head);
  return into ? identOf(headTokens(head.slice(into[0].length), 1)[0]) : undefined;
}

/** Whitespace-separated words, keeping `…` and ⟨…⟩ whole. */
function headTokens(head: string, max: number): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (tokens.length < max) {
    while (i < head.length && /\s/.test(head[i]!)) i++;
    const start = i;
    let close = '';
    for (; i < head.length; i++) {
      const ch = head[i]!;
      if (close) {
        if (ch === '\\') i++;
        else if (ch === close) close = '';
      } else if (ch === '`') close = '`';
      else if (ch === '⟨') close = '⟩';
      else if (ch === ';' || /\s/.test(ch)) break;
    }
    if (i === start) break;
    tokens.push(head.slice(start, i));
  }
  return tokens;
}

/** The identifier a token starts with, without its escaping. */
function identOf(token: string | undefined): string | undefined {
  if (!token) return undefined;
  const close = token[0] === '`' ? '`' : token[0] === '⟨' ? '⟩' : '';
  if (!close) return /^[A-Za-z0-9_]+/.exec(token)?.[0];
  let name = '';
  for (let i = 1; i < token.length; i++) {
    const ch = token[i]!;
    if (ch === close) return name || undefined;
    if (ch === '\\' && i + 1 < token.length) i++;
    name += token[i];
  }
  return undefined;
}
