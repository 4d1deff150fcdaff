// Everything the user sees is one of these events; renderers (Ink, plain lines, JSON lines) only read them.

export type StepName = 'preflight' | 'export' | 'server' | 'import' | 'config' | 'verify' | 'restore';
export type StepState = 'running' | 'done' | 'failed' | 'skipped';
export type ProgressUnit = 'bytes' | 'records' | 'tables' | 'statements' | 'chunks';
export type DiagnosticLevel = 'info' | 'warn' | 'error';

/** The part of a step under way, when it has several: an import loads the records, then builds each index. */
export type ProgressPhase =
  | { kind: 'records'; /** indexes built after the records */ indexes: number }
  | { kind: 'index'; name: string; table: string; /** this is index k of n */ k: number; n: number; /** records of its table */ tableRecords: number };

/**
 * The whole step's work, in estimated units (the import's: record-equivalents, see core/import-work.ts), so that the
 * bar and the time left count parts that `done` does not, such as building indexes after the last record.
 */
export interface ProgressWork {
  done: number;
  total: number;
  /** Where `done` will be when the part under way ends. */
  partEnd: number;
}

export type StatusEvent = { type: 'status'; step: string; state: StepState; message?: string };
export type ProgressEvent = {
  type: 'progress';
  step: string;
  done: number;
  total?: number;
  unit: ProgressUnit;
  /** What is being worked on now, e.g. the current table. */
  label?: string;
  phase?: ProgressPhase;
  work?: ProgressWork;
};
export type LogEvent = { type: 'log'; step: string; stream: 'stdout' | 'stderr'; line: string };
export type DiagnosticEvent = {
  type: 'diagnostic';
  step?: string;
  level: DiagnosticLevel;
  /** Stable code, e.g. E_AUTH or W_DEFAULT_CREDENTIALS. */
  code: string;
  message: string;
  fix?: string;
  /** The command, request or the server's own words that show it. */
  evidence?: string;
};

export type PatternDbEvent = StatusEvent | ProgressEvent | LogEvent | DiagnosticEvent;

export type Emit = (event: PatternDbEvent) => void;

/** A step's scoped reporter: the step name is filled in. */
export interface Reporter {
  status(state: StepState, message?: string): void;
  progress(done: number, unit: ProgressUnit, total?: number, label?: string, more?: Pick<ProgressEvent, 'phase' | 'work'>): void;
  log(line: string, stream?: 'stdout' | 'stderr'): void;
  diagnostic(d: Omit<DiagnosticEvent, 'type' | 'step'>): void;
}

export function reporterFor(step: string, emit: Emit): Reporter {
  return {
    status: (state, message) => emit({ type: 'status', step, state, ...(message ? { message } : {}) }),
    progress: (done, unit, total, label, more) =>
      emit({ type: 'progress', step, done, unit, ...(total !== undefined ? { total } : {}), ...(label ? { label } : {}), ...more }),
    log: (line, stream = 'stdout') => emit({ type: 'log', step, stream, line }),
    diagnostic: (d) => emit({ type: 'diagnostic', step, ...d }),
  };
}
