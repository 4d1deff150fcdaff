// How a migration that ran every step ends: the data moved but Pattern still pointed at the store is a failure (exit 1).

export function configLeftUnwritten(state: { config?: { configPath?: string; written: boolean } }): boolean {
  return Boolean(state.config?.configPath && !state.config.written);
}
