// `pattern-db tenant add NAME` and `pattern-db tenant list`.
import path from 'node:path';
import type { Command } from 'commander';
import { PatternDbError } from '../core/errors.js';
import { loadPatternConfig } from '../files/config-files.js';
import { DEFAULTS, type RunOptions } from '../core/options.js';
import { addTenant, listTenants, planTenant, ROOT_ONLY_NOTE, type Isolation } from '../ops/tenant.js';
import { runSteps } from '../runner.js';
import { configStep } from '../steps/config.js';
import { runCommand, type CommandContext, type Io } from './command-runner.js';
import { resolveServer, stateDirOf, type OpsFlags } from './ops-common.js';
import { USERNAME_HELP, JSON_EVENTS_HELP } from './flag-help.js';

interface TenantFlags extends OpsFlags {
  isolation?: string;
  writeConfig?: string;
}

/** Points another instance's config at the tenant with the migration's own config step: diff, confirm, backup, atomic write. */
async function writeTenantConfig(file: string, url: string, username: string, namespace: string, database: string, flags: TenantFlags, ctx: CommandContext) {
  const options: RunOptions = {
    ...DEFAULTS,
    cwd: ctx.cwd,
    configPath: path.resolve(ctx.cwd, file),
    target: url,
    namespace,
    database,
    username,
    exportFile: path.resolve(ctx.cwd, DEFAULTS.exportFile),
    stateDir: stateDirOf(flags, ctx.cwd),
    yes: Boolean(flags.yes),
    dryRun: false,
    resume: false,
    writeEnv: false,
  };
  const state = await runSteps({ steps: [configStep], options, emit: ctx.emit, signal: ctx.signal, prompter: ctx.prompter });
  return state.config!;
}

export async function tenantAddCommand(name: string, flags: TenantFlags, ctx: CommandContext) {
  const server = await resolveServer({ ...flags, namespace: undefined, database: undefined }, ctx);
  const plan = planTenant(server.url, name, (flags.isolation ?? 'namespace') as Isolation, flags.namespace ?? 'pattern');
  if (flags.writeConfig) {
    // Settle the config question before the server changes: it must be readable, and a yes must be possible.
    await loadPatternConfig(path.resolve(ctx.cwd, flags.writeConfig));
    if (!flags.yes && !ctx.prompter.interactive) {
      throw new PatternDbError('E_NEEDS_INPUT', `Writing ${flags.writeConfig} needs a yes after the diff, and there is no terminal to ask on; nothing was changed.`, {
        fix: 'Pass --yes to write the config, or leave out --write-config and copy the [database] settings yourself.',
      });
    }
  }
  await addTenant(server, plan);
  const lines = [
    plan.isolation === 'namespace'
      ? `Defined namespace ${plan.namespace} with database ${plan.database} on ${server.url}.`
      : `Defined database ${plan.database} in namespace ${plan.namespace} on ${server.url}.`,
    `The new instance's pattern.toml gets:`,
    '',
    ...plan.databaseBlock.split('\n'),
    '',
    `Its credentials: SURREAL_USER and SURREAL_PASS in its environment or its .env (never in pattern.toml).`,
    `Isolation: ${ROOT_ONLY_NOTE}`,
  ];
  const data: Record<string, unknown> = { tenant: { ...plan, url: server.url }, isolationNote: ROOT_ONLY_NOTE };
  if (flags.writeConfig) {
    const config = await writeTenantConfig(flags.writeConfig, server.url, server.username, plan.namespace, plan.database, flags, ctx);
    data.config = config;
    lines.push(config.written ? `Config:   ${config.configPath} now points at ${plan.namespace}/${plan.database}; the original is kept as ${config.backupPath}.` : `Config:   ${config.configPath} was not changed.`);
  }
  return { data, lines };
}

export async function tenantListCommand(flags: TenantFlags, ctx: CommandContext) {
  const server = await resolveServer(flags, ctx);
  const { databases, emptyNamespaces } = await listTenants(server);
  const width = Math.max(20, ...databases.map((d) => `${d.namespace}/${d.database}`.length));
  const lines = [
    `Server: ${server.url}`,
    `${'namespace/database'.padEnd(width)}  ${'tables'.padStart(6)}  ${'records'.padStart(9)}`,
    ...databases.map((d) => `${`${d.namespace}/${d.database}`.padEnd(width)}  ${String(d.tables).padStart(6)}  ${String(d.records).padStart(9)}`),
    ...emptyNamespaces.map((ns) => `${`${ns}/`.padEnd(width)}  (no databases)`),
    `Isolation: ${ROOT_ONLY_NOTE}`,
  ];
  return { data: { url: server.url, databases, emptyNamespaces, isolationNote: ROOT_ONLY_NOTE }, lines };
}

function serverFlags(command: Command): Command {
  return command
    .option('--config <file>', "Pattern config: its remote [database] names the server")
    .option('--target <url>', 'the server, http(s):// or ws(s)://')
    .option('--username <user>', USERNAME_HELP)
    .option('--json', JSON_EVENTS_HELP)
    .option('--verbose', 'more detail');
}

export function registerTenant(program: Command, setExit: (code: number) => void, io: Io): void {
  const tenant = program.command('tenant').description('Pattern instances sharing one server: one namespace or one database each');
  serverFlags(
    tenant
      .command('add')
      .description('define the namespace or database for a new Pattern instance and print its [database] settings')
      .argument('<name>', 'the tenant: a namespace (isolation namespace) or a database (isolation database)')
      .option('--isolation <kind>', 'namespace (its own namespace, database "pattern") or database (a database in --namespace)', 'namespace')
      .option('--namespace <ns>', 'the shared namespace for --isolation database', 'pattern')
      .option('--write-config <file>', "point that instance's pattern.toml at the tenant (diff, backup, atomic write)")
      .option('--state-dir <dir>', 'state folder', DEFAULTS.stateDir)
      .option('--yes', 'write the config without asking'),
  ).action(async (name: string, flags: TenantFlags) => setExit(await runCommand(io, 'tenant add', flags, (ctx) => tenantAddCommand(name, flags, ctx))));
  serverFlags(tenant.command('list').description('the namespaces and databases on the server, with their tables and records')).action(
    async (flags: TenantFlags) => setExit(await runCommand(io, 'tenant list', flags, (ctx) => tenantListCommand(flags, ctx))),
  );
}
