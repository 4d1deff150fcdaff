// What the wizard's welcome screen says before anything runs: what a store-only preflight found, and what the
// migration will and will not touch.
import path from 'node:path';
import type { RunOptions } from './options.js';
import { routeWarning, type Route } from './route.js';

export interface MigrationPreview {
  configPath?: string;
  storePath?: string;
  storeBytes?: number;
  storeFormat?: string;
  tables: Array<{ table: string; records: number }>;
  surreal?: string; // e.g. "3.0.5 at /path (PATH)"
  engine: string; // the embedded engine, e.g. "@surrealdb/node 3.0.3 (SurrealDB 3.0.2)"
  exportFile: string;
  /** What the route (decided by the store or by flags) means for Pattern, when it warns. */
  routeWarning?: { code: string; message: string };
  willChange: string[];
  untouched: string[];
}

/** The part of the preflight's result the preview reads. */
export interface PreviewFindings {
  configPath?: string;
  storePath?: string;
  store?: { format: string; bytes: number };
  sourceEngine?: string;
  sourceCounts?: Record<string, number>;
  surreal?: { version: string; path: string };
  surreal2?: { version: string; path: string };
  route?: Route;
}

/** `engine` names the embedded engine, shown when the preflight did not say what read the store. */
export function migrationPreview(options: RunOptions, found: PreviewFindings | undefined, engine: string): MigrationPreview {
  const tables = Object.entries(found?.sourceCounts ?? {})
    .map(([table, records]) => ({ table, records }))
    .sort((a, b) => b.records - a.records);
  const config = found?.configPath;
  const surreal = [found?.surreal, found?.surreal2].flatMap((p) => (p ? [`${p.version} at ${p.path}`] : []));
  const warning = found?.route && routeWarning(found.route);
  return {
    ...(config ? { configPath: config } : {}),
    ...(found?.storePath ? { storePath: found.storePath } : {}),
    ...(found?.store ? { storeBytes: found.store.bytes, storeFormat: found.store.format } : {}),
    tables,
    ...(surreal.length ? { surreal: surreal.join('; ') } : {}),
    engine: found?.sourceEngine ?? engine,
    exportFile: options.exportFile,
    ...(warning ? { routeWarning: { code: warning.code, message: warning.message } } : {}),
    willChange: [
      `export ${options.namespace}/${options.database} to ${path.relative(options.cwd, options.exportFile) || options.exportFile} (kept as a backup)`,
      'load it into the server you choose, then compare every record',
      ...(config ? [`point [database] in ${path.basename(config)} at the server, after showing the diff and keeping a backup`] : []),
    ],
    untouched: [
      `the store ${found?.storePath ?? ''} (read from a copy; never opened)`,
      ...(config ? ['every other line of the config: comments, sections, order'] : []),
      'your credentials: never written unless you choose .env',
    ],
  };
}
