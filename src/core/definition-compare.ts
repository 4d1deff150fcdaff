// Comparing definitions (INFO FOR DB / INFO FOR TABLE maps of kind → name → text) between source and target: after
// an optional normaliser (the documented 2→3 rewrites, each a named rule), and with secrets a server hides compared
// another way or reported as not compared — never counted as equal, never as different.
import { hidesSecrets, maskSecrets, passhashOf, REDACTED, secretsIn, type SecretKind } from './definition-secrets.js';

export type Definitions = Record<string, Record<string, string>>;

export interface DefinitionDifference {
  kind: string;
  name: string;
  problem: 'missing' | 'extra' | 'changed';
  source?: string;
  target?: string;
  /** What differs, when the texts alone do not show it (a hidden secret proven different elsewhere). */
  detail?: string;
}

/** A rule that made two texts comparable, how often it did, and where. */
export interface AppliedRule {
  rule: string;
  count: number;
  examples: string[];
}

export interface SecretCheck {
  kind: string;
  name: string;
  secret: SecretKind;
  /** proven: equal where the server does show it; not compared: the server shows it nowhere we can read. */
  outcome: 'proven' | 'not compared';
  how: string;
}

export interface Normalised {
  /** The text to compare; null when the rule says the definition does not exist on the other side by design. */
  text: string | null;
  rules: string[];
}

export interface DefinitionNormaliser {
  /** The name a definition is matched by on both sides (the majors key some kinds differently). */
  name?(kind: string, name: string): string;
  /** The rule to report when `name` matched two different keys. */
  nameRule?: string;
  /** `scope` is the table of a table-level definition, '' at database level. */
  source(kind: string, text: string, scope: string): Normalised;
  target(kind: string, text: string, scope: string): Normalised;
}

/** User definitions from each side's own export, by name (they carry the real PASSHASH that INFO may hide). */
export interface ExportedUsers {
  source?: Map<string, string>;
  target?: Map<string, string>;
}

const MAX_RULE_EXAMPLES = 5;

function squash(definition: string): string {
  return definition.replace(/\s+/g, ' ').trim();
}

export class DefinitionComparer {
  readonly differences: DefinitionDifference[] = [];
  readonly secrets: SecretCheck[] = [];
  /** Definitions looked at on either side, whatever the outcome. */
  compared = 0;
  private readonly applied = new Map<string, AppliedRule>();

  constructor(
    private readonly normaliser?: DefinitionNormaliser,
    private readonly exported: ExportedUsers = {},
  ) {}

  get rules(): AppliedRule[] {
    return [...this.applied.values()].sort((a, b) => a.rule.localeCompare(b.rule));
  }

  private note(rules: string[], label: string): void {
    for (const rule of rules) {
      const entry = this.applied.get(rule) ?? { rule, count: 0, examples: [] };
      entry.count += 1;
      if (entry.examples.length < MAX_RULE_EXAMPLES && !entry.examples.includes(label)) entry.examples.push(label);
      this.applied.set(rule, entry);
    }
  }

  private normalise(side: 'source' | 'target', kind: string, text: string, scope: string): Normalised {
    if (!this.normaliser) return { text: squash(text), rules: [] };
    const result = this.normaliser[side](kind, squash(text), scope);
    return { text: result.text === null ? null : squash(result.text), rules: result.rules };
  }

  /** name → original key, under the name both sides are matched by. */
  private keyed(kind: string, definitions: Record<string, string>): Map<string, string> {
    const keys = new Map<string, string>();
    for (const key of Object.keys(definitions)) keys.set(this.normaliser?.name?.(kind, key) ?? key, key);
    return keys;
  }

  /** Compares definition maps such as INFO FOR DB's {analyzers: {name: text}, …}. Kinds listed in `ignore` are skipped. */
  compare(source: Definitions, target: Definitions, scope: string, ignore: readonly string[] = []): void {
    const kinds = new Set([...Object.keys(source), ...Object.keys(target)]);
    for (const kind of [...kinds].sort()) {
      if (ignore.includes(kind)) continue;
      const a = source[kind] ?? {};
      const b = target[kind] ?? {};
      const aKeys = this.keyed(kind, a);
      const bKeys = this.keyed(kind, b);
      for (const name of [...new Set([...aKeys.keys(), ...bKeys.keys()])].sort()) {
        const aKey = aKeys.get(name);
        const bKey = bKeys.get(name);
        const label = scope ? `${scope}.${name}` : name;
        this.compared += 1;
        if (aKey !== undefined && bKey !== undefined && aKey !== bKey && this.normaliser?.nameRule) this.note([this.normaliser.nameRule], label);
        this.comparePair(kind, label, name, aKey === undefined ? undefined : a[aKey], bKey === undefined ? undefined : b[bKey], scope);
      }
    }
  }

  private comparePair(kind: string, label: string, name: string, sourceText: string | undefined, targetText: string | undefined, scope: string): void {
    const s = sourceText === undefined ? undefined : this.normalise('source', kind, sourceText, scope);
    const t = targetText === undefined ? undefined : this.normalise('target', kind, targetText, scope);
    const shown = (text: string | undefined) => (text === undefined ? undefined : maskSecrets(text));
    if (!t || t.text === null) {
      if (s && s.text !== null) this.differences.push({ kind, name: label, problem: 'missing', source: shown(sourceText) });
      else this.note([...(s?.rules ?? []), ...(t?.rules ?? [])], label);
      return;
    }
    if (!s || s.text === null) {
      if (s) this.note(s.rules, label);
      this.differences.push({ kind, name: label, problem: 'extra', target: shown(targetText) });
      return;
    }
    const hidden = hidesSecrets(s.text) || hidesSecrets(t.text);
    const same = hidden ? maskSecrets(s.text) === maskSecrets(t.text) : s.text === t.text;
    if (!same) {
      const onlySecrets = maskSecrets(s.text) === maskSecrets(t.text);
      this.differences.push({ kind, name: label, problem: 'changed', source: shown(sourceText), target: shown(targetText), ...(onlySecrets ? { detail: 'a secret differs (not shown)' } : {}) });
      return;
    }
    this.note([...s.rules, ...t.rules], label);
    if (hidden) this.checkSecrets(kind, label, name, s.text, t.text);
  }

  /** The masked texts agree; now each secret one side hid. */
  private checkSecrets(kind: string, label: string, name: string, sourceText: string, targetText: string): void {
    const fromSource = secretsIn(sourceText);
    const fromTarget = secretsIn(targetText);
    fromSource.forEach((secret, i) => {
      const other = fromTarget[i];
      if (!other || (secret.value !== REDACTED && other.value !== REDACTED)) {
        if (other && secret.value !== other.value) {
          this.differences.push({ kind, name: label, problem: 'changed', source: maskSecrets(sourceText), target: maskSecrets(targetText), detail: `the ${secret.kind} differs` });
        }
        return;
      }
      if (secret.kind === 'password hash' && kind === 'users') {
        const sourceHash = secret.value !== REDACTED ? secret.value : passhashOf(this.exported.source?.get(name) ?? '');
        const targetHash = other.value !== REDACTED ? other.value : passhashOf(this.exported.target?.get(name) ?? '');
        if (sourceHash !== undefined && targetHash !== undefined && sourceHash !== REDACTED && targetHash !== REDACTED) {
          if (sourceHash === targetHash) {
            this.addSecret({ kind, name: label, secret: secret.kind, outcome: 'proven', how: "equal in the export of the side whose INFO shows '[REDACTED]' (POST /export carries the real PASSHASH)" });
          } else {
            this.differences.push({ kind, name: label, problem: 'changed', source: maskSecrets(sourceText), target: maskSecrets(targetText), detail: 'the password hash differs (read from the export, since INFO hides it)' });
          }
          return;
        }
      }
      const who = secret.value === REDACTED && other.value === REDACTED ? 'both sides show' : secret.value === REDACTED ? 'the source shows' : 'the target shows';
      const exported = secret.kind === 'signing key' ? ' (SurrealDB 3 redacts it in its export too)' : ' and its export could not be read';
      this.addSecret({ kind, name: label, secret: secret.kind, outcome: 'not compared', how: `${who} it only as '${REDACTED}' in INFO${exported}; the rest of the definition was compared` });
    });
  }

  /** One entry per secret of a definition (an access's KEY and ISSUER KEY are one signing key). */
  private addSecret(check: SecretCheck): void {
    if (this.secrets.some((s) => s.kind === check.kind && s.name === check.name && s.secret === check.secret)) return;
    this.secrets.push(check);
  }
}
