// The command that starts a recorded managed server again on its storage: one spelling for every place that shows it.
import { majorOf } from './route.js';

/** `username`: the server's root user; another than root is named, or the server would start with root and that password. */
export function serverStartCommand(server: { storage: string; bind: string; version: string; username?: string }, stateDir: string): string {
  const major = majorOf(server.version) === 2 ? ' --major 2' : '';
  const user = server.username && server.username !== 'root' ? ` --username ${server.username}` : '';
  return `SURREAL_PASS=… pattern-db server start --storage ${server.storage} --bind ${server.bind}${major}${user} --state-dir ${stateDir}`;
}
