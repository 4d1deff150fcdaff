/** A SurrealQL identifier in backticks: `group` is a keyword, and table names may hold any character. */
export function ident(name: string): string {
  return `\`${name.replace(/[`\\]/g, '\\$&')}\``;
}
