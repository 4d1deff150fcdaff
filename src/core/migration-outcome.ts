// How a migration that ran every step ends: the data moved but Pattern still pointed at the store is a failure (exit 1).

export function configLeftUnwritten(state: { config?: { configPath?: string; written: boolean } }): boolean {
  return Boolean(state.config?.configPath && !state.config.written);
}

/** "2026-11-30 11:20:03 UTC" from an ISO 8601 instant; a journal without one (written by hand) says "an earlier run". */
function runTime(startedAt: string): string {
  const at = new Date(startedAt);
  return Number.isNaN(at.getTime()) ? 'an earlier run' : `the run of ${at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`;
}

/** What `--resume` says of a run whose every step had finished, and what Pattern uses since. */
export function nothingToResumeLine(startedAt: string, config?: { url: string; written: boolean; declined?: true; configPath?: string }): string {
  const done = `Nothing to resume: ${runTime(startedAt)} finished`;
  if (!config) return `${done}.`;
  if (config.declined) return `${done}; the config rewrite was declined, so Pattern does not use ${config.url} yet (pattern-db config rewrite --target ${config.url} points it there).`;
  if (!config.configPath) return `${done}; there was no config to rewrite: point Pattern at ${config.url} yourself.`;
  return `${done}; Pattern uses ${config.url}.`;
}
