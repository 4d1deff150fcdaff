// The keys a person presses in the wizard from the welcome screen to a new server's root password, shared by the
// end-to-end tests that need to get past those questions to what they are about.
import type { TmuxSession } from './tmux.js';

export interface NewServerAnswers {
  port: number;
  /** memory unless told otherwise; surrealkv keeps the offered ./surrealdb-data. */
  storage?: 'memory' | 'surrealkv';
  /** For a SurrealDB 2 store: stay on 2 unless told 3. */
  major?: 2 | 3;
  user?: string;
}

export async function answerText(session: TmuxSession, text: string): Promise<void> {
  await session.type(text);
  await session.send(['Enter']);
}

/** Welcome → "Root password for the new server", for a new server on 127.0.0.1:`port`. */
export async function walkToRootPassword(session: TmuxSession, { port, storage = 'memory', major = 2, user = 'admin' }: NewServerAnswers): Promise<void> {
  await session.waitFor(/Start the migration\?/, 120_000);
  await session.send(['Enter']);
  await session.waitFor(/Where should the data go\?/);
  await session.send(['Enter']); // a new server here
  await session.waitFor(/Storage for the new server/);
  if (storage === 'memory') {
    await session.send(['Down', 'Enter']);
  } else {
    await session.send(['Enter']);
    await session.waitFor(/Folder for the server's data/);
    await session.send(['Enter']); // ./surrealdb-data
  }
  const next = await session.waitFor(/which SurrealDB should the new server run\?|Address to listen on/);
  if (/which SurrealDB/.test(next)) await session.send(major === 3 ? ['Down', 'Enter'] : ['Enter']);
  await session.waitFor(/Address to listen on/);
  await answerText(session, `127.0.0.1:${port}`);
  await session.waitFor(/Root user/);
  await answerText(session, user);
  await session.waitFor(/Root password for the new server/);
}
