// `pattern-db inspect TARGET --query 'SURQL'`: one console query for scripts, under the console's own rules (read-only
// unless --write, which is then the consent the terminal would have asked for).
import { ERROR_CODES, PatternDbError, type ErrorCode } from '../core/errors.js';
import type { InspectSource, QueryOutcome, QueryStatementReport } from '../core/inspect-types.js';
import { toPlain } from '../core/inspect-value.js';

export interface QueryReport {
  statements: QueryStatementReport[];
  /** The first statement that failed, as an error (the others' results are still in `statements`). */
  failure?: PatternDbError;
}

function outcomeFailure(outcome: Exclude<QueryOutcome, { kind: 'done' }>): PatternDbError {
  switch (outcome.kind) {
    case 'refused':
      return new PatternDbError('E_READ_ONLY', outcome.error.message, { evidence: outcome.statement, ...(outcome.error.fix ? { fix: outcome.error.fix } : {}) });
    case 'failed': {
      const code = (outcome.error.code in ERROR_CODES ? outcome.error.code : 'E_STATEMENT') as ErrorCode;
      return new PatternDbError(code, outcome.error.message, outcome.error.fix ? { fix: outcome.error.fix } : {});
    }
    case 'confirm':
      // Only a source opened with --write asks, and --query passes the flag as the answer.
      return new PatternDbError('E_INTERNAL', `The query was held for a confirmation that --query cannot give (${outcome.keyword}).`);
  }
}

/** Runs the text once; a refusal or a failed request throws, a failed statement is reported beside the others. */
export async function runConsoleQuery(source: InspectSource, text: string, write: boolean): Promise<QueryReport> {
  const outcome = await source.query(source.description.selection, text, { confirmed: write });
  if (outcome.kind !== 'done') throw outcomeFailure(outcome);
  const statements = outcome.statements.map(
    (s): QueryStatementReport => ({
      status: s.status,
      ...(s.text ? { text: s.text } : {}),
      ...(s.time ? { time: s.time } : {}),
      ...(s.status === 'OK' ? { result: s.result ? toPlain(s.result) : null } : { error: s.error ?? 'failed' }),
    }),
  );
  const failed = statements.findIndex((s) => s.status === 'ERR');
  if (failed < 0) return { statements };
  return {
    statements,
    failure: new PatternDbError('E_STATEMENT', `Statement ${failed + 1} failed: ${statements[failed]!.error}`, {
      ...(statements[failed]!.text ? { evidence: statements[failed]!.text } : {}),
      fix: "Read the server's words: they name what the statement did wrong.",
    }),
  };
}
