// The journal survives a power cut: its content is synced before the rename that publishes it, and the folder after
// the rename. Observed in the system calls of a real write (strace), as the kernel sees them.
import { execa } from 'execa';
import path from 'node:path';
import { expect, it } from 'vitest';
import { newJournal } from '../../src/core/journal.js';
import { readJournal } from '../../src/files/journal-file.js';
import { repoRoot } from '../helpers/pattern-db.js';
import { tempDir } from '../helpers/surreal.js';

it('writeJournal syncs the new journal before renaming it into place, then syncs the folder', async () => {
  const stateDir = path.join(await tempDir('pattern-db-journal-'), 'state');
  const module = path.join(repoRoot, 'dist/src/files/journal-file.js');
  const journal = newJournal({ command: 'migrate' });
  const script = `import(${JSON.stringify(module)}).then((m) => m.writeJournal(${JSON.stringify(stateDir)}, ${JSON.stringify(journal)}))`;
  const tracer = await execa('strace', ['-V'], { reject: false }).catch((error: Error) => ({ exitCode: -1, stderr: error.message }));
  expect(tracer.exitCode, `this test watches the write with strace (apt-get install strace): ${tracer.stderr}`).toBe(0);
  const traced = await execa('strace', ['-f', '-qq', '-y', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2', 'node', '-e', script], { reject: false });
  expect(traced.exitCode, traced.stderr).toBe(0);
  const calls = traced.stderr.split('\n').map((line) => line.replace(/^\[pid\s+\d+\]\s*/, ''));
  const file = path.join(stateDir, 'journal.json');
  const syncedTemp = calls.findIndex((c) => /^f(data)?sync\(\d+</.test(c) && c.includes(`<${file}.`) && c.includes('.tmp>'));
  const renamed = calls.findIndex((c) => /^rename/.test(c) && c.includes(`"${file}"`));
  const syncedFolder = calls.findIndex((c) => /^f(data)?sync\(\d+</.test(c) && c.includes(`<${stateDir}>`));
  expect(syncedTemp, calls.join('\n')).toBeGreaterThanOrEqual(0);
  expect(renamed).toBeGreaterThan(syncedTemp);
  expect(syncedFolder).toBeGreaterThan(renamed);
  expect((await readJournal(stateDir))?.fingerprint).toEqual({ command: 'migrate' });
});
