// The inspector's reads, written once for both sources: an executor runs statements (over HTTP or in the embedded
// engine's child process) and this turns INFO answers, counts, pages and edges into what the views show.
import { hideSecretsIn } from '../core/definition-secrets.js';
import { PatternDbError } from '../core/errors.js';
import { databaseDefinitionsFrom, namesIn, tableDefinitionFrom } from '../core/info-definitions.js';
import { ident } from '../core/surql-ident.js';
import { tableCountSql } from '../core/table-count.js';
import {
  EDGE_LIMIT,
  MAX_PAGE,
  type DatabaseDefinitions,
  type EdgeRow,
  type InspectSource,
  type InspectTree,
  type InspectValue,
  type NamespaceNode,
  type QueryOptions,
  type QueryOutcome,
  type RecordDetail,
  type Scope,
  type Selection,
  type SourceDescription,
  type SourceStatus,
  type TableDefinition,
} from '../core/inspect-types.js';
import { field, toPlain } from '../core/inspect-value.js';
import { checkReadOnly } from '../core/read-only-guard.js';
import type { RunStatement } from './embedded-protocol.js';
import { errorText } from '../core/error-text.js';

export interface InspectExecutor {
  readonly description: SourceDescription;
  /** Runs statements in a scope; a request that fails as a whole throws a PatternDbError with the server's text. */
  run(scope: Scope, sql: string, vars?: Record<string, string>): Promise<RunStatement[]>;
  /**
   * Runs console text in a session whose role cannot write, so the server refuses writes whatever the text says;
   * throws E_READ_ONLY where no such session can be had (the embedded engine runs without authentication).
   */
  runReadOnly(scope: Scope, sql: string): Promise<RunStatement[]>;
  status(): Promise<SourceStatus>;
  close(): Promise<void>;
}

function statementFailed(sql: string, statement: RunStatement | undefined): PatternDbError {
  return new PatternDbError('E_STATEMENT', `The database refused a read: ${statement?.error ?? 'no answer'}`, {
    evidence: sql,
    fix: 'Check that the user may read this namespace and database (a root user with the VIEWER role or more).',
  });
}

function plainObject(value: InspectValue | undefined): Record<string, unknown> | undefined {
  const plain = value ? toPlain(value) : undefined;
  return plain && typeof plain === 'object' && !Array.isArray(plain) ? (plain as Record<string, unknown>) : undefined;
}

function text(value: InspectValue | undefined): string {
  return value && value.type !== 'array' && value.type !== 'object' ? value.text : '';
}

function rowsOf(value: InspectValue | undefined): InspectValue[] {
  return value?.type === 'array' ? value.items : [];
}

function safeInt(n: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new PatternDbError('E_INTERNAL', `${name} must be a whole number ≥ 0, got ${n}.`);
  return Math.min(n, max);
}

export class InspectReader implements InspectSource {
  constructor(private readonly executor: InspectExecutor) {}

  get description(): SourceDescription {
    return this.executor.description;
  }

  /** Statements that must all succeed; their results. */
  private async read(scope: Scope, sql: string, vars?: Record<string, string>): Promise<InspectValue[]> {
    const statements = await this.executor.run(scope, sql, vars);
    const failed = statements.find((s) => !s.ok);
    if (failed || statements.length === 0) throw statementFailed(sql, failed);
    return statements.map((s) => s.result ?? { type: 'none', text: 'NONE' });
  }

  private async namespaces(): Promise<string[]> {
    const [root] = await this.executor.run({}, 'INFO FOR ROOT');
    if (root?.ok) return namesIn(plainObject(root.result), 'namespaces');
    // A user below root cannot list namespaces: show the one it was given.
    const fallback = this.description.selection?.namespace;
    if (fallback) return [fallback];
    throw statementFailed('INFO FOR ROOT', root);
  }

  private async databases(namespace: string): Promise<string[]> {
    const [nsInfo] = await this.executor.run({ namespace }, 'INFO FOR NS');
    if (nsInfo?.ok) return namesIn(plainObject(nsInfo.result), 'databases');
    const fallback = this.description.selection;
    if (fallback?.namespace === namespace) return [fallback.database];
    throw statementFailed('INFO FOR NS', nsInfo);
  }

  async tree(): Promise<InspectTree> {
    const namespaces: NamespaceNode[] = [];
    for (const namespace of await this.namespaces()) {
      const node: NamespaceNode = { name: namespace, databases: [] };
      for (const database of await this.databases(namespace)) {
        const [dbInfo] = await this.read({ namespace, database }, 'INFO FOR DB');
        const tables = namesIn(plainObject(dbInfo), 'tables');
        // One request per database; a failed count stays on its own row.
        const counts = tables.length
          ? await this.executor.run({ namespace, database }, tables.map((t) => `${tableCountSql(t)};`).join('\n'))
          : [];
        node.databases.push({
          name: database,
          tables: tables.map((name, i) => {
            const answer = counts[i];
            if (!answer?.ok) return { name, count: null, countError: answer?.error ?? 'no answer' };
            return { name, count: countOf(answer.result) };
          }),
        });
      }
      namespaces.push(node);
    }
    return { namespaces };
  }

  async count(selection: Selection, table: string): Promise<number> {
    const [result] = await this.read(selection, tableCountSql(table));
    return countOf(result);
  }

  async tableDefinition(selection: Selection, table: string): Promise<TableDefinition> {
    const [tableInfo, dbInfo] = await this.read(selection, `INFO FOR TABLE ${ident(table)}; INFO FOR DB`);
    return tableDefinitionFrom(table, plainObject(dbInfo), plainObject(tableInfo));
  }

  async databaseDefinitions(selection: Selection): Promise<DatabaseDefinitions> {
    const [dbInfo] = await this.read(selection, 'INFO FOR DB');
    return databaseDefinitionsFrom(plainObject(dbInfo));
  }

  /** START/LIMIT in the table's own order: a page is read, never the table. */
  async records(selection: Selection, table: string, start: number, limit: number): Promise<InspectValue[]> {
    const from = safeInt(start, 'start');
    const size = safeInt(limit, 'limit', MAX_PAGE);
    const [page] = await this.read(selection, `SELECT * FROM ${ident(table)} START ${from} LIMIT ${size}`);
    return rowsOf(page);
  }

  async record(selection: Selection, id: string): Promise<RecordDetail> {
    const [record, incoming, outgoing] = await this.read(
      selection,
      `SELECT * FROM type::record($id); SELECT * FROM type::record($id)<-? LIMIT ${EDGE_LIMIT}; SELECT * FROM type::record($id)->? LIMIT ${EDGE_LIMIT}`,
      { id },
    );
    return {
      id,
      record: rowsOf(record)[0] ?? null,
      incoming: rowsOf(incoming).map((edge) => edgeRow(edge, 'in')),
      outgoing: rowsOf(outgoing).map((edge) => edgeRow(edge, 'out')),
      edgeLimit: EDGE_LIMIT,
    };
  }

  async query(selection: Selection | undefined, sql: string, options: QueryOptions = {}): Promise<QueryOutcome> {
    const verdict = checkReadOnly(sql);
    const { writable, kind } = this.description;
    if (!writable) {
      // The scan only gives an early, friendly answer; what holds is the read-only session the text runs in.
      if (!verdict.ok) {
        return refused(verdict.statement, verdict.keyword, `Not run: statement ${verdict.statementIndex + 1} is refused because ${verdict.reason}. The inspector is read-only.`);
      }
      return this.runConsole(selection, sql, verdict.statements, true);
    }
    if (!verdict.ok && !options.confirmed) return { kind: 'confirm', statement: verdict.statement, keyword: verdict.keyword, reachesLive: kind === 'server' };
    return this.runConsole(selection, sql, verdict.statements, false);
  }

  private async runConsole(selection: Selection | undefined, sql: string, texts: string[], readOnly: boolean): Promise<QueryOutcome> {
    const started = performance.now();
    try {
      const answers = readOnly ? await this.executor.runReadOnly(selection ?? {}, sql) : await this.executor.run(selection ?? {}, sql);
      const named = texts.length === answers.length ? texts : [];
      const denied = readOnly ? answers.findIndex((a) => !a.ok && PERMISSION_DENIED.test(a.error ?? '')) : -1;
      if (denied >= 0) {
        return refused(
          named[denied] ?? sql,
          '',
          `Statement ${denied + 1} was refused by the server: ${answers[denied]!.error}. The console's queries run as a user that can only read.`,
        );
      }
      return {
        kind: 'done',
        elapsedMs: performance.now() - started,
        statements: answers.map((a, i) => ({
          status: a.ok ? 'OK' : 'ERR',
          ...(named[i] ? { text: named[i] } : {}),
          ...(a.ok ? { result: hideSecretsIn(a.result ?? { type: 'none', text: 'NONE' }) } : { error: a.error ?? 'failed' }),
          ...(a.time ? { time: a.time } : {}),
        })),
      };
    } catch (error) {
      const failure = error instanceof PatternDbError ? error : new PatternDbError('E_STATEMENT', errorText(error));
      if (failure.code === 'E_READ_ONLY') return { kind: 'refused', statement: sql, keyword: '', error: outcomeError(failure) };
      return { kind: 'failed', elapsedMs: performance.now() - started, error: outcomeError(failure) };
    }
  }

  status(): Promise<SourceStatus> {
    return this.executor.status();
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}

/** How both majors word a statement the session's role may not run. */
const PERMISSION_DENIED = /Not enough permissions/i;

const WRITE_FIX = 'To allow statements that change data, open the inspector with --write (it asks before each one; with --query, the flag is the consent).';

function refused(statement: string, keyword: string, message: string): QueryOutcome {
  return { kind: 'refused', statement, keyword, error: { code: 'E_READ_ONLY', message, fix: WRITE_FIX } };
}

function outcomeError(error: PatternDbError): { code: string; message: string; fix?: string } {
  return { code: error.code, message: error.message, ...(error.fix ? { fix: error.fix } : {}) };
}

function countOf(result: InspectValue | undefined): number {
  // GROUP ALL answers [{ count: n }], or [] for an empty table.
  const first = rowsOf(result)[0];
  return Number(text(field(first, 'count')) || 0);
}

function edgeRow(edge: InspectValue, otherEnd: 'in' | 'out'): EdgeRow {
  const id = text(field(edge, 'id'));
  return { id, table: id.split(':')[0] ?? '', other: text(field(edge, otherEnd)), value: edge };
}
