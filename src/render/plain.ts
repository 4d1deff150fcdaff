// Plain lines for pipes, CI and logs: one line per state change, progress at most every few seconds.
import type { PatternDbError } from '../core/errors.js';
import type { DiagnosticEvent, PatternDbEvent, ProgressEvent } from '../core/events.js';
import { megabytes } from '../core/byte-size.js';

export interface PlainRendererOptions {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Child-process log lines are noisy; shown only when asked. */
  verbose?: boolean;
  progressIntervalMs?: number;
  now?: () => number;
}

const MARK = { running: '…', done: '✓', failed: '✗', skipped: '–' } as const;
const LEVEL = { info: 'info', warn: 'warning', error: 'error' } as const;

function formatAmount(n: number, unit: string): string {
  if (unit === 'bytes') return n >= 1e6 ? megabytes(n) : `${(n / 1e3).toFixed(0)} kB`;
  return `${n.toLocaleString('en-US')} ${unit}`;
}

/** The part under way, e.g. "index 2 of 7: msg_content_search on msg (1,000 records)"; a new one is always printed. */
function phaseText(event: ProgressEvent): string | undefined {
  const phase = event.phase;
  if (!phase) return undefined;
  if (phase.kind === 'index') return `index ${phase.k} of ${phase.n}: ${phase.name} on ${phase.table} (${phase.tableRecords.toLocaleString('en-US')} records)`;
  return phase.indexes > 0 ? `records, then ${phase.indexes} ${phase.indexes === 1 ? 'index' : 'indexes'}` : 'records';
}

/** Of the whole work when the step reports it (an import's indexes count), else of `done`. */
function percentOf(event: ProgressEvent & { total: number }): number {
  const [done, total] = event.work ? [event.work.done, event.work.total] : [event.done, event.total];
  return Math.min(100, Math.floor((100 * done) / Math.max(total, 1)));
}

/** A diagnostic as plain lines: the message (with level and code unless info), then its evidence and fix, indented. */
export function formatDiagnostic(d: Pick<DiagnosticEvent, 'level' | 'code' | 'message' | 'evidence' | 'fix'>): string {
  const prefix = d.level === 'info' ? '  ' : `${LEVEL[d.level]} [${d.code}] `;
  let text = `${prefix}${d.message}\n`;
  if (d.evidence) text += `  evidence: ${d.evidence.split('\n').join('\n            ')}\n`;
  if (d.fix) text += `  fix: ${d.fix.split('\n').join('\n       ')}\n`;
  return text;
}

/** A failure that ends a command, in the same words as the renderer's error diagnostics. */
export function formatError(error: PatternDbError): string {
  return formatDiagnostic({ level: 'error', code: error.code, message: error.message, ...(error.evidence ? { evidence: error.evidence } : {}), ...(error.fix ? { fix: error.fix } : {}) });
}

export function plainRenderer(options: PlainRendererOptions): (event: PatternDbEvent) => void {
  const interval = options.progressIntervalMs ?? 2000;
  const now = options.now ?? Date.now;
  const lastProgress = new Map<string, number>();
  const lastPhase = new Map<string, string | undefined>();
  const write = (line: string) => options.out.write(line + '\n');
  return (event) => {
    switch (event.type) {
      case 'status':
        write(`${MARK[event.state]} ${event.step}: ${event.state}${event.message ? ` (${event.message})` : ''}`);
        return;
      case 'progress': {
        const at = now();
        const finished = event.work ? event.work.done >= event.work.total : event.total !== undefined && event.done >= event.total;
        const phase = phaseText(event);
        const newPhase = phase !== lastPhase.get(event.step);
        const last = lastProgress.get(event.step);
        if (!finished && !newPhase && last !== undefined && at - last < interval) return;
        lastProgress.set(event.step, at);
        lastPhase.set(event.step, phase);
        const amount = event.total !== undefined
          ? `${formatAmount(event.done, event.unit)} of ${formatAmount(event.total, event.unit)} (${percentOf({ ...event, total: event.total })}%)`
          : formatAmount(event.done, event.unit);
        const table = event.label && (phase ? `table ${event.label}` : event.label);
        const what = event.phase?.kind === 'index' ? phase : [phase, table].filter(Boolean).join(', ');
        write(`  ${event.step}: ${amount}${what ? `, ${what}` : ''}`);
        return;
      }
      case 'log':
        if (options.verbose || event.step === 'config' || event.step === 'verify') write(`  | ${event.line}`);
        return;
      case 'diagnostic':
        (event.level === 'info' ? options.out : options.err).write(formatDiagnostic(event));
        return;
    }
  };
}
