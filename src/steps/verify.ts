// Proves the target holds what the source holds: definitions, per-table counts and every record's digest — by each
// engine's hash of its own text when both sides are the same SurrealDB in-process, by value otherwise.
import { PatternDbError } from '../core/errors.js';
import { pauseAt } from '../files/pause-at.js';
import type { Reporter } from '../core/events.js';
import { comparedItems } from '../core/verify-method.js';
import { reportOk, type DefinitionDifference, type VerifyReport } from '../core/verify-report.js';
import { readDatabaseInfo } from '../surreal/server-catalog.js';
import { requirePreflight, runTargetClient, sourceRecordTotal } from './earlier-steps.js';
import { needingManagedServer } from './managed-server-stopped.js';
import type { Step, StepContext } from './step.js';
import { compareAllDefinitions } from './verify-definitions.js';
import { takeKeptSource } from './kept-source.js';
import { verifyAheadOf } from './verify-ahead.js';
import { verifyAllRecords } from './verify-records.js';
import { openSnapshot } from './source-census.js';
import { readUpToDamage } from '../surreal/store-log-damage.js';
import { verifyMethodFor } from './verify-source.js';

function describe(difference: DefinitionDifference): string {
  const detail = difference.problem === 'changed' ? `${difference.detail ? ` (${difference.detail})` : ''}\n  source: ${difference.source}\n  target: ${difference.target}` : '';
  return `${difference.kind} ${difference.name}: ${difference.problem} on the target${detail}`;
}

function summarise(report: VerifyReport, reporter: Reporter): void {
  // Per table, the report's own table says it (render/verify-table.ts: the command's result, the wizard's panel).
  reporter.log(`Compared by ${report.method.records}: ${report.method.reason}.`);
  for (const rule of report.rules) reporter.log(`rule "${rule.rule}" applied to ${rule.count} definitions (${rule.examples.join(', ')})`);
  for (const s of report.secrets) reporter.log(`${s.kind} ${s.name}: ${s.secret} ${s.outcome === 'proven' ? 'identical' : 'not compared'}: ${s.how}`, s.outcome === 'proven' ? 'stdout' : 'stderr');
  for (const d of report.definitions) reporter.log(describe(d), 'stderr');
}

function verified(report: VerifyReport): string {
  const proven = report.secrets.filter((s) => s.outcome === 'proven').length;
  const unproven = report.secrets.length - proven;
  const rules = report.rules.length ? ` modulo ${report.rules.length} named SurrealDB 2→3 rules` : '';
  const secrets = unproven ? `; ${unproven} secrets the server hides were not compared (see above)` : proven ? `; ${proven} password hashes proven from the target's export` : '';
  const against = report.readUpToDamage ? ` to ${report.readUpToDamage}` : '';
  return `Verified by ${report.method.records}: ${report.tables.length} tables and ${report.records} records identical${against}, definitions identical${rules}${secrets}.`;
}

// Wrapped: with its managed server gone, the step says so instead of what it saw of it.
export const verifyStep: Step<VerifyReport> = needingManagedServer('the verification', {
  name: 'verify',
  title: 'Verify the target against the source',
  // What an earlier run verified is gone when the import had to load everything again.
  rerunWhen: (state) => state.import?.startedOver === true,
  async run(ctx: StepContext) {
    const { report } = ctx;
    const target = runTargetClient(ctx);
    const early = await verifyAheadOf(ctx)?.take();
    if (early instanceof Error) report.log(`The records could not be compared during the import (${early.message}); comparing them now.`, 'stderr');
    const ahead = early instanceof Error ? undefined : early;
    const targetVersion = ahead?.targetVersion ?? (await target.version({ signal: ctx.signal }));
    const source = ahead?.source ?? takeKeptSource(ctx) ?? (await openSnapshot(ctx, requirePreflight(ctx)));
    let passed = false;
    try {
      const method = ahead?.method ?? verifyMethodFor(source, targetVersion);
      const sourceInfo = ahead?.sourceInfo ?? (await source.info());
      await pauseAt('verify-definitions', ctx.options.stateDir);
      const targetInfo = await readDatabaseInfo(target);
      const warn = (message: string) => report.diagnostic({ level: 'warn', code: 'W_SECRETS_UNCOMPARED', message, fix: 'Sign in as a root user allowed to export the database (POST /export), then verify again.' });
      const definitions = await compareAllDefinitions(method, source, sourceInfo, target, targetInfo, warn);
      const total = sourceRecordTotal(ctx);
      const damage = requirePreflight(ctx).storeDamage;
      const progress = (read: number, table?: string) => report.progress(read, 'records', total, table);
      const { tables, read } = ahead?.records ?? (await verifyAllRecords(method.records, { source, target, signal: ctx.signal }, { source: sourceInfo, target: targetInfo }, progress));
      if (ahead) progress(read);
      const result: VerifyReport = {
        ok: reportOk(tables, definitions.differences),
        method,
        compared: comparedItems(method),
        tables,
        definitions: definitions.differences,
        definitionsCompared: definitions.compared,
        rules: definitions.rules,
        secrets: definitions.secrets,
        records: read,
        ...(damage ? { readUpToDamage: readUpToDamage(damage) } : {}),
      };
      ctx.state.verify = result;
      summarise(result, report);
      if (!result.ok) {
        const bad = tables.filter((t) => t.missing + t.extra + t.changed > 0);
        throw new PatternDbError('E_VERIFY_MISMATCH', `The target differs from the source in ${bad.length} tables and ${result.definitions.length} definitions.`, {
          evidence: [...bad.map((t) => `${t.table}: ${t.missing} missing, ${t.extra} extra, ${t.changed} changed, e.g. ${t.examples.join(', ')}`), ...result.definitions.slice(0, 10).map(describe)].join('\n'),
          fix: 'Nothing was changed in the config. Look at the differences above; to start over, import into an empty database.',
        });
      }
      report.diagnostic({ level: 'info', code: 'I_VERIFIED', message: verified(result) });
      passed = true;
      return result;
    } finally {
      // Once the verification passed, nothing reads this run's snapshot again (it is removed at the run's end): no need
      // to wait for a clean close. A failed one may be retried on the same snapshot, which then needs one.
      await (passed ? source.discard() : source.close());
    }
  },
});
