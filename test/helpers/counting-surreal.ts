// A stand-in `surreal` that writes down each command it is given (start, export, version, …) and then runs the real
// one in its place, so a test can count how often a run opened the store.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempDir } from './surreal.js';

export interface CountingSurreal {
  /** The program to pass as SURREAL_BIN / SURREAL2_BIN. */
  bin: string;
  /** The commands it was given so far, in order (`start`, `export`, …). */
  commands(): Promise<string[]>;
}

export async function countingSurreal(realBin: string): Promise<CountingSurreal> {
  const dir = await tempDir('pattern-db-counting-');
  const log = path.join(dir, 'commands');
  const bin = path.join(dir, 'surreal');
  await fs.writeFile(bin, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\nexec '${realBin}' "$@"\n`, { mode: 0o755 });
  return {
    bin,
    commands: async () => (await fs.readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean),
  };
}
