// What the run's snapshot holds: the database moved is there and not empty, what else the store holds, and the
// records of each of its tables. Taken by the preflight when it must show them before anything runs (the wizard's
// welcome screen, --dry-run, the preflight command), else by the export while its own process reads the store.
import { PatternDbError } from '../core/errors.js';
import { openSourceStore, storeMajor, type SourceStore } from '../surreal/source-store.js';
import { storeDamagedError, type StoreDamage } from '../surreal/store-log-damage.js';
import { programOf } from './programs.js';
import { failUnlessSkipped } from './skippable-check.js';
import type { PreflightResult, SourceCensus } from './run-state.js';
import type { StepContext } from './step.js';

/**
 * Opens the snapshot with whatever reads its format. A store whose log SurrealDB cut short on this open is refused
 * (E_STORE_DAMAGED), unless the user skips that check: the run then keeps what was dropped (`pre.storeDamage`) for the
 * verification's verdict.
 */
export async function openSnapshot(ctx: StepContext, pre: PreflightResult, signal = ctx.signal): Promise<SourceStore> {
  if (!pre.snapshot || !pre.store) throw new PatternDbError('E_INTERNAL', 'No store snapshot to read.');
  const selection = { namespace: ctx.options.namespace, database: ctx.options.database };
  const store = await openSourceStore(pre.snapshot, pre.store.format, selection, programOf(pre, storeMajor(pre.store.format) ?? 3), signal);
  if (store.damage) {
    const damaged = storeDamagedError(store.damage, pre.storePath ?? pre.snapshot, damagedStoreNext(store.damage));
    try {
      failUnlessSkipped(ctx, damaged);
    } catch (error) {
      await store.close();
      throw error;
    }
    pre.storeDamage = store.damage;
  }
  return store;
}

/** --resume: the export step journals before it reads the store; a run with nothing to resume starts afresh. */
const damagedStoreNext = (damage: StoreDamage): string =>
  `To move what SurrealDB ${damage.major} can read of it, as Pattern would, run the same command again with --resume --skip-check E_STORE_DAMAGED.`;

/** The census through an open store; reports what it found, and refuses a missing or empty database. */
export async function censusOf(ctx: StepContext, store: SourceStore, storePath: string): Promise<SourceCensus> {
  const { options, report } = ctx;
  const databases = await store.databases();
  if (!databases[options.namespace]?.includes(options.database)) {
    throw new PatternDbError('E_STORE_EMPTY', `The store has no database ${options.namespace}/${options.database}.`, {
      evidence: `found: ${Object.entries(databases).map(([ns, dbs]) => dbs.map((db) => `${ns}/${db}`).join(', ')).join(', ') || 'nothing'}`,
      fix: 'Pattern always uses namespace "pattern" and database "pattern"; pass --namespace/--database for another pair.',
    });
  }
  const others = Object.entries(databases).flatMap(([ns, dbs]) => dbs.map((db) => `${ns}/${db}`)).filter((p) => p !== `${options.namespace}/${options.database}`);
  if (others.length) {
    report.diagnostic({
      level: 'warn',
      code: 'W_OTHER_DATABASES',
      message: `The store also holds ${others.join(', ')}; only ${options.namespace}/${options.database} is moved.`,
      fix: 'Run again with --namespace/--database for each other pair you need.',
    });
  }
  const { tables } = await store.info();
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await store.count(table);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  report.diagnostic({ level: 'info', code: 'I_SOURCE', message: `Source: ${tables.length} tables, ${total} records (read with ${store.engine})` });
  if (total === 0) {
    throw new PatternDbError('E_STORE_EMPTY', `${options.namespace}/${options.database} in ${storePath} holds no records.`, {
      fix: 'Check that --source (or [database].path) is the store Pattern really uses.',
    });
  }
  return { engine: store.engine, tables, counts };
}

/**
 * Opens the snapshot (then calls `opened`), takes the census, closes it; or leaves it open when `keep` takes the reader
 * (true): only where nothing else opens the snapshot meanwhile.
 */
export async function takeCensus(
  ctx: StepContext,
  pre: PreflightResult,
  signal = ctx.signal,
  keep?: (store: SourceStore, census: SourceCensus) => boolean | Promise<boolean>,
  opened?: () => void,
): Promise<SourceCensus> {
  const store = await openSnapshot(ctx, pre, signal);
  opened?.();
  let kept = false;
  try {
    const census = await censusOf(ctx, store, pre.storePath ?? pre.snapshot!);
    kept = (await keep?.(store, census)) ?? false;
    return census;
  } finally {
    if (!kept) await store.close();
  }
}

/** Keeps a census the preflight has (its own, or the wizard survey's) in its result, for earlierCensus. */
export function keepCensus(pre: PreflightResult, census: SourceCensus): void {
  pre.sourceEngine = census.engine;
  pre.sourceTables = census.tables;
  pre.sourceCounts = census.counts;
}

/** The census an earlier step of this run took, if one did. */
export function earlierCensus(pre: PreflightResult): SourceCensus | undefined {
  if (!pre.sourceCounts || !pre.sourceTables || !pre.sourceEngine) return undefined;
  return { engine: pre.sourceEngine, tables: pre.sourceTables, counts: pre.sourceCounts };
}
