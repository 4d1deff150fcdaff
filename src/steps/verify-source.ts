// The two sides of a verification: the source (the run's snapshot, opened by what reads its format) and the target
// server, and how the records are compared between them.
import { PatternDbError } from '../core/errors.js';
import { chooseVerifyMethod } from '../core/verify-method.js';
import type { VerifyMethod } from '../core/verify-report.js';
import { SurrealHttp } from '../surreal/http.js';
import { openSourceStore, storeMajor, type SourceStore } from '../surreal/source-store.js';
import { runTargetUrl } from './earlier-steps.js';
import { programOf } from './programs.js';
import type { PreflightResult } from './run-state.js';
import type { StepContext } from './step.js';

export async function openVerifySource(ctx: StepContext, pre: PreflightResult, signal: AbortSignal = ctx.signal): Promise<SourceStore> {
  if (!pre.snapshot) throw new PatternDbError('E_INTERNAL', 'No source snapshot to verify against.');
  const format = pre.store?.format ?? 'surrealkv-3.0';
  const selection = { namespace: ctx.options.namespace, database: ctx.options.database };
  return openSourceStore(pre.snapshot, format, selection, programOf(pre, storeMajor(format) ?? 3), signal);
}

export function verifyTarget(ctx: StepContext): SurrealHttp {
  const { username, password, namespace, database } = ctx.options;
  return new SurrealHttp({ url: runTargetUrl(ctx), username, password, namespace, database });
}

export function verifyMethodFor(source: SourceStore, targetVersion: string): VerifyMethod {
  return chooseVerifyMethod({
    source: { engine: source.engine, major: source.major, served: source.http !== undefined },
    target: { version: targetVersion, major: Number.parseInt(targetVersion, 10) },
  });
}
