// A config whose [database] sets username or password: Pattern signs in with those before SURREAL_USER/SURREAL_PASS
// (reference/pattern-facts.md §1.4), and the rewrite keeps them. Before [database] is pointed at the server, the server
// must accept what Pattern will send, or Pattern would be left pointed at a server it cannot sign in to.
import { PatternDbError } from '../core/errors.js';
import { SurrealHttp } from '../surreal/http.js';
import type { StepContext } from './step.js';

/** The username and password [database] sets, as written (an embedded [database] keeps them for later, unread). */
export function configCredentials(parsed: Record<string, unknown>): { username?: string; password?: string } {
  const database = parsed['database'];
  if (typeof database !== 'object' || database === null) return {};
  const { username, password } = database as Record<string, unknown>;
  return { ...(typeof username === 'string' ? { username } : {}), ...(typeof password === 'string' ? { password } : {}) };
}

/** What Pattern will sign in with, and where each part comes from: [database] first, else what this run signed in with. */
function patternSignIn(database: { username?: string; password?: string }, ctx: StepContext): { username: string; password: string; from: string[] } | undefined {
  const { username, password } = ctx.options;
  const fromConfig = (['username', 'password'] as const).filter((key) => database[key] !== undefined);
  if (!fromConfig.length || password === undefined) return undefined;
  return {
    username: database.username ?? username,
    password: database.password ?? password,
    from: fromConfig,
  };
}

/**
 * Refuses (E_AUTH) before the config is written when the server would refuse the credentials [database] makes Pattern
 * use; says so when it accepts them. Nothing to check when [database] sets neither.
 */
export async function assertConfigCredentialsAccepted(ctx: StepContext, database: { username?: string; password?: string }, serverUrl: string, configPath: string): Promise<void> {
  const signIn = patternSignIn(database, ctx);
  if (!signIn) return;
  const keys = signIn.from.join(' and ');
  const http = new SurrealHttp({ url: serverUrl });
  const evidence = `POST ${http.base}/signin as ${signIn.username} (${signIn.from.map((key) => `${key} from [database]`).join(', ')}${signIn.from.length < 2 ? ', the rest as this run signed in' : ''})`;
  if (!(await http.signin({ username: signIn.username, password: signIn.password }))) {
    throw new PatternDbError('E_AUTH', `Pattern signs in with the ${keys} in [database] of ${configPath}, before SURREAL_USER/SURREAL_PASS, and the server refuses them: ${configPath} was left as it was.`, {
      evidence: `${evidence} → 401`,
      fix: `Remove ${keys} from [database] (Pattern then reads SURREAL_USER and SURREAL_PASS; --write-env writes them to .env), or set ${signIn.from.length > 1 ? 'them' : 'it'} to what the server accepts; then run the same command with --resume.`,
    });
  }
  ctx.report.diagnostic({ level: 'info', code: 'I_CONFIG_CREDENTIALS', message: `Pattern signs in with the ${keys} in [database]: the server accepts them (${signIn.username}).` });
}
