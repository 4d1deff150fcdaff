// Medians and spreads of a handful of rounds.

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** The middle value; with an even count, the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** undefined for no values. */
export function spreadOf(values: number[]): Spread | undefined {
  if (!values.length) return undefined;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}
