// Proves the target holds what the source holds: definitions, per-table counts and every record's digest.
import { escapeIdent } from 'surrealdb';
import { PatternDbError } from '../core/errors.js';
import type { Reporter } from '../core/events.js';
import { compareDefinitions, compareTable, reportOk, type DefinitionDifference, type VerifyReport } from '../core/verify-report.js';
import { openSourceStore } from '../surreal/source-store.js';
import type { StoreFormat } from '../surreal/store.js';
import type { RecordHash } from '../surreal/embedded-protocol.js';
import { httpBase, SurrealHttp } from '../surreal/http.js';
import { requirePreflight } from './export.js';
import type { Step, StepContext } from './step.js';

const PAGE = 5000;
type Definitions = Record<string, Record<string, string>>;
/** Kinds that describe the server or session, not the data moved. */
const IGNORED_TABLE_KINDS = ['lives', 'tables'];

function hashPageSql(table: string, start: number): string {
  return `SELECT VALUE [<string> id, crypto::sha256(<string> $this)] FROM ${escapeIdent(table)} START ${start} LIMIT ${PAGE};`;
}

async function collect(fetchPage: (start: number) => Promise<RecordHash[]>, onPage: (n: number) => void): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (let start = 0; ; start += PAGE) {
    const page = await fetchPage(start);
    for (const [id, digest] of page) digests.set(id, digest);
    onPage(page.length);
    if (page.length < PAGE) return digests;
  }
}

function describe(difference: DefinitionDifference): string {
  const detail = difference.problem === 'changed' ? `\n  source: ${difference.source}\n  target: ${difference.target}` : '';
  return `${difference.kind} ${difference.name}: ${difference.problem} on the target${detail}`;
}

function summarise(report: VerifyReport, reporter: Reporter): void {
  for (const t of report.tables) {
    const same = t.missing + t.extra + t.changed === 0;
    reporter.log(`${t.table.padEnd(24)} source ${String(t.source).padStart(8)}  target ${String(t.target).padStart(8)}  ${same ? 'identical' : `${t.missing} missing, ${t.extra} extra, ${t.changed} changed (${t.examples.join(', ')})`}`);
  }
  for (const d of report.definitions) reporter.log(describe(d), 'stderr');
}

export const verifyStep: Step<VerifyReport> = {
  name: 'verify',
  title: 'Verify the target against the source',
  async run(ctx: StepContext) {
    const { options, report } = ctx;
    const pre = requirePreflight(ctx);
    if (!pre.snapshot) throw new PatternDbError('E_INTERNAL', 'No source snapshot to verify against.');
    const url = ctx.state.server?.url ?? ctx.options.target;
    if (!url) throw new PatternDbError('E_USAGE', 'No target: pass --target URL.');
    const http = new SurrealHttp({ url: httpBase(url), username: options.username, password: options.password, namespace: options.namespace, database: options.database });
    const source = await openSourceStore(pre.snapshot, (pre.store?.format ?? 'surrealkv-3') as StoreFormat, { namespace: options.namespace, database: options.database }, pre.surreal2, ctx.signal);
    try {
      const sourceInfo = await source.info();
      const [targetDb] = (await http.sql('INFO FOR DB;')) as Definitions[];
      const definitions = compareDefinitions(sourceInfo.definitions, targetDb ?? {}, '');
      const total = Object.values(pre.sourceCounts ?? {}).reduce((a, b) => a + b, 0);
      let hashed = 0;
      const tables = [];
      for (const table of sourceInfo.tables) {
        const targetHasTable = table in (targetDb?.tables ?? {});
        if (targetHasTable) {
          const [targetTable] = (await http.sql(`INFO FOR TABLE ${escapeIdent(table)};`)) as Definitions[];
          definitions.push(...compareDefinitions(sourceInfo.tableDefinitions[table] ?? {}, targetTable ?? {}, table, IGNORED_TABLE_KINDS));
        }
        const sourceDigests = await collect((start) => source.hashes(table, start, PAGE), (n) => report.progress((hashed += n), 'records', total, table));
        const targetDigests = targetHasTable
          ? await collect(async (start) => ((await http.sql(hashPageSql(table, start))) as RecordHash[][])[0] ?? [], () => undefined)
          : new Map<string, string>();
        tables.push(compareTable(table, sourceDigests, targetDigests));
      }
      const result: VerifyReport = { ok: reportOk(tables, definitions), tables, definitions, records: hashed };
      ctx.state.verify = result;
      summarise(result, report);
      if (!result.ok) {
        const bad = tables.filter((t) => t.missing + t.extra + t.changed > 0);
        throw new PatternDbError('E_VERIFY_MISMATCH', `The target differs from the source in ${bad.length} tables and ${definitions.length} definitions.`, {
          evidence: [...bad.map((t) => `${t.table}: ${t.missing} missing, ${t.extra} extra, ${t.changed} changed, e.g. ${t.examples.join(', ')}`), ...definitions.slice(0, 10).map(describe)].join('\n'),
          fix: 'Nothing was changed in the config. Look at the differences above; to start over, import into an empty database.',
        });
      }
      report.diagnostic({ level: 'info', code: 'I_VERIFIED', message: `Verified: ${tables.length} tables and ${hashed} records identical, definitions identical.` });
      return result;
    } finally {
      await source.close();
    }
  },
};
