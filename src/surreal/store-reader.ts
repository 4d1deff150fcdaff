// Which `surreal` can read a store of a given format: its own major, and for the 3.1+ format a 3.1 or later.
import { parseVersion, writesStoresAfter30 } from '../core/server-version.js';
import { locateSurreal, type LocatedSurreal, type SurrealProgram } from './cli.js';
import type { StoreFormat } from '../core/store-format.js';

/** Whether this surreal reads a store of this format (and writes it back in a format it reads, on a snapshot). */
export function surrealReads(program: Pick<SurrealProgram, 'version' | 'major'>, format: StoreFormat): boolean {
  if (format === 'surrealkv-2') return program.major === 2;
  if (format === 'surrealkv-3.0') return program.major === 3;
  if (format === 'surrealkv-3.1+') {
    const version = parseVersion(program.version);
    return program.major === 3 && version !== null && writesStoresAfter30(version);
  }
  return false;
}

/** The first surreal (as locateSurreal finds them) that reads the format, or null: SURREAL2_BIN for 2.x, SURREAL_BIN for 3.x. */
export async function locateStoreReader(format: StoreFormat, env: NodeJS.ProcessEnv = process.env): Promise<LocatedSurreal | null> {
  if (format === 'unknown') return null;
  const found = await locateSurreal(env, { major: format === 'surrealkv-2' ? 2 : 3 });
  return found && surrealReads(found, format) ? found : null;
}

/** The minimum surreal a format needs, for messages: "2.x", "3.x", "3.1 or later". */
export function readerNeeded(format: StoreFormat): string {
  return format === 'surrealkv-2' ? 'a surreal 2.x' : format === 'surrealkv-3.1+' ? 'a surreal 3.1 or later' : 'a surreal 3.x';
}

/** How to get a surreal that reads a store of this major or format: the one wording of it, for every fix. */
export function howToGetSurreal(need: 2 | 3 | StoreFormat): string {
  if (need === 2 || need === 'surrealkv-2') {
    return "Install a SurrealDB 2 surreal (SurrealDB's installer takes a version, e.g. 2.6.5) and set SURREAL2_BIN to it, or put it on PATH; in this repository, scripts/ensure-surreal 2 builds one.";
  }
  if (need === 'surrealkv-3.1+') return "Install SurrealDB 3.1 or later (SurrealDB's installer gives 3.3.x today) and set SURREAL_BIN to it, or put it on PATH.";
  return "Install SurrealDB 3 (SurrealDB's installer gives 3.3.x today) and set SURREAL_BIN to it, or put it on PATH; in this repository, scripts/ensure-surreal builds one.";
}
