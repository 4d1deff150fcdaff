// How the screen's rows are shared: fixed chrome, diagnostics, the phase panel, the prompt and the log box.
import type { DiagnosticEvent } from '../core/events.js';
import type { PromptSpec } from './contract.js';
import { splitLines, wrapLed, wrapWords } from './format.js';
import { choiceLabel, promptShown, promptShowsDetail, promptWarning, shownDiagnostics } from './selectors.js';
import type { WizardState } from './wizard-state.js';

/** Title, step list, the blank line under them, and the key legend. */
const CHROME_ROWS = 4;
const MIN_CONTENT_ROWS = 3;
const MIN_LOG_ROWS = 4;
const SHORT_PANEL_ROWS = 5;
export const MAX_DETAIL_ROWS = 3;
export const MAX_SELECT_ROWS = 6;

export interface Layout {
  width: number;
  /** One row short of the terminal, so Ink never has to clear the whole screen. */
  height: number;
  diagnosticRows: number;
  panelRows: number;
  promptRows: number;
  /** The bordered log box, borders included; 0 when hidden. */
  logRows: number;
  /** What is left for the phase's own panel. */
  contentRows: number;
}

export function layoutFor(state: WizardState): Layout {
  const width = Math.max(40, state.columns);
  const height = Math.max(16, state.rows - 1);
  const diagnosticRows = fitDiagnostics(shownDiagnostics(state), state.rows >= 40 ? 10 : state.rows >= 30 ? 6 : 4, width).rows;
  const panelRows = height - CHROME_ROWS - diagnosticRows;
  const promptRows = promptHeight(state, width);
  const logRows = state.showLogs ? logBoxRows(state, panelRows - promptRows) : 0;
  const contentRows = Math.max(MIN_CONTENT_ROWS, panelRows - promptRows - logRows);
  return { width, height, diagnosticRows, panelRows, promptRows, logRows, contentRows };
}

/** Short panels (progress, a spinner) leave the rest to the log box; others share half and half. */
function logBoxRows(state: WizardState, available: number): number {
  const short = ['starting', 'resume', 'target', 'export', 'import'].includes(state.phase) || (state.phase === 'verify' && !state.results.verify);
  const panel = short ? SHORT_PANEL_ROWS : Math.ceil(available / 2);
  return Math.max(MIN_LOG_ROWS, available - panel);
}

/** A diagnostic word-wrapped to the width: "CODE message" (its mark and an indent go before), then "→ fix". */
export function diagnosticLines(d: DiagnosticEvent, width: number): { message: string[]; fix: string[] } {
  return {
    message: wrapWords(`${d.code} ${splitLines(d.message).join(' ')}`, width - 2),
    fix: d.fix ? wrapLed('  → ', splitLines(d.fix).join(' '), width) : [],
  };
}

/** The diagnostics that fit whole (message and fix) in `budget` rows, keeping one for "+N more" when some do not. */
export function fitDiagnostics(diagnostics: DiagnosticEvent[], budget: number, width: number): { shown: DiagnosticEvent[]; hidden: number; rows: number } {
  let rows = 0;
  let count = 0;
  for (const d of diagnostics) {
    const lines = diagnosticLines(d, width);
    const need = lines.message.length + lines.fix.length;
    const last = count + 1 === diagnostics.length;
    if (rows + need > budget - (last ? 0 : 1)) break;
    rows += need;
    count += 1;
  }
  const hidden = diagnostics.length - count;
  return { shown: diagnostics.slice(0, count), hidden, rows: rows + (hidden > 0 ? 1 : 0) };
}

function promptHeight(state: WizardState, width: number): number {
  const spec = promptShown(state) ? state.prompt?.spec : undefined;
  if (!spec) return 0;
  const detail = promptShowsDetail(state) ? Math.min(MAX_DETAIL_ROWS, splitLines(spec.detail).length) : 0;
  // The warning's icon and gap take two columns; a long one wraps.
  const warning = Math.ceil((promptWarning(state)?.length ?? 0) / (width - 2));
  // A blank line above, the question, the detail, then the input itself.
  const base = 1 + questionLines(spec, width).length + detail + warning;
  switch (spec.kind) {
    case 'confirm':
      return base;
    case 'select':
      // A long choice wraps after the list's two-column pointer.
      return base + spec.choices.slice(0, MAX_SELECT_ROWS).reduce((rows, c) => rows + Math.ceil((2 + choiceLabel(c).length) / width), 0);
    case 'text':
      return base + 1 + problemLines(spec.problem, width).length;
    case 'password':
      return base + 1 + (spec.generated ? 1 : 0) + problemLines(spec.problem, width).length;
    case 'secret':
      // The secret between two blank lines.
      return base + 3;
  }
}

/** The question word-wrapped to the width; a y/n question keeps room for its " Y/n" on the last line. */
export function questionLines(spec: PromptSpec, width: number): string[] {
  return wrapWords(spec.question, width - (spec.kind === 'confirm' ? 5 : 1));
}

/** Why the last answer was refused, word-wrapped under the input ("✘ " and an indent of the same width). */
export function problemLines(problem: string | undefined, width: number): string[] {
  return wrapWords(problem, width - 2).map((line, i) => `${i === 0 ? '✘' : ' '} ${line}`);
}
