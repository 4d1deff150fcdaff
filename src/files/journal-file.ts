import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { JOURNAL_VERSION, type Journal } from '../core/journal.js';
import { clearedTemporary, makeStateDir, PRIVATE_FILE_MODE } from './private-files.js';
import { sha256File } from './sha256-file.js';
import { syncFolder } from './sync-folder.js';

export function journalPath(stateDir: string): string {
  return path.join(stateDir, 'journal.json');
}

export async function readJournal(stateDir: string): Promise<Journal | null> {
  const file = journalPath(stateDir);
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return null;
  try {
    const journal = JSON.parse(text) as Journal;
    if (journal.version !== JOURNAL_VERSION) throw new Error(`journal version ${journal.version}`);
    return journal;
  } catch (error) {
    throw new PatternDbError('E_JOURNAL', `The journal ${file} cannot be read: ${(error as Error).message}.`, {
      fix: `Start a fresh run without --resume (move ${file} away first to keep it).`,
    });
  }
}

/** Starting over: the journal is renamed beside itself, never deleted. */
export async function setJournalAside(stateDir: string): Promise<void> {
  const file = journalPath(stateDir);
  await fs.rename(file, `${file}.${Date.now()}.old`);
}

/** The export files the journal's run wrote that are still there unchanged (same checksum): in a new run's way. */
export async function keptExports(journal: Journal): Promise<string[]> {
  const kept: string[] = [];
  for (const artifact of journal.steps.export?.artifacts ?? []) {
    if ((await sha256File(artifact.path).catch(() => null)) === artifact.sha256) kept.push(artifact.path);
  }
  return kept;
}

/**
 * Starting a migration over: its journal, and the export file it wrote when that file is still the one it wrote (same
 * checksum), are renamed beside themselves, so that the new run can write its own; another file there is left alone
 * (the preflight then says so). Checked here, at the moment of the rename, not when the user was asked. Returns what
 * was set aside.
 */
export async function setRunAside(stateDir: string, journal: Journal): Promise<string[]> {
  const aside = [journalPath(stateDir)];
  await setJournalAside(stateDir);
  for (const file of await keptExports(journal)) {
    await fs.rename(file, `${file}.${Date.now()}.old`);
    aside.push(file);
  }
  return aside;
}

/**
 * Written through a temporary file and a rename, so a crash leaves the previous journal, never half of one; the file
 * is synced before the rename and the folder after it, so a power cut cannot leave the rename without the content, nor
 * lose the rename after the import has moved on to the next chunk.
 */
export async function writeJournal(stateDir: string, journal: Journal): Promise<void> {
  const file = journalPath(stateDir);
  journal.updatedAt = new Date().toISOString();
  await makeStateDir(stateDir);
  const temp = await clearedTemporary(file);
  const handle = await fs.open(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(JSON.stringify(journal, null, 2) + '\n');
    await handle.sync();
  } catch (error) {
    // A full disk leaves no empty temporary journal behind; the journal itself is as it was.
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await fs.rename(temp, file);
  await syncFolder(stateDir);
}
