// SurrealDB 3.3 exports an access method's symmetric signing key as KEY '[REDACTED]', and refuses that text when it is
// loaded again ("names the redaction placeholder as its key"). For a record access, the key only signs the tokens the
// server issues itself: leaving the clause out lets the server make a new one (earlier tokens stop working). A JWT
// access verifies tokens someone else signs with that key, so without it the access cannot be restored.

const REDACTED_CLAUSE = /\s+WITH\s+JWT\s+ALGORITHM\s+(HS\d+)\s+KEY\s+'\[REDACTED\]'(?:\s+WITH\s+ISSUER\s+KEY\s+'\[REDACTED\]')?/i;
const ACCESS = /^DEFINE\s+ACCESS\s+(?:OVERWRITE\s+|IF\s+NOT\s+EXISTS\s+)?(\S+)\s+ON\s+(?:DATABASE|DB)\s+TYPE\s+(\w+)/i;

const redacted = (text: string) => text.includes("'[REDACTED]'");

/** A record access without its redacted HMAC key clause, so the server generates a new key; undefined otherwise. */
export function withoutRedactedRecordKey(text: string): string | undefined {
  const access = ACCESS.exec(text);
  if (!access || access[2]!.toUpperCase() !== 'RECORD' || !redacted(text)) return undefined;
  const stripped = text.replace(REDACTED_CLAUSE, '');
  return redacted(stripped) ? undefined : stripped;
}

/** Why an access in an archive cannot be restored (a key the export left out that nothing can replace), or null. */
export function unrestorableAccessKey(text: string): string | null {
  const access = ACCESS.exec(text);
  if (!access || !redacted(text) || withoutRedactedRecordKey(text) !== undefined) return null;
  return `the export holds access ${access[1]}'s key only as '[REDACTED]' (SurrealDB 3 leaves it out), and it cannot be made anew`;
}
