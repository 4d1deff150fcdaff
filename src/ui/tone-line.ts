// One row of long content (a diff, the welcome and last screens) and how it is drawn.
export type LineTone = 'bold' | 'accent' | 'added' | 'removed' | 'dim' | 'warn';

export interface ToneLine {
  text: string;
  tone?: LineTone;
  /** Where the rows after the first start when the line wraps. */
  indent?: number;
}
