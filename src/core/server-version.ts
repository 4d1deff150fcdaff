// What a SurrealDB version means for Pattern and for the stores it writes: pure facts, no I/O.

export interface SurrealVersion {
  major: number;
  minor: number;
  patch: number;
}

/** "3.3.5", "surrealdb-3.3.5", "3.1.0-beta.2" (a pre-release counts as its release line). */
export function parseVersion(text: string): SurrealVersion | null {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/**
 * SurrealDB 3.1 changed what it writes to disk (graph edges carry a new record layout; 3.3 adds a storage-version stamp
 * and data migrations), so a store a 3.1+ program wrote is read only by a 3.1+ program, never by @surrealdb/node 3.0.x.
 */
export function writesStoresAfter30(version: SurrealVersion): boolean {
  return version.major > 3 || (version.major === 3 && version.minor >= 1);
}

/** Pattern of the SurrealDB era embeds the Rust SDK 2.3, which accepts servers 1.2.0 <= v < 3.0.0 only. */
export const PATTERN_SDK_RANGE = '>=1.2.0, <3.0.0';

/** What a server of this version means for Pattern, in one sentence. */
export function meaningForPattern(version: string): string {
  const parsed = parseVersion(version);
  if (!parsed) return `Pattern's SurrealDB SDK decides from the version, and "${version}" is not one.`;
  if (parsed.major < 3) {
    return `Pattern releases of the SurrealDB era (Rust SDK 2.3, which accepts servers ${PATTERN_SDK_RANGE}) connect to it.`;
  }
  return (
    `Pattern releases of the SurrealDB era embed the Rust SDK 2.3, which refuses it (it accepts servers ${PATTERN_SDK_RANGE}): ` +
    `Pattern needs a build with the SurrealDB ${parsed.major} SDK to use this server.`
  );
}

/** What else this version changes for pattern-db's users, beyond Pattern's SDK. */
export function versionNotes(version: string): string[] {
  const parsed = parseVersion(version);
  if (!parsed || parsed.major < 3) return [];
  if (writesStoresAfter30(parsed)) {
    return [
      `SurrealDB ${parsed.major}.${parsed.minor} writes surrealkv folders in the 3.1+ format: a surreal 3.1+ reads them, @surrealdb/node 3.0.x cannot.`,
    ];
  }
  return [`SurrealDB ${parsed.major}.${parsed.minor} writes surrealkv folders in the 3.0 format, which @surrealdb/node 3.0.x reads.`];
}
