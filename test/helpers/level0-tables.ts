// Tables in a SurrealDB 3.0 store's level 0. The 3.0 engine writes one as it closes the store after a write, and never
// merges them: from four on, a surreal 3.1+ compacts them as it opens the store (src/surreal/surrealkv-compaction.ts).
import { execa } from 'execa';
import { dueCompaction } from '../../src/surreal/surrealkv-compaction.js';
import { repoRoot } from './pattern-db.js';

// One write, outside pattern/pattern, by the embedded engine in a process of its own, which may keep it alive after
// close: it exits a moment after, the table written (a flush cut short leaves a table the manifest does not list).
const WRITE = `
import { Surreal } from 'surrealdb';
import { createNodeEngines } from '@surrealdb/node';
const db = new Surreal({ engines: createNodeEngines() });
await db.connect('surrealkv://' + process.argv[1]);
await db.use({ namespace: 'padding', database: 'padding' });
await db.query('CREATE note SET n = $n', { n: Number(process.argv[2]) }).collect();
await db.close();
setTimeout(() => process.exit(0), 1000);
`;

/** Writes into the 3.0 store at `storePath` until a surreal 3.1+ would compact its level 0 as it opens it. */
export async function dueLevel0Compaction(storePath: string): Promise<void> {
  for (let n = 0; n < 10; n++) {
    if ((await dueCompaction(storePath))?.level === 0) return;
    await execa('node', ['--input-type=module', '-e', WRITE, storePath, String(n)], { cwd: repoRoot, timeout: 60_000 });
  }
  throw new Error(`${storePath}: level 0 still holds fewer than 4 tables after 10 writes`);
}
