// Parses arguments, picks the command and the renderer. Exit codes are documented in the README.
import { Command, CommanderError, Option } from 'commander';
import { asPatternDbError, EXIT_CODES, exitCodeFor, PatternDbError } from './core/errors.js';
import { registerBackup } from './commands/backup.js';
import { runDemo } from './commands/demo.js';
import { registerDoctor } from './commands/doctor.js';
import { registerInspect } from './commands/inspect.js';
import type { Io } from './commands/command-runner.js';
import { execute } from './commands/execute.js';
import type { PlannedCommand } from './commands/plans.js';
import { registerRestore } from './commands/restore.js';
import { lookupRunCredentials } from './commands/credentials.js';
import { printable } from './core/printable.js';
import { assertNamesGiven, runOptionsFrom, type RunFlags } from './commands/run-options.js';
import { serverStart, serverStatus, serverStop } from './commands/server.js';
import { serverInstall } from './commands/server-install.js';
import { registerTenant } from './commands/tenant.js';
import { registerUser } from './commands/user.js';
import { isInteractive } from './commands/terminal.js';
import { formatError } from './render/plain.js';
import { jsonRenderer } from './render/json.js';
import { resultEvent } from './render/result.js';
import { DEFAULTS, SKIPPABLE_CHECKS } from './core/options.js';
import { packageVersion } from './files/package-version.js';
import { USERNAME_HELP, JSON_EVENTS_HELP } from './commands/flag-help.js';

/** The plain and JSON output: text from a server or a file in it cannot drive the terminal (core/printable.ts). */
function printableOutput(stream: NodeJS.WriteStream): NodeJS.WritableStream {
  const write = (chunk: unknown, ...rest: unknown[]) => (stream.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? printable(chunk) : chunk, ...rest);
  return { write } as unknown as NodeJS.WritableStream;
}
const io: Io = { stdout: printableOutput(process.stdout), stderr: printableOutput(process.stderr), env: process.env };

function addRunFlags(command: Command): Command {
  return command
    .option('--config <file>', "Pattern config (default: Pattern's own search order)")
    .option('--source <dir>', "embedded store (default: the config's [database].path)")
    .option('--target <url>', 'existing server, http(s):// or ws(s)://')
    .option('--start-server <storage>', 'start a managed server on memory | surrealkv://DIR')
    .option('--bind <host:port>', 'address for --start-server', '127.0.0.1:8000')
    .addOption(new Option('--target-version <major>', "SurrealDB major to land in: 2 stays, 3 upgrades (default: the server's, else the store's)").choices(['2', '3']))
    .option('--namespace <ns>', 'namespace', 'pattern')
    .option('--database <db>', 'database', 'pattern')
    .option('--username <user>', USERNAME_HELP)
    .option('--export-file <file>', 'where the export is written', './pattern_export.surql')
    .addOption(new Option('--driver <driver>', 'auto: export with surreal, import over HTTP; cli: surreal export and import; sdk: in-process').choices(['auto', 'cli', 'sdk']).default('auto'))
    .option('--state-dir <dir>', 'journal, snapshots and managed-server files', DEFAULTS.stateDir)
    .option('--yes', 'answer yes to confirmations (never writes a secret)')
    .option('--json', JSON_EVENTS_HELP)
    .option('--dry-run', 'check and show the plan and the config diff; write nothing')
    .option('--resume', 'continue the run that stopped, from its first unfinished step')
    .option('--write-env', 'write SURREAL_USER/SURREAL_PASS to a .env (mode 0600) where Pattern reads it')
    .option('--skip-check <code...>', `skip a prerequisite check where that is safe (${Object.keys(SKIPPABLE_CHECKS).join(', ')})`)
    .option('--verbose', 'show the surreal program\'s own log lines');
}

async function runPlanned(name: PlannedCommand, flags: RunFlags & { json?: boolean; verbose?: boolean }): Promise<number> {
  const options = runOptionsFrom(flags, process.cwd());
  const credentials = await lookupRunCredentials({ cwd: options.cwd, env: process.env, ...(options.configPath ? { configPath: options.configPath } : {}), ...(flags.username ? { username: flags.username } : {}) });
  options.username = credentials.username;
  options.usernameFrom = credentials.usernameFrom;
  if (credentials.password !== undefined) {
    options.password = credentials.password;
    if (credentials.passwordFrom) options.passwordFrom = credentials.passwordFrom;
  }
  const interactive = isInteractive() && !flags.json;
  // On a terminal the migration is a guided wizard; --yes, --json and --dry-run mean a script is driving.
  // Ink is loaded only for the wizard: a scripted run starts without it.
  if (name === 'migrate' && interactive && !flags.yes && !flags.dryRun) return (await import('./commands/wizard.js')).runWizard(options);
  return execute({ command: name, options, json: Boolean(flags.json), verbose: Boolean(flags.verbose), io });
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('pattern-db')
    .description("Move a Pattern installation's SurrealDB from its embedded store to a SurrealDB server, and keep it healthy.")
    .version(packageVersion(), '-V, --version', 'print the version of pattern-db')
    .exitOverride()
    .showHelpAfterError()
    .hook('preAction', (_program, action) => assertNamesGiven(action.opts()));
  const planned: Array<[PlannedCommand, string]> = [
    ['migrate', 'preflight, export, (server), import, verify, then point the config at the server'],
    ['preflight', 'check config, store, surreal, disk and target; change nothing'],
    ['export', 'dump the embedded store to a file'],
    ['import', 'load an export file into the target over HTTP'],
    ['verify', 'compare source and target: definitions, counts and every record'],
  ];
  for (const [name, description] of planned) {
    addRunFlags(program.command(name).description(description)).action(async (flags) => setExit(await runPlanned(name, flags)));
  }
  const config = program.command('config').description("Pattern's config");
  addRunFlags(config.command('rewrite').description('point [database] at the server (diff, backup, atomic write)')).action(
    async (flags) => setExit(await runPlanned('config', flags)),
  );
  const server = program.command('server').description('a managed SurrealDB server in the background');
  server
    .command('start')
    .description('start `surreal start` in the background; ready when /health answers')
    .option('--storage <storage>', 'memory | surrealkv://DIR', 'memory')
    .addOption(new Option('--major <major>', 'SurrealDB major version to run').choices(['2', '3']).default('3'))
    .option('--bind <host:port>', 'address', '127.0.0.1:8000')
    .option('--username <user>', 'root user (password from SURREAL_PASS)')
    .option('--state-dir <dir>', 'where the pid, state and log live', DEFAULTS.stateDir)
    .option('--json', 'JSON output')
    .action(async (flags) => setExit(await serverStart(flags, io)));
  server
    .command('stop')
    .option('--state-dir <dir>', 'state dir of the server', DEFAULTS.stateDir)
    .option('--json', 'JSON output')
    .action(async (flags) => setExit(await serverStop(flags, io)));
  server
    .command('status')
    .option('--state-dir <dir>', 'state dir of the server', DEFAULTS.stateDir)
    .option('--json', 'JSON output')
    .action(async (flags) => setExit(await serverStatus(flags, io)));
  server
    .command('install')
    .description('make the managed server a systemd user service that starts again after a reboot (asks first)')
    .option('--state-dir <dir>', 'state dir of the server', DEFAULTS.stateDir)
    .option('--yes', 'install without asking')
    .option('--print', 'only show what it would do')
    .option('--json', 'JSON output')
    .action(async (flags) => setExit(await serverInstall(flags, io)));
  program
    .command('demo')
    .description('set up a demo Pattern folder (pattern.toml and a generated store)')
    .option('--dir <dir>', 'where to put it', 'pattern-demo')
    .option('--messages <n>', 'messages to generate', '2000')
    .option('--seed <n>', 'seed', '1')
    .option('--engine <2|3>', 'SurrealDB major that writes the store: 2 as in every Pattern installation (needs a surreal 2.x), or 3', '2')
    .action(async (flags) => setExit(await runDemo(flags, io)));
  registerDoctor(program, setExit, io);
  registerInspect(program, setExit, io);
  registerBackup(program, setExit, io);
  registerRestore(program, setExit, io);
  registerTenant(program, setExit, io);
  registerUser(program, setExit, io);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  const args = argv.slice(2);
  try {
    await program.parseAsync(args.length ? argv : [...argv, 'migrate']);
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return EXIT_CODES.ok;
    // Commander has said what is wrong on stderr already; --json still gets its result line.
    if (error instanceof CommanderError && !args.includes('--json')) return EXIT_CODES.usage;
    const failure =
      error instanceof CommanderError
        ? new PatternDbError('E_USAGE', error.message.replace(/^error: /, ''), { fix: `See pattern-db ${commandNamed(program, args)} --help.` })
        : asPatternDbError(error);
    const result = { command: commandNamed(program, args), exitCode: exitCodeFor(failure), error: failure };
    // --json promises a result line whatever happens, also for a failure no command's runner caught.
    if (args.includes('--json')) jsonRenderer(process.stdout, result.command)(resultEvent(result));
    else process.stderr.write(formatError(failure));
    return result.exitCode;
  }
  return exitCode;
}

/** The command the arguments name, as its JSON lines call it ('backup schedule'); a bare run is a migrate. */
function commandNamed(program: Command, args: string[]): string {
  const names: string[] = [];
  let at = program;
  for (const arg of args.filter((a) => !a.startsWith('-'))) {
    const sub = at.commands.find((c) => c.name() === arg);
    if (!sub) break;
    names.push(sub.name());
    at = sub;
  }
  return names.join(' ') || 'migrate';
}
