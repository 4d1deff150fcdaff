// Credentials hidden in text meant for people, logs and journals: the value of any password-, secret-, token- or
// key-like assignment (TOML, .env, also inside a diff or an excerpt with a line-number gutter) and SurrealQL's
// PASSWORD/PASSHASH literals (a server's parse error can quote the statement it refused).

export const MASK = '***';

const SECRET_NAME = /pass|secret|token|key|credential/i;

const KEY_PART = String.raw`(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')`;
const VALUE = [
  String.raw`"""[\s\S]*?(?:"""|$(?![\s\S]))`,
  String.raw`'''[\s\S]*?(?:'''|$(?![\s\S]))`,
  // A string left open (what a TOML parse error is often about) is masked to the end of its line.
  String.raw`"(?:[^"\\\n]|\\.)*(?:"|$)`,
  String.raw`'[^'\n]*(?:'|$)`,
  String.raw`[^\s,}\]#]+`,
].join('|');
// A key begins where a run of key characters does: tried from inside a run too, a long line (a 100 KB comment) took
// the scan 13 s, each start reading to the run's end.
const ASSIGNMENT = new RegExp(String.raw`(?<![A-Za-z0-9_-])(${KEY_PART}(?:[ \t]*\.[ \t]*${KEY_PART})*)([ \t]*=[ \t]*)(?![=>])(${VALUE})`, 'gm');
const SURQL_SECRET = /\b(PASSWORD|PASSHASH)(\s+)('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?)/gi;

/** The last part of a dotted key, without its quotes. */
function lastKeyPart(key: string): string {
  const parts = key.match(new RegExp(KEY_PART, 'g')) ?? [key];
  return parts[parts.length - 1]!.replace(/^["']|["']$/g, '');
}

/** `text` with every credential value replaced by *** (placeholders such as … stay as they are). */
export function maskCredentials(text: string): string {
  return text
    .replace(ASSIGNMENT, (whole, key: string, equals: string, value: string) =>
      SECRET_NAME.test(lastKeyPart(key)) && !isPlaceholder(value) ? `${key}${equals}${quoted(value, MASK)}` : whole,
    )
    .replace(SURQL_SECRET, (_whole, word: string, space: string, value: string) => `${word}${space}${quoted(value, MASK)}`);
}

/** Nothing to hide: empty, an ellipsis written instead of the secret, or a ${VAR} (which Pattern does not expand). */
function isPlaceholder(value: string): boolean {
  const inner = value.replace(/^("""|'''|"|')([\s\S]*?)\1$/, '$2');
  return inner === '' || inner === '…' || /^\$\{\w+\}$/.test(inner);
}

/** The mask in the value's own quotes, so the line still reads as what it was. */
function quoted(value: string, mask: string): string {
  if (value.startsWith('"""') || value.startsWith("'''")) return `${value.slice(0, 3)}${mask}${value.slice(0, 3)}`;
  if (value.startsWith('"') || value.startsWith("'")) return `${value[0]}${mask}${value[0]}`;
  return mask;
}
