// Which rows of the verification's table are on screen: a status line and the headings above, and a line that says
// what is below (or above) when not every row fits.

export interface VerifyWindow {
  start: number;
  end: number;
  /** Whether a line under the rows says what is left out. */
  footer: boolean;
}

/** Status line and headings. */
const ABOVE_ROWS = 2;

export function verifyWindow(total: number, rows: number, offset: number): VerifyWindow {
  const room = Math.max(1, rows - ABOVE_ROWS);
  if (total <= room) return { start: 0, end: total, footer: false };
  const shown = Math.max(1, room - 1);
  const start = Math.min(Math.max(0, offset), total - shown);
  return { start, end: start + shown, footer: true };
}

/** The furthest the table scrolls: its last row at the bottom. */
export function maxVerifyOffset(total: number, rows: number): number {
  return verifyWindow(total, rows, total).start;
}
