// How a size in bytes reads in messages and on screen: decimal megabytes, one decimal unless asked for more.
export function megabytes(bytes: number, decimals = 1): string {
  return `${(bytes / 1e6).toFixed(decimals)} MB`;
}
