// Pattern's `[database]` as Pattern itself deserialises it (serde, tag = "type", snake_case variants).
// zod's functional build: the bundle keeps what is used, where the chained API brought 750 KB that every command
// compiled at start.
import * as z from 'zod/mini';

export interface ConfigWarning {
  /** Stable code, e.g. W_PLACEHOLDER. */
  code: string;
  message: string;
  fix: string;
}

const embedded = z.object({
  type: z.literal('embedded'),
  path: z._default(z.string(), './pattern.db'),
  // Parsed by Pattern but never used anywhere in its code.
  strict_mode: z._default(z.boolean(), false),
});

const remote = z.object({
  type: z.literal('remote'),
  url: z.string(),
  username: z.optional(z.string()),
  password: z.optional(z.string()),
  namespace: z.string(),
  database: z.string(),
});

/** z.object strips unknown keys, matching serde without deny_unknown_fields. */
export const databaseConfigSchema = z.discriminatedUnion('type', [embedded, remote]);

export type PatternDatabaseConfig = z.infer<typeof databaseConfigSchema>;

export const DEFAULT_DATABASE_CONFIG: PatternDatabaseConfig = {
  type: 'embedded',
  path: './pattern.db',
  strict_mode: false,
};

export type DatabaseConfigResult =
  | { ok: true; config: PatternDatabaseConfig; warnings: ConfigWarning[] }
  | { ok: false; problems: string[] };

const VARIANTS = ['embedded', 'remote'] as const;
const EXPECTED: Record<string, string> = { string: 'a string', boolean: 'a boolean' };

/** Pattern has no `${VAR}` expansion: such text reaches SurrealDB literally. */
export function hasPlaceholder(value: string): boolean {
  return value.includes('${');
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** serde's `Unexpected` wording, so problems read like Pattern's own error. */
function describe(value: unknown): string {
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return `boolean \`${value}\``;
  if (typeof value === 'bigint') return `integer \`${value}\``;
  if (typeof value === 'number') return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  if (Array.isArray(value)) return 'sequence';
  if (value instanceof Date) return 'datetime';
  return 'map';
}

export function readDatabaseConfig(parsed: Record<string, unknown>): DatabaseConfigResult {
  const raw = parsed['database'];
  if (raw === undefined) return { ok: true, config: { ...DEFAULT_DATABASE_CONFIG }, warnings: [] };
  if (!isTable(raw)) {
    return { ok: false, problems: [`invalid type: ${describe(raw)}, expected internally tagged enum DatabaseConfig`] };
  }
  const tag = raw['type'];
  if (tag === undefined) return { ok: false, problems: ['missing field `type`'] };
  if (typeof tag !== 'string') return { ok: false, problems: [`invalid type: ${describe(tag)}, expected variant identifier`] };
  if (!(VARIANTS as readonly string[]).includes(tag)) {
    return { ok: false, problems: [`unknown variant \`${tag}\`, expected \`embedded\` or \`remote\``] };
  }
  const result = databaseConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? 'type');
      const value = raw[field];
      if (value === undefined) return `missing field \`${field}\``;
      const expected = issue.code === 'invalid_type' ? (EXPECTED[issue.expected] ?? issue.expected) : 'a valid value';
      return `invalid type: ${describe(value)}, expected ${expected}`;
    });
    return { ok: false, problems };
  }
  return { ok: true, config: result.data, warnings: databaseWarnings(raw, result.data) };
}

function databaseWarnings(raw: Record<string, unknown>, config: PatternDatabaseConfig): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string' || !hasPlaceholder(value)) continue;
    warnings.push({
      code: 'W_PLACEHOLDER',
      message: `database.${key} is ${JSON.stringify(value)}. Pattern does not expand \${VAR}: it uses this text literally.`,
      fix:
        key === 'username' || key === 'password'
          ? `Remove ${key} from [database] and set ${key === 'username' ? 'SURREAL_USER' : 'SURREAL_PASS'} in the environment or .env; Pattern reads it only when the key is absent.`
          : `Write the real value of database.${key} into the config.`,
    });
  }
  if (typeof raw['password'] === 'string' && !hasPlaceholder(raw['password'])) {
    warnings.push({
      code: 'W_SECRET_IN_CONFIG',
      message:
        'The database password is stored in plain text in the config (and `pattern-cli config show` prints it). While it is there, Pattern ignores SURREAL_PASS.',
      fix: 'Remove username and password from [database] and put SURREAL_USER / SURREAL_PASS in .env (mode 0600) instead.',
    });
  }
  if (config.type === 'embedded' && config.path === '') {
    warnings.push({
      code: 'W_IN_MEMORY_STORE',
      message: 'database.path is empty, so Pattern uses an in-memory database: nothing is stored on disk to migrate.',
      fix: 'Set database.path to the folder of the store you want to migrate.',
    });
  }
  return warnings;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** Dotted key paths (arrays as `[i]`) of every string value in the file that contains `${`. */
export function findPlaceholders(parsed: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (value: unknown, at: string): void => {
    if (typeof value === 'string') {
      if (hasPlaceholder(value)) found.push(at);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${at}[${index}]`));
    } else if (isTable(value)) {
      for (const [key, item] of Object.entries(value)) {
        const segment = BARE_KEY.test(key) ? key : JSON.stringify(key);
        walk(item, at ? `${at}.${segment}` : segment);
      }
    }
  };
  walk(parsed, '');
  return found;
}
