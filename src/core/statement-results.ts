// Reads SurrealDB's JSON answer to /import or /sql ([{"result":…,"status":"OK"|"ERR",…}, …]) as it arrives, keeping
// only each statement's status and, for failures, the server's text. A 2.x server answers an import with every
// statement's result (all the inserted records), so the answer is never held whole.

export interface StatementFailure {
  index: number;
  message: string;
}

const MAX_KEPT = 4_000;

export class StatementResultScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** At depth 2: whether the next string is a key (after `{` or `,`). */
  private expectKey = false;
  private key = '';
  private keyText = '';
  /** The key whose value is being read at depth 2, or '' between values. */
  private valueOf = '';
  private value = '';
  private status = '';
  private result = '';
  private index = 0;
  private started = false;
  /** Whether the answer opened as a list (an error object is not one). */
  private list = false;
  readonly failures: StatementFailure[] = [];

  get statements(): number {
    return this.index;
  }

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) this.step(text[i]!);
  }

  private keep(char: string): void {
    if (this.valueOf && this.value.length < MAX_KEPT) this.value += char;
  }

  private step(char: string): void {
    if (this.inString) {
      if (this.depth === 2 && this.expectKey && !this.valueOf) this.keyText += char;
      else this.keep(char);
      if (this.escaped) this.escaped = false;
      else if (char === '\\') this.escaped = true;
      else if (char === '"') {
        this.inString = false;
        if (this.depth === 2 && this.expectKey && !this.valueOf) {
          this.key = this.keyText.slice(0, -1);
          this.keyText = '';
        }
      }
      return;
    }
    if (char === ' ' || char === '\n' || char === '\r' || char === '\t') return;
    if (char === '"') {
      this.inString = true;
      if (!(this.depth === 2 && this.expectKey && !this.valueOf)) this.keep(char);
      return;
    }
    if (char === '[' || char === '{') {
      this.depth += 1;
      if (this.depth === 1 && !this.started) {
        this.started = true;
        this.list = char === '[';
      }
      if (this.depth === 2) this.expectKey = true;
      else this.keep(char);
      return;
    }
    if (char === ']' || char === '}') {
      if (this.depth === 2) {
        this.endValue();
        this.endStatement();
      } else if (this.depth > 2) this.keep(char);
      this.depth -= 1;
      return;
    }
    if (this.depth !== 2) {
      this.keep(char);
      return;
    }
    if (char === ':') {
      this.valueOf = this.key;
      this.value = '';
      this.expectKey = false;
    } else if (char === ',') {
      this.endValue();
      this.expectKey = true;
    } else this.keep(char);
  }

  private endValue(): void {
    if (this.valueOf === 'status') this.status = parseText(this.value);
    if (this.valueOf === 'result') this.result = this.value;
    this.valueOf = '';
    this.value = '';
  }

  private endStatement(): void {
    if (this.status !== 'OK') this.failures.push({ index: this.index, message: parseText(this.result) || `status ${this.status || '(none)'}` });
    this.index += 1;
    this.status = '';
    this.result = '';
    this.expectKey = false;
  }

  /** Whether what arrived was a whole JSON array (a cut answer is not). */
  get complete(): boolean {
    return this.started && this.list && this.depth === 0 && !this.inString;
  }
}

/** A JSON string's text; other JSON as written (cut answers stay readable). */
function parseText(raw: string): string {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'string' ? parsed : raw;
  } catch {
    return raw;
  }
}
