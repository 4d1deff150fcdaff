// The doctor's results: one typed result per check, a summary and the exit code scripts rely on.
import { EXIT_CODES } from './errors.js';

export type CheckGroup = 'config' | 'store' | 'surreal' | 'server' | 'schema';
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export const GROUP_TITLES: Record<CheckGroup, string> = {
  config: 'Configuration',
  store: 'Embedded store',
  surreal: 'The surreal program',
  server: 'Server',
  schema: 'Schema',
};

export interface CheckOutcome {
  status: CheckStatus;
  /** Stable: D_* for a passing check, W_* for a warning, E_* for a failure, S_* for a skip. */
  code: string;
  message: string;
  /** The command or request, and the program's or server's own words. */
  evidence?: string[];
  fix?: string;
}

export interface CheckResult extends CheckOutcome {
  id: string;
  group: CheckGroup;
  title: string;
  ms: number;
}

export interface DoctorSummary {
  ok: number;
  warn: number;
  fail: number;
  skip: number;
}

export function summarise(results: readonly CheckResult[]): DoctorSummary {
  const summary: DoctorSummary = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const result of results) summary[result.status] += 1;
  return summary;
}

/** 0 healthy, 1 a failure, 5 only warnings. */
export function doctorExitCode(results: readonly CheckResult[]): number {
  const { warn, fail } = summarise(results);
  if (fail) return EXIT_CODES.failed;
  if (warn) return EXIT_CODES.warnings;
  return EXIT_CODES.ok;
}

export function summaryLine(results: readonly CheckResult[]): string {
  const { ok, warn, fail, skip } = summarise(results);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [`${ok} ok`, plural(warn, 'warning'), plural(fail, 'failure')];
  if (skip) parts.push(`${skip} skipped`);
  const verdict = fail ? 'problems found' : warn ? 'healthy, with warnings' : 'healthy';
  return `doctor: ${verdict}: ${parts.join(', ')}`;
}

export interface LatencyClass {
  /** Where the guide's figures place the server. */
  place: 'same machine' | 'local network' | 'cross-region' | 'far away';
  status: 'ok' | 'warn';
}

/** The guide's figures: ~1-5 ms on a local network, ~10-50 ms cross-region; slower than that hurts every agent turn. */
export function classifyLatency(ms: number, loopback: boolean): LatencyClass {
  if (loopback) return { place: 'same machine', status: ms <= 50 ? 'ok' : 'warn' };
  if (ms <= 5) return { place: 'local network', status: 'ok' };
  if (ms <= 50) return { place: 'cross-region', status: 'ok' };
  return { place: 'far away', status: 'warn' };
}
