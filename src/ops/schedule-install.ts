// Installs a backup schedule the user agreed to: into the user's crontab, or as systemd user units.
// The programs can be replaced (PATTERN_DB_CRONTAB, PATTERN_DB_SYSTEMCTL), e.g. by a test's recording script.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PatternDbError } from '../core/errors.js';
import { legacyUnitName, mergeCrontab, type CrontabChange, type ScheduledCommand } from './backup-schedule.js';

function programFailed(command: string, result: { exitCode?: number | undefined; stderr?: unknown; shortMessage?: string }, fix: string): PatternDbError {
  return new PatternDbError('E_NOT_WRITABLE', `${command} failed (exit ${result.exitCode ?? '?'}).`, {
    evidence: `${command}: ${String(result.stderr ?? '').trim() || result.shortMessage || ''}`.trim(),
    fix,
  });
}

/**
 * Adds (or updates) our line in the user's crontab; other lines stay exactly as they were. `earlier`: lines for the
 * same namespace/database marked the old way, which were left alone.
 */
export async function installCrontab(line: string, command: ScheduledCommand, env: NodeJS.ProcessEnv): Promise<{ change: CrontabChange; program: string; earlier: string[] }> {
  const program = env.PATTERN_DB_CRONTAB || 'crontab';
  const fix = `Install it by hand: run \`crontab -e\` and add the line shown above.`;
  const listed = await execa(program, ['-l'], { reject: false, env, stdin: 'ignore' });
  if ((listed as { code?: string }).code === 'ENOENT') {
    throw new PatternDbError('E_NOT_WRITABLE', `There is no ${program} program on this machine.`, { fix });
  }
  // `crontab -l` exits 1 with "no crontab for USER" when there is none yet.
  const none = listed.exitCode !== 0 && /no crontab/i.test(String(listed.stderr));
  if (listed.exitCode !== 0 && !none) throw programFailed(`${program} -l`, listed, fix);
  const existing = none ? '' : String(listed.stdout) + (String(listed.stdout) ? '\n' : '');
  const merged = mergeCrontab(existing, line, command);
  if (merged.change === 'unchanged') return { change: 'unchanged', program, earlier: merged.earlier };
  const written = await execa(program, ['-'], { reject: false, env, input: merged.text });
  if (written.exitCode !== 0) throw programFailed(`${program} -`, written, fix);
  return { change: merged.change, program, earlier: merged.earlier };
}

export function systemdUserDir(env: NodeJS.ProcessEnv): string {
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || os.homedir(), '.config');
  return path.join(config, 'systemd', 'user');
}

/** The timer file of an earlier schedule of the pair, named the old way (by namespace/database alone), if there is one. */
export async function legacyTimer(namespace: string, database: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const file = path.join(systemdUserDir(env), `${legacyUnitName(namespace, database)}.timer`);
  return (await fs.stat(file).then(() => true, () => false)) ? file : undefined;
}

/** Whether a systemd user manager answers here (a container, or a session without one, has none). */
export async function systemdUserAvailable(env: NodeJS.ProcessEnv): Promise<boolean> {
  const run = await execa(systemctlProgram(env), ['--user', 'show-environment'], { reject: false, env, stdin: 'ignore', timeout: 10_000 });
  return run.exitCode === 0;
}

export function systemctlProgram(env: NodeJS.ProcessEnv): string {
  return env.PATTERN_DB_SYSTEMCTL || 'systemctl';
}

/** Writes unit files (0644: systemd reads them; they never hold a secret) to ~/.config/systemd/user. */
export async function writeUserUnits(units: Array<{ file: string; text: string }>, env: NodeJS.ProcessEnv, fix: string): Promise<string[]> {
  const dir = systemdUserDir(env);
  try {
    await fs.mkdir(dir, { recursive: true });
    for (const unit of units) await fs.writeFile(path.join(dir, unit.file), unit.text, { mode: 0o644 });
  } catch (error) {
    throw new PatternDbError('E_NOT_WRITABLE', `Cannot write the systemd units to ${dir} (${(error as NodeJS.ErrnoException).code}).`, { fix, cause: error });
  }
  return units.map((unit) => path.join(dir, unit.file));
}

/** `systemctl --user ARGS…`; a missing program or a failure stops with `fix`. */
export async function systemctlUser(args: string[], env: NodeJS.ProcessEnv, fix: string): Promise<void> {
  const program = systemctlProgram(env);
  const run = await execa(program, ['--user', ...args], { reject: false, env, stdin: 'ignore' });
  if ((run as { code?: string }).code === 'ENOENT') throw new PatternDbError('E_NOT_WRITABLE', `There is no ${program} program on this machine.`, { fix });
  if (run.exitCode !== 0) throw programFailed(`${program} --user ${args.join(' ')}`, run, fix);
}

/** Writes NAME.service and NAME.timer to ~/.config/systemd/user, reloads, and enables the timer. */
export async function installSystemd(
  name: string,
  service: string,
  timer: string,
  env: NodeJS.ProcessEnv,
): Promise<{ serviceFile: string; timerFile: string; program: string }> {
  const [serviceFile, timerFile] = await writeUserUnits(
    [{ file: `${name}.service`, text: service }, { file: `${name}.timer`, text: timer }],
    env,
    'Copy the two units shown above there by hand, then run systemctl --user daemon-reload and enable the timer.',
  );
  const fix = `The units are in ${systemdUserDir(env)}. Run \`systemctl --user daemon-reload && systemctl --user enable --now ${name}.timer\` yourself (a user session with systemd is needed; \`loginctl enable-linger\` keeps it running after logout).`;
  await systemctlUser(['daemon-reload'], env, fix);
  await systemctlUser(['enable', '--now', `${name}.timer`], env, fix);
  return { serviceFile: serviceFile!, timerFile: timerFile!, program: systemctlProgram(env) };
}
