// The warnings `surreal export --v3` (SurrealDB 2.6+) prints about what SurrealDB 3 may not take as it is. A warning
// is a log line, `Export for version 3 encountered issue: <error>`, then maybe a snippet of the statement over several
// lines; its fields `issue="<kind>" severity="<severity>"` end the last of them.

export interface V3Issue {
  message: string;
  kind?: string;
  /** SurrealDB's own words: unlikely_break, can_break, will_break, resolution. */
  severity?: string;
  /** The statement it is about, as surreal points at it. */
  location?: string;
}

const ANSI = /\u001b\[[0-9;]*m/g;
const START = /Export for version 3 encountered issue:\s*(.*)$/;
const FIELDS = /^(.*?)\s*issue=("[^"]*"|\S+)\s+severity=("[^"]*"|\S+)\s*$/;
const bare = (text: string): string => text.replace(/^"|"$/g, '');

export class V3IssueReader {
  readonly issues: V3Issue[] = [];
  private open: { message: string; location: string[] } | undefined;

  /** Feeds one line of surreal's output (either stream). */
  line(raw: string): void {
    const text = raw.replace(ANSI, '');
    const start = START.exec(text);
    if (start) {
      this.flush();
      this.open = { message: start[1]!, location: [] };
      this.ended(this.open.message, (before) => (this.open!.message = before));
      return;
    }
    if (!this.open) return;
    this.ended(text, (before) => this.open!.location.push(before)) || this.open.location.push(text);
  }

  /** Closes a warning whose fields never came (its process ended). */
  flush(): void {
    if (!this.open) return;
    this.issues.push({ message: this.open.message.trim(), ...this.locationOf(this.open.location) });
    this.open = undefined;
  }

  /** When `text` ends with the fields, keeps what comes before them and closes the warning. */
  private ended(text: string, keep: (before: string) => void): boolean {
    const fields = FIELDS.exec(text);
    if (!fields || !this.open) return false;
    keep(fields[1]!);
    const { message, location } = this.open;
    this.issues.push({ message: message.trim(), kind: bare(fields[2]!), severity: bare(fields[3]!), ...this.locationOf(location) });
    this.open = undefined;
    return true;
  }

  private locationOf(lines: string[]): { location?: string } {
    const text = lines.join('\n').trimEnd();
    return text ? { location: text } : {};
  }
}
