// The wizard's "Start over": the journal and the export file the stopped run wrote go aside, so the new run can write
// its own (it refused the export file that was left, and the offer to continue was gone); nothing else is touched.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { newJournal } from '../../src/core/journal.js';
import { readJournal, setRunAside, writeJournal } from '../../src/files/journal-file.js';
import { sha256File } from '../../src/files/sha256-file.js';
import { tempDir } from '../helpers/temp-folders.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

it("sets aside the journal and the export file it recorded, and leaves a file that is no longer that export", async () => {
  const dir = await tempDir('pattern-db-aside-');
  dirs.push(dir);
  const stateDir = path.join(dir, '.pattern-db');
  const exportFile = path.join(dir, 'pattern_export.surql');
  await fs.writeFile(exportFile, 'DEFINE TABLE t;\n');
  const journal = newJournal({}, ['preflight', 'export']);
  journal.steps.export = { state: 'done', artifacts: [{ path: exportFile, sha256: await sha256File(exportFile), bytes: 16 }] };
  await writeJournal(stateDir, journal);

  expect(await setRunAside(stateDir, journal)).toEqual([path.join(stateDir, 'journal.json'), exportFile]);
  expect(await readJournal(stateDir)).toBeNull();
  const names = await fs.readdir(dir);
  expect(names).not.toContain('pattern_export.surql');
  expect(names.filter((n) => /^pattern_export\.surql\.\d+\.old$/.test(n))).toHaveLength(1);

  await fs.writeFile(exportFile, 'my own file\n');
  await writeJournal(stateDir, journal);
  expect(await setRunAside(stateDir, journal)).toEqual([path.join(stateDir, 'journal.json')]);
  expect(await fs.readFile(exportFile, 'utf8')).toBe('my own file\n');
});
