// The command that starts a recorded managed server again on its storage: one spelling for every place that shows it.
import { majorOf } from './route.js';

export function serverStartCommand(server: { storage: string; bind: string; version: string }, stateDir: string): string {
  const major = majorOf(server.version) === 2 ? ' --major 2' : '';
  return `SURREAL_PASS=… pattern-db server start --storage ${server.storage} --bind ${server.bind}${major} --state-dir ${stateDir}`;
}
