// `pattern-db user create [NAME]`: Pattern's own server user, EDITOR at root level, with a generated password.
import type { Command } from 'commander';
import { PatternDbError } from '../core/errors.js';
import { loadPatternConfig, writeEnvFile } from '../files/config-files.js';
import { patternDotenvForWriting } from '../files/pattern-credentials.js';
import { APP_ROLE, createAppUser, ROLE_REASON } from '../ops/app-user.js';
import { runCommand, type CommandContext, type Io } from './command-runner.js';
import { resolveServer, type OpsFlags } from './ops-common.js';
import { usernameSourceText } from './credentials.js';
import { JSON_EVENTS_HELP } from './flag-help.js';

export const DEFAULT_APP_USER = 'pattern_app';

interface UserFlags extends OpsFlags {
  replace?: boolean;
  writeEnv?: boolean;
}

/**
 * The generated password goes to a terminal or to .env, never to a pipe or --json (CI logs keep those). Without a
 * terminal, --write-env is required, checked before anything is created.
 */
async function assertPasswordHasAPlace(flags: UserFlags, ctx: CommandContext): Promise<void> {
  if (flags.writeEnv || ctx.prompter.interactive) return;
  throw new PatternDbError('E_NEEDS_INPUT', 'The new user\'s password would be shown only on a terminal, and there is none (or --json was given); no user was created.', {
    fix: `Pass --write-env to write SURREAL_USER/SURREAL_PASS to ${await patternDotenvForWriting(ctx.cwd)} (mode 0600), where Pattern reads them, or run it on a terminal without --json.`,
  });
}

export async function userCreateCommand(name: string | undefined, flags: UserFlags, ctx: CommandContext) {
  await assertPasswordHasAPlace(flags, ctx);
  const server = await resolveServer(flags, ctx);
  const usernameFrom = await usernameSourceText(server.usernameSource, { cwd: ctx.cwd, configPath: server.configPath });
  const user = await createAppUser({ url: server.url, username: server.username, usernameFrom, password: server.password, name: name ?? DEFAULT_APP_USER, replace: Boolean(flags.replace) });
  const envPath = await patternDotenvForWriting(ctx.cwd);
  // A secret goes to a file only when the user says so: --write-env, or yes on a terminal (--yes alone never writes it).
  const writeEnv = flags.writeEnv || (ctx.prompter.interactive && (await ctx.prompter.confirm(`Write SURREAL_USER=${user.name} and its password to ${envPath} (mode 0600), where Pattern reads them?`, '--write-env')));
  const envFile = writeEnv ? await writeEnvFile(ctx.cwd, { SURREAL_USER: user.name, SURREAL_PASS: user.password }) : undefined;
  if (server.configPath) {
    const config = await loadPatternConfig(server.configPath).catch(() => null);
    if (config?.database.type === 'remote' && (config.database.username !== undefined || config.database.password !== undefined)) {
      ctx.emit({
        type: 'diagnostic',
        level: 'warn',
        code: 'W_CONFIG_CREDENTIALS',
        message: `${server.configPath} sets [database] username/password; Pattern uses those before SURREAL_USER/SURREAL_PASS.`,
        fix: 'Remove username and password from [database] so Pattern takes the new user from the environment or .env.',
      });
    }
  }
  const lines = [
    `${user.replaced ? 'Replaced' : 'Created'} root-level user ${user.name} with the ${APP_ROLE} role on ${server.url}; it signs in.`,
    `Why ${APP_ROLE.toLowerCase()} and not owner: ${ROLE_REASON}`,
    ...(envFile
      ? [`Wrote SURREAL_USER=${user.name} and SURREAL_PASS to ${envFile} (mode 0600); the password is shown nowhere else.`]
      : [
          'The password is shown this once and stored nowhere; put these where Pattern reads them (its environment, or .env beside it):',
          `SURREAL_USER=${user.name}`,
          `SURREAL_PASS=${user.password}`,
        ]),
  ];
  const data: Record<string, unknown> = {
    user: { name: user.name, role: user.role, level: 'root', replaced: user.replaced, url: server.url },
    ...(envFile ? { envFile } : {}),
    why: ROLE_REASON,
  };
  return { data, lines };
}

export function registerUser(program: Command, setExit: (code: number) => void, io: Io): void {
  const user = program.command('user').description("Pattern's own server user");
  user
    .command('create')
    .description('define a root-level EDITOR user for Pattern with a generated password (shown once on a terminal, else written with --write-env)')
    .argument('[name]', 'the new user', DEFAULT_APP_USER)
    .option('--config <file>', "Pattern config: its remote [database] names the server")
    .option('--target <url>', 'the server, http(s):// or ws(s)://')
    .option('--username <user>', "an OWNER at root level who creates it (default: Pattern's user from the config, SURREAL_USER or .env, else root); the password from the same places or a prompt")
    .option('--replace', 'give an existing user of that name a new password and the EDITOR role')
    .option('--write-env', 'write SURREAL_USER/SURREAL_PASS of the new user to ./.env (mode 0600), where Pattern reads them; required without a terminal')
    .option('--yes', 'answer yes to confirmations (never writes a secret)')
    .option('--json', JSON_EVENTS_HELP)
    .option('--verbose', 'more detail')
    .action(async (name: string | undefined, flags: UserFlags) => setExit(await runCommand(io, 'user create', flags, (ctx) => userCreateCommand(name, flags, ctx))));
}
