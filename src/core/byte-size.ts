// How a size in bytes reads in messages and on screen: decimal megabytes, one decimal.
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
