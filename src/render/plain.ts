// Plain lines for pipes, CI and logs: one line per state change, progress at most every few seconds.
import type { PatternDbError } from '../core/errors.js';
import type { DiagnosticEvent, PatternDbEvent } from '../core/events.js';

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
  if (unit === 'bytes') return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} kB`;
  return `${n.toLocaleString('en-US')} ${unit}`;
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
  const write = (line: string) => options.out.write(line + '\n');
  return (event) => {
    switch (event.type) {
      case 'status':
        write(`${MARK[event.state]} ${event.step}: ${event.state}${event.message ? ` (${event.message})` : ''}`);
        return;
      case 'progress': {
        const at = now();
        const finished = event.total !== undefined && event.done >= event.total;
        const last = lastProgress.get(event.step);
        if (!finished && last !== undefined && at - last < interval) return;
        lastProgress.set(event.step, at);
        const amount = event.total !== undefined
          ? `${formatAmount(event.done, event.unit)} of ${formatAmount(event.total, event.unit)} (${Math.floor((100 * event.done) / Math.max(event.total, 1))}%)`
          : formatAmount(event.done, event.unit);
        write(`  ${event.step}: ${amount}${event.label ? `, ${event.label}` : ''}`);
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
