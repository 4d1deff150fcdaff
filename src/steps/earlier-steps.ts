// What a step reads from the steps before it in the same run: the preflight's findings, the server it imports into.
import { PatternDbError } from '../core/errors.js';
import { httpBase, SurrealHttp } from '../surreal/http.js';
import type { PreflightResult } from './run-state.js';
import type { StepContext } from './step.js';

export function requirePreflight(ctx: StepContext): PreflightResult {
  const preflight = ctx.state.preflight;
  if (!preflight) throw new PatternDbError('E_INTERNAL', 'The preflight step did not run before this step.');
  return preflight;
}

/** The server this run writes to: the one the server step started, else --target; as its http(s):// base. */
export function runTargetUrl(ctx: StepContext): string {
  const url = ctx.state.server?.url ?? ctx.options.target;
  if (!url) throw new PatternDbError('E_USAGE', 'No target: pass --target URL or --start-server.');
  return httpBase(url);
}

/** A client of the server this run writes to, signed in as the run's user, on the run's namespace and database. */
export function runTargetClient(ctx: StepContext): SurrealHttp {
  const { username, password, namespace, database } = ctx.options;
  return new SurrealHttp({ url: runTargetUrl(ctx), username, password, namespace, database });
}

/** How many records the source holds, for a progress bar: the export's file (checked against the store), else the preflight's census. */
export function sourceRecordTotal(ctx: StepContext): number | undefined {
  const counts = ctx.state.export?.recordsByTable ?? ctx.state.preflight?.sourceCounts;
  return counts ? Object.values(counts).reduce((a, b) => a + b, 0) : undefined;
}
