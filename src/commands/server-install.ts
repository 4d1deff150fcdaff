// `pattern-db server install`: the managed server as a systemd user service that starts again after a reboot, or
// (without systemd, e.g. in a container) the line that starts it the same way. It shows what it would do first and
// changes nothing before a yes (a terminal answer, or --yes).
import path from 'node:path';
import { EXIT_CODES, PatternDbError } from '../core/errors.js';
import { DEFAULTS } from '../core/options.js';
import { isMemoryStorage } from '../core/memory-storage.js';
import { serverStartCommand } from '../core/server-start-command.js';
import { systemdUserAvailable, systemdUserDir } from '../ops/schedule-install.js';
import { installServerService, writeServerEnvFile } from '../ops/server-install.js';
import { serverStartLine, serverUnit, serverUnitName, type ServerServiceSpec } from '../ops/server-service.js';
import { locateSurreal, probeSurreal, surrealEnv } from '../surreal/cli.js';
import { SurrealHttp } from '../surreal/http.js';
import { readServiceRecord } from '../surreal/server-service-record.js';
import { managedServerLaunch, managedServerStatus, type ManagedServerState } from '../surreal/server.js';
import { runCommand, type CommandContext, type CommandReport, type Io } from './command-runner.js';
import { lookupRunCredentials } from './credentials.js';

export interface ServerInstallFlags {
  stateDir?: string;
  yes?: boolean;
  print?: boolean;
  json?: boolean;
}

export function serverInstall(flags: ServerInstallFlags, io: Io): Promise<number> {
  return runCommand(io, 'server install', flags, (ctx) => installCommand(flags, ctx));
}

function majorOf(version: string): number | undefined {
  const major = Number(version.split('.')[0]);
  return major === 2 || major === 3 ? major : undefined;
}

/** The surreal the managed server runs: as recorded when it started, else one of its major found as usual. */
async function surrealOf(state: ManagedServerState, env: NodeJS.ProcessEnv): Promise<string> {
  const major = majorOf(state.version);
  for (const candidate of [state.bin, state.identity?.exe]) {
    if (!candidate || !path.isAbsolute(candidate)) continue;
    const program = await probeSurreal(candidate).catch(() => null);
    if (program && (major === undefined || program.major === major)) return candidate;
  }
  const located = await locateSurreal(env, major ? { major } : {});
  if (located) return located.path;
  throw new PatternDbError('E_SURREAL_MISSING', `The surreal program the server runs (SurrealDB ${state.version}) was not found.`, {
    fix: major === 2 ? 'Set SURREAL2_BIN to the surreal 2.x the server was started with.' : 'Set SURREAL_BIN to the surreal the server was started with.',
  });
}

function notRunning(stateDir: string, state: ManagedServerState | undefined): PatternDbError {
  if (!state) {
    return new PatternDbError('E_SERVER_NOT_RUNNING', `No managed server is recorded in ${stateDir}.`, {
      fix: 'Pass --state-dir of the folder the server was started from (`pattern-db server status --state-dir DIR`), or start one with `pattern-db server start --storage surrealkv://DIR`.',
    });
  }
  return new PatternDbError('E_SERVER_NOT_RUNNING', `The managed server of ${stateDir} (${state.url}, ${state.storage}) is not running: after a reboot nothing starts it again.`, {
    fix: `Start it again: ${serverStartCommand(state, stateDir)}; then run this again.`,
  });
}

/** The server's root credentials: found where Pattern finds them, else asked for; either way proven by a sign-in. */
async function serverCredentials(state: ManagedServerState, ctx: CommandContext): Promise<{ username: string; password: string }> {
  const username = state.username;
  const http = new SurrealHttp({ url: state.url, timeoutMs: 5_000 });
  const found = await lookupRunCredentials({ cwd: ctx.cwd, env: ctx.io.env, username });
  if (found.password && (await http.signin({ username, password: found.password }))) return { username, password: found.password };
  const why = found.password
    ? `The password found for ${username} (SURREAL_PASS, the config or .env) does not sign in to ${state.url}.`
    : `No password for ${username} was found (SURREAL_PASS, the config or .env); the server's state keeps none.`;
  const fix = `Set SURREAL_PASS to the password ${username} was given when the server was started, then run this again.`;
  if (!ctx.prompter.interactive) throw new PatternDbError(found.password ? 'E_AUTH' : 'E_NEEDS_INPUT', why, { fix });
  ctx.io.stderr.write(`${why}\n`);
  const password = await ctx.prompter.password(`Password for ${username} on ${state.url}:`, 'SURREAL_PASS');
  if (!password || !(await http.signin({ username, password }))) {
    throw new PatternDbError('E_AUTH', `The server refused that password for ${username}; nothing was written.`, { fix });
  }
  return { username, password };
}

async function installCommand(flags: ServerInstallFlags, ctx: CommandContext): Promise<CommandReport> {
  const stateDir = path.resolve(ctx.cwd, flags.stateDir ?? DEFAULTS.stateDir);
  const env = ctx.io.env;
  const status = await managedServerStatus(stateDir);
  if (!status.running || !status.state) {
    const record = await readServiceRecord(stateDir);
    if (record) {
      return {
        data: { install: { ...record, installed: true } },
        summary: `Already installed: ${record.unit} serves ${record.url} (${record.unitFile}). Check it with: systemctl --user status ${record.unit}`,
      };
    }
    throw notRunning(stateDir, status.state);
  }
  const state = status.state;
  if (!status.healthy) {
    throw new PatternDbError('E_SERVER_NOT_RUNNING', `The managed server (pid ${state.pid}) does not answer ${state.url}/health, so its password cannot be checked.`, {
      evidence: `log: ${state.logFile}`,
      fix: `Read its log; restart it (pattern-db server stop --state-dir ${stateDir}, then server start), then run this again.`,
    });
  }
  if (isMemoryStorage(state.storage)) {
    // A service would bring it back empty after every reboot, and Pattern would meet an empty database.
    throw new PatternDbError('E_USAGE', `The managed server keeps its data in memory: a service would start it again empty after every reboot, and Pattern would find its data gone.`, {
      fix: 'Move the data to a server with storage first (`pattern-db migrate --start-server surrealkv://DIR --bind HOST:PORT`, on another port), then install that one.',
    });
  }
  const launch = managedServerLaunch(state.bind, state.storage);
  const envFile = path.join(stateDir, 'server.env');
  const spec: ServerServiceSpec = {
    bin: await surrealOf(state, env),
    args: launch.args,
    settings: { ...(surrealEnv({}, {}) as Record<string, string>), ...launch.settings },
    envFile,
    bind: state.bind,
    storage: state.storage,
  };
  const systemd = await systemdUserAvailable(env);
  const unitName = serverUnitName(state.bind);
  const service = `${unitName}.service`;
  const unitFile = path.join(systemdUserDir(env), service);
  const unit = systemd ? serverUnit(spec) : undefined;
  const line = systemd ? undefined : serverStartLine(spec);
  const plan = [
    `Managed server: ${state.url} (pid ${state.pid}, SurrealDB ${state.version}, ${state.storage})`,
    'It runs in the background: a reboot or logout stops it, and nothing starts it again.',
    '',
    ...(unit
      ? [
          `# ${unitFile}`,
          ...unit.trimEnd().split('\n'),
          '',
          `Credentials: written on install to ${envFile} (mode 0600), SURREAL_USER=${state.username} and SURREAL_PASS; never in the unit or a command line.`,
          `Switch-over: stop the background server, start ${service} on ${state.bind}, wait until it answers and signs in; if it does not, the background server is started again.`,
        ]
      : [
          'No systemd user manager answers here (`systemctl --user` failed): a container, or a session without systemd.',
          "Start the server with this line instead, from a container's entrypoint or a process supervisor:",
          `  ${line}`,
          `Credentials: written on install to ${envFile} (mode 0600), SURREAL_USER=${state.username} and SURREAL_PASS for it; never on a command line.`,
          `Stop the background server first (pattern-db server stop --state-dir ${stateDir}): both cannot listen on ${state.bind}.`,
        ]),
  ];
  const data: Record<string, unknown> = { kind: systemd ? 'systemd' : 'line', url: state.url, storage: state.storage, envFile, ...(unit ? { unit: service, unitFile, unitText: unit } : { line }), installed: false };
  // The plan is read before the question, on the terminal; with --json it is in the result.
  if (!ctx.json) ctx.io.stdout.write(`${plan.join('\n')}\n\n`);
  if (flags.print) return { data: { install: data }, summary: 'Not installed (--print): nothing was written.' };
  if (!flags.yes && !ctx.prompter.interactive) {
    throw new PatternDbError('E_NEEDS_INPUT', 'Not installed: there is no terminal to ask on, and nothing was written.', {
      fix: 'Run it again with --yes to install it (or --print to only show it).',
    });
  }
  const credentials = await serverCredentials(state, ctx);
  const question = unit ? `Install ${service} and switch the server over to it?` : `Write ${envFile} (mode 0600) for this line?`;
  if (!flags.yes && !(await ctx.prompter.confirm(question, '--yes'))) {
    return { exitCode: EXIT_CODES.failed, data: { install: data }, summary: 'Not installed (answered no): nothing was written.' };
  }
  if (!unit) {
    await writeServerEnvFile(envFile, credentials);
    return { data: { install: { ...data, installed: true } }, summary: `Wrote ${envFile} (mode 0600). Start the server with the line above; the background server runs until then.` };
  }
  const done = await installServerService({ stateDir, state, bin: spec.bin, unitName, unit, envFile, credentials, env });
  return {
    data: { install: { ...data, installed: true } },
    lines: [
      ...done.lines,
      `Check it with: systemctl --user status ${service}`,
      `It starts when you log in; to start it at boot and keep it after logout: loginctl enable-linger ${env.USER ?? '$USER'}`,
    ],
    summary: `Installed ${service}: the server now starts again after a reboot.`,
  };
}
