// How a duration in milliseconds reads in summaries: seconds, one decimal.
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
