// The target server of a verification, and how the records are compared between it and the source (the run's
// snapshot, opened by source-census.ts's openSnapshot).
import { chooseVerifyMethod } from '../core/verify-method.js';
import type { VerifyMethod } from '../core/verify-report.js';
import { SurrealHttp } from '../surreal/http.js';
import type { SourceStore } from '../surreal/source-store.js';
import { runTargetUrl } from './earlier-steps.js';
import type { StepContext } from './step.js';

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
