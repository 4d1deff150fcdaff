// How the screen's rows and columns are shared: a header, a breadcrumb, the body (a side tree beside the view when the
// terminal is wide), a status line and the key legend.
import type { InspectState } from './inspect-model.js';
import { currentFrame } from './inspect-select.js';

export const WIDE_COLUMNS = 100;
const MAX_INPUT_ROWS = 6;

export interface InspectLayout {
  width: number;
  /** One row short of the terminal, so Ink never has to clear the whole screen. */
  height: number;
  wide: boolean;
  sideWidth: number;
  mainWidth: number;
  bodyRows: number;
  /** Rows of the list or text in the main view (the records view keeps one for its footer). */
  viewRows: number;
}

export const screenWidth = (columns: number): number => Math.max(40, columns);

/** The key legend is always one row: it leaves keys out rather than wrap (legend-fit.ts). */
const LEGEND_ROWS = 1;

export function inspectLayout(state: InspectState): InspectLayout {
  const width = screenWidth(state.columns);
  const height = Math.max(10, state.rows - 1);
  const wide = width >= WIDE_COLUMNS;
  const sideWidth = wide ? Math.min(44, Math.floor(width * 0.32)) : 0;
  const mainWidth = wide ? width - sideWidth - 2 : width;
  const bodyRows = Math.max(3, height - 3 - LEGEND_ROWS);
  const view = currentFrame(state).view.kind;
  return { width, height, wide, sideWidth, mainWidth, bodyRows, viewRows: view === 'records' ? Math.max(1, bodyRows - 1) : bodyRows };
}

export interface ConsoleLayout {
  inputRows: number;
  /** Rows left for the results (or the confirmation). */
  resultRows: number;
}

/** A title, the input (up to six rows; the last ones when longer), a rule, then the results. */
export function consoleLayout(draft: string, bodyRows: number): ConsoleLayout {
  const inputRows = Math.min(MAX_INPUT_ROWS, draft.split('\n').length);
  return { inputRows, resultRows: Math.max(1, bodyRows - inputRows - 2) };
}
