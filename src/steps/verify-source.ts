// How a verification compares the records between the target and the source (the run's snapshot, opened by
// source-census.ts's openSnapshot).
import { chooseVerifyMethod } from '../core/verify-method.js';
import type { VerifyMethod } from '../core/verify-report.js';
import type { SourceStore } from '../surreal/source-store.js';

export function verifyMethodFor(source: SourceStore, targetVersion: string): VerifyMethod {
  return chooseVerifyMethod({
    source: { engine: source.engine, major: source.major, served: source.http !== undefined },
    target: { version: targetVersion, major: Number.parseInt(targetVersion, 10) },
  });
}
