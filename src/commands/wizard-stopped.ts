// The line the wizard leaves under its last screen when the user stopped it (q or Ctrl-C) before the end.
import { stoppedStep } from '../core/journal.js';
import { readJournal } from '../files/journal-file.js';

export async function wizardStoppedLine(stateDir: string): Promise<string> {
  const stopped = stoppedStep(await readJournal(stateDir).catch(() => null));
  const kept = 'Your store and your Pattern config are as they were.';
  return stopped
    ? `pattern-db: stopped at "${stopped}". ${kept} Run pattern-db migrate again to continue from there, or to start over.`
    : `pattern-db: stopped. ${kept}`;
}
