import path from 'node:path';
import type { RunOptions } from '../core/options.js';
import { EMBEDDED_ENGINE } from '../surreal/embedded.js';
import type { RunState } from '../steps/run-state.js';
import type { PlanFacts } from '../ui/contract.js';

/** What the welcome screen says was found, and what will and will not happen. */
export function planFacts(options: RunOptions, state: RunState): PlanFacts {
  const pre = state.preflight;
  const tables = Object.entries(pre?.sourceCounts ?? {})
    .map(([table, records]) => ({ table, records }))
    .sort((a, b) => b.records - a.records);
  const config = pre?.configPath;
  const surreal = [pre?.surreal, pre?.surreal2].flatMap((p) => (p ? [`${p.version} at ${p.path}`] : []));
  return {
    ...(config ? { configPath: config } : {}),
    ...(pre?.storePath ? { storePath: pre.storePath } : {}),
    ...(pre?.store ? { storeBytes: pre.store.bytes, storeFormat: pre.store.format } : {}),
    tables,
    ...(surreal.length ? { surreal: surreal.join('; ') } : {}),
    engine: pre?.sourceEngine ?? EMBEDDED_ENGINE,
    exportFile: options.exportFile,
    willChange: [
      `export ${options.namespace}/${options.database} to ${path.relative(options.cwd, options.exportFile) || options.exportFile} (kept as a backup)`,
      'load it into the server you choose, then compare every record',
      ...(config ? [`point [database] in ${path.basename(config)} at the server, after showing the diff and keeping a backup`] : []),
    ],
    untouched: [
      `the store ${pre?.storePath ?? ''} (read from a copy; never opened)`,
      ...(config ? ['every other line of the config: comments, sections, order'] : []),
      'your credentials: never written unless you choose .env',
    ],
  };
}
