// The doctor's results as plain lines, in the manner of `flutter doctor`: one line per check, details where it matters.
import { GROUP_TITLES, summaryLine, type CheckResult } from '../core/doctor-model.js';

export const CHECK_MARK = { ok: '[✓]', warn: '[!]', fail: '[✗]', skip: '[-]' } as const;

const indent = (text: string, prefix: string) => text.split('\n').map((line) => prefix + line).join('\n');

/** One check: its line, then (for warnings and failures, or always when verbose) the evidence and the fix. */
export function formatCheck(result: CheckResult, verbose = false): string {
  const code = result.status === 'warn' || result.status === 'fail' ? ` [${result.code}]` : '';
  const message = result.status === 'skip' ? `skipped: ${result.message}` : result.message;
  let text = `  ${CHECK_MARK[result.status]} ${result.title}: ${message}${code}\n`;
  const detailed = verbose || result.status === 'warn' || result.status === 'fail';
  if (detailed && result.evidence?.length) text += indent(result.evidence.join('\n'), '        ') + '\n';
  if (detailed && result.fix) text += indent(`fix: ${result.fix}`, '      ') + '\n';
  return text;
}

export interface DoctorPlainRenderer {
  result(result: CheckResult): void;
  /** Flushes the last group and writes the summary line. */
  end(results: readonly CheckResult[]): void;
}

/**
 * Writes results group by group under a heading. A group whose checks were all skipped takes a single line with
 * its reasons: "Server: skipped (no server named by the config or --target; no managed server in .pattern-db)".
 */
export function doctorPlainRenderer(out: NodeJS.WritableStream, verbose = false): DoctorPlainRenderer {
  let pending: CheckResult[] = [];
  const flush = () => {
    const group = pending[0]?.group;
    if (!group) return;
    const allSkipped = pending.every((r) => r.status === 'skip');
    const reasons = [...new Set(pending.map((r) => r.message))].join('; ');
    if (allSkipped) out.write(`${GROUP_TITLES[group]}: skipped (${reasons})\n`);
    else out.write(`${GROUP_TITLES[group]}\n${pending.map((r) => formatCheck(r, verbose)).join('')}`);
    pending = [];
  };
  return {
    result(result) {
      if (pending.length && pending[0]!.group !== result.group) flush();
      pending.push(result);
    },
    end(results) {
      flush();
      out.write(`${summaryLine(results)}\n`);
    },
  };
}
