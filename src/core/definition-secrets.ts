// Secrets inside definitions: user password hashes (PASSHASH), SCRAM verifiers (PASSSCRAM) and access signing keys
// (KEY). Servers hide some of them: SurrealDB 3.3.5's INFO shows every user's hash as PASSHASH '[REDACTED]', and
// INFO of 2.6.5 and 3.x (and the export of 3.x) show symmetric access keys as KEY '[REDACTED]'. A hidden secret is
// neither equal nor different: it is compared another way, or reported as not compared.
import type { InspectValue } from './inspect-types.js';

export const REDACTED = '[REDACTED]';

export type SecretKind = 'password hash' | 'SCRAM verifier' | 'signing key';

const CLAUSES: Array<{ word: string; kind: SecretKind }> = [
  { word: 'PASSHASH', kind: 'password hash' },
  { word: 'PASSSCRAM', kind: 'SCRAM verifier' },
  { word: 'KEY', kind: 'signing key' },
];

const quotedAfter = (word: string) => new RegExp(`\\b${word} (?:'((?:[^'\\\\]|\\\\.)*)'|"((?:[^"\\\\]|\\\\.)*)")`, 'g');

/** The secrets a definition shows, by kind, as written (REDACTED when the server hid one). */
export function secretsIn(definition: string): Array<{ kind: SecretKind; value: string }> {
  const found: Array<{ kind: SecretKind; value: string }> = [];
  for (const { word, kind } of CLAUSES) {
    for (const m of definition.matchAll(quotedAfter(word))) found.push({ kind, value: m[1] ?? m[2] ?? '' });
  }
  return found;
}

/** The definition with every secret replaced by one placeholder: what remains can be compared and shown. */
export function maskSecrets(definition: string): string {
  let masked = definition;
  for (const { word } of CLAUSES) masked = masked.replace(quotedAfter(word), `${word} '…'`);
  return masked;
}

/** Whether the server hid any secret of this definition. */
export function hidesSecrets(definition: string): boolean {
  return secretsIn(definition).some((s) => s.value === REDACTED);
}

/** The user's password hash as written in a `DEFINE USER` statement. */
export function passhashOf(definition: string): string | undefined {
  return secretsIn(definition).find((s) => s.kind === 'password hash')?.value;
}

/** `DEFINE USER name ON DATABASE …` statements of an export, by user name. */
export function definedUsers(exportText: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const m of exportText.matchAll(/^DEFINE USER (?:OVERWRITE |IF NOT EXISTS )?(`(?:[^`\\]|\\.)*`|⟨(?:[^⟩\\]|\\.)*⟩|[^\s]+) ON DATABASE [^\n]*/gm)) {
    const raw = m[1]!;
    const name = /^[`⟨]/.test(raw) ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    users.set(name, m[0].replace(/;\s*$/, ''));
  }
  return users;
}

/**
 * Password hashes, passwords, SCRAM verifiers (PASSSCRAM, SurrealDB 3.1+) and signing keys never reach the screen or
 * a --json document, even when the server shows them as '[REDACTED]' already (3.3+).
 */
export function hideSecrets(definition: string): string {
  return definition.replace(/\b(PASSHASH|PASSSCRAM|PASSWORD|KEY)(\s+)(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/gi, "$1$2'<hidden>'");
}

/**
 * A console answer with every definition in it (INFO FOR ROOT/NS/DB/TABLE, as SurrealDB 2 sends them, hashes and
 * all) passed through hideSecrets; other strings are the user's data, shown as they are.
 */
export function hideSecretsIn(value: InspectValue): InspectValue {
  if (value.type === 'array') return { type: 'array', items: value.items.map(hideSecretsIn) };
  if (value.type === 'object') return { type: 'object', fields: value.fields.map(([name, field]) => [name, hideSecretsIn(field)]) };
  return value.type === 'string' && /^\s*DEFINE\s/i.test(value.text) ? { ...value, text: hideSecrets(value.text) } : value;
}

