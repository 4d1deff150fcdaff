// Points Pattern's [database] at the server: surgical rewrite, diff first, backup, atomic write.
import { rewriteDatabaseSection } from '../core/config-rewrite.js';
import { PatternDbError } from '../core/errors.js';
import { patternUrlFor, targetUrl } from '../core/options.js';
import { maskCredentials } from '../core/secret-mask.js';
import { unifiedDiff } from '../core/text-diff.js';
import { loadPatternConfig, locateConfig, writeConfigAtomically, writeEnvFile } from '../files/config-files.js';
import { pauseAt } from '../files/pause-at.js';
import { patternDotenvForWriting } from '../files/pattern-credentials.js';
import { httpBase } from '../surreal/http.js';
import { assertConfigCredentialsAccepted, configCredentials } from './config-credentials.js';
import type { ConfigResult } from './run-state.js';
import type { Step, StepContext } from './step.js';

/** Secrets go to a file only when the user says so; --yes alone never writes one. */
async function askWriteEnv(ctx: StepContext): Promise<boolean> {
  const answer = await ctx.prompter.choose(
    'How should Pattern get the server credentials?',
    [
      { label: 'From the environment: I will export SURREAL_USER and SURREAL_PASS myself', value: 'env' },
      { label: `Write them to ${await patternDotenvForWriting(ctx.options.cwd)} (mode 0600)`, value: 'dotenv' },
    ],
    '--write-env',
  );
  return answer === 'dotenv';
}

/** A config write that failed after the credentials were written: its message says the .env changed. */
function envWrittenBeside(error: unknown, envFile: string): unknown {
  if (!(error instanceof PatternDbError)) return error;
  return new PatternDbError(error.code, `${error.message} (The credentials were written to ${envFile} first; Pattern ignores them while it uses its embedded store.)`, {
    ...(error.evidence ? { evidence: error.evidence } : {}),
    ...(error.fix ? { fix: error.fix } : {}),
    cause: error,
  });
}

export const configStep: Step<ConfigResult> = {
  name: 'config',
  title: 'Point pattern.toml at the server',
  async run(ctx) {
    const { options, report, state } = ctx;
    const serverUrl = state.server?.url ?? targetUrl(options);
    if (!serverUrl) throw new PatternDbError('E_USAGE', 'No server URL to write: pass --target URL.');
    const url = patternUrlFor(serverUrl);
    // On its own (`config rewrite`), the step finds the config where Pattern does, as preflight would have.
    const configPath =
      state.preflight?.configPath ?? (await locateConfig(options.configPath, { cwd: options.cwd, env: process.env, home: process.env.HOME ?? '' }))?.path;
    if (!configPath) {
      report.diagnostic({
        level: 'warn',
        code: 'W_NO_CONFIG',
        message: 'No config to rewrite. Set [database] yourself:',
        fix: `type = "remote"\nurl = "${url}"\nnamespace = "${options.namespace}"\ndatabase = "${options.database}"`,
      });
      return { diff: '', written: false, url };
    }
    const { text, parsed } = await loadPatternConfig(configPath);
    const credentials = configCredentials(parsed);
    const rewrite = rewriteDatabaseSection(text, { url, namespace: options.namespace, database: options.database });
    for (const warning of rewrite.warnings) report.diagnostic({ level: 'warn', ...warning });
    // Shown, logged and journaled: the lines around [database] may hold a password, a token or an API key.
    const diff = maskCredentials(unifiedDiff(text, rewrite.text, configPath, `${configPath} (new)`));
    for (const line of diff.split('\n')) report.log(line);
    const result: ConfigResult = { configPath, diff, written: false, url };
    if (!rewrite.changed) {
      report.diagnostic({ level: 'info', code: 'I_CONFIG_CURRENT', message: `${configPath} already points at ${url}.` });
      return result;
    }
    if (options.dryRun) {
      report.diagnostic({ level: 'info', code: 'I_DRY_RUN', message: `Dry run: ${configPath} was not written.` });
      return result;
    }
    await assertConfigCredentialsAccepted(ctx, credentials, httpBase(serverUrl), configPath);
    const approved = options.yes || (await ctx.prompter.confirm(`Write these changes to ${configPath}?`, '--yes', diff));
    if (!approved) {
      report.diagnostic({ level: 'warn', code: 'W_CONFIG_DECLINED', message: `${configPath} was left as it was.` });
      return { ...result, declined: true };
    }
    // The credentials go first: a .env that cannot be written leaves the config as it was (Pattern is not pointed at a
    // server it could not sign in to), and the same run resumed once it can be writes both.
    const writeEnv = options.writeEnv || (ctx.prompter.interactive && !options.yes && Boolean(options.password) && (await askWriteEnv(ctx)));
    if (writeEnv && options.password) {
      // Pattern loads .env from the directory it runs from (or a parent): the same directory its store path is relative to.
      result.envFile = await writeEnvFile(options.cwd, { SURREAL_USER: options.username, SURREAL_PASS: options.password });
      report.diagnostic({ level: 'info', code: 'I_ENV_WRITTEN', message: `Wrote SURREAL_USER and SURREAL_PASS to ${result.envFile} (mode 0600).` });
    }
    // Pattern rewrites pattern.toml itself (agent create, config save): refuse if it changed since the diff was shown.
    const { backupPath } = await writeConfigAtomically(configPath, rewrite.text, {
      expectedText: text,
      afterBackup: () => pauseAt('config-backup', options.stateDir),
    }).catch((error: unknown) => {
      throw result.envFile ? envWrittenBeside(error, result.envFile) : error;
    });
    report.diagnostic({ level: 'info', code: 'I_CONFIG_WRITTEN', message: `Rewrote ${configPath}; the original is kept as ${backupPath}.` });
    result.written = true;
    result.backupPath = backupPath;
    // With both in [database], Pattern reads neither SURREAL_USER nor SURREAL_PASS.
    if (!result.envFile && (credentials.username === undefined || credentials.password === undefined)) {
      report.diagnostic({
        level: 'info',
        code: 'I_CREDENTIALS',
        message: 'Pattern reads the server credentials from SURREAL_USER and SURREAL_PASS (environment, or a .env in the directory it runs from).',
        // Only a run that knows the password can write it (tenant add --write-config does not).
        fix: `export SURREAL_USER=${options.username} SURREAL_PASS=…${options.password ? `  (or run again with --write-env to write ${await patternDotenvForWriting(options.cwd)})` : ''}`,
      });
    }
    return result;
  },
};
