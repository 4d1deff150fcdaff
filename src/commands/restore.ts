// `pattern-db restore FILE`.
import type { Command } from 'commander';
import { runRestore } from '../ops/restore.js';
import { runCommand, type CommandContext, type Io } from './command-runner.js';
import { seconds } from '../core/seconds-text.js';
import { resolveServer, stateDirOf, type OpsFlags } from './ops-common.js';
import { DEFAULTS } from '../core/options.js';
import { USERNAME_HELP, JSON_EVENTS_HELP } from './flag-help.js';

interface RestoreFlags extends OpsFlags {
  replace?: boolean;
  resume?: boolean;
  checksum?: boolean;
}

export async function restoreCommand(file: string, flags: RestoreFlags, ctx: CommandContext) {
  const server = await resolveServer(flags, ctx);
  const result = await runRestore({
    file,
    url: server.url,
    username: server.username,
    password: server.password,
    namespace: server.namespace,
    database: server.database,
    replace: Boolean(flags.replace),
    resume: Boolean(flags.resume),
    yes: Boolean(flags.yes),
    requireChecksum: flags.checksum !== false,
    cwd: ctx.cwd,
    stateDir: stateDirOf(flags, ctx.cwd),
  }, ctx);
  const lines = [
    `Restored: ${result.file}`,
    ...(result.backup ? [`Backup of: ${result.backup.namespace}/${result.backup.database} from ${result.backup.source}, taken ${result.backup.takenAt}`] : []),
    `Into:     ${result.url} ${result.namespace}/${result.database}${result.replaced ? ' (replaced what was there)' : ''}`,
    `Records:  ${result.records} in ${result.tables} tables; every table's count matches the backup`,
    `Defined:  ${result.definitions} definitions (tables, fields, indexes, users, …), as in the backup`,
    `Time:     ${seconds(result.ms)}`,
  ];
  return { data: { restore: result }, lines };
}

export function registerRestore(program: Command, setExit: (code: number) => void, io: Io): void {
  program
    .command('restore')
    .description('load a backup into a namespace/database (empty, or --replace), then check the counts against the backup')
    .argument('<file>', 'a backup made by pattern-db backup (.surql.gz with its .sha256 beside it)')
    .option('--config <file>', "Pattern config: its remote [database] is the default target")
    .option('--target <url>', 'the server, http(s):// or ws(s)://')
    .option('--username <user>', USERNAME_HELP)
    .option('--namespace <ns>', "namespace to restore into (default: the config's, or pattern)")
    .option('--database <db>', "database to restore into (default: the config's, or pattern)")
    .option('--replace', 'delete what the target database holds first (asks unless --yes)')
    .option('--resume', 'finish a restore that stopped part-way (killed, Ctrl-C, server gone), from its last loaded chunk')
    .option('--no-checksum', 'restore a file that has no .sha256 beside it')
    .option('--state-dir <dir>', "where the restore's journal and the decompressed file are kept while it loads (in restore/)", DEFAULTS.stateDir)
    .option('--yes', 'answer yes to confirmations')
    .option('--json', JSON_EVENTS_HELP)
    .option('--verbose', 'more detail')
    .action(async (file: string, flags: RestoreFlags) => setExit(await runCommand(io, 'restore', flags, (ctx) => restoreCommand(file, flags, ctx))));
}
