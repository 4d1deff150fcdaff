// Store folders written by a real `surreal` (the binary under test, SurrealDB 3.3.5 today) rather than by the
// embedded engine: a Pattern-shaped database on a surrealkv server, then the server stopped (or killed).
import path from 'node:path';
import { seedPatternDatabase } from './pattern-server.js';
import { startTestServer, tempDir } from './surreal.js';

export interface SurrealWrittenStore {
  /** The folder that holds the store (a pattern.db inside a fresh temporary folder). */
  dir: string;
  storePath: string;
  counts: Record<string, number>;
}

/**
 * Writes Pattern's schema and `messages` messages into `pattern/pattern` through a surreal server on a new surrealkv
 * folder. `crash` kills the server (SIGKILL) so what it wrote stays in the WAL; otherwise it is stopped cleanly.
 */
export async function storeWrittenBySurreal(options: { messages?: number; crash?: boolean; major?: 2 | 3 } = {}): Promise<SurrealWrittenStore> {
  const dir = await tempDir('pattern-db-surreal-store-');
  const storePath = path.join(dir, 'pattern.db');
  const server = await startTestServer({ storage: `surrealkv://${storePath}`, ...(options.major ? { major: options.major } : {}) });
  try {
    const counts = await seedPatternDatabase(server, 'pattern', 'pattern', options.messages ?? 50);
    if (options.crash) process.kill(server.state.pid, 'SIGKILL');
    return { dir, storePath, counts };
  } finally {
    await server.stop();
  }
}
