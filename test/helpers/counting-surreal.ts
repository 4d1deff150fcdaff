// A stand-in `surreal` that writes down each run it is given (its arguments, and the environment variables a test
// asked about) and then runs the real one in its place, so a test can count how often a run opened the store, and
// see what each program was started with.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempDir } from './surreal.js';

export interface SurrealCall {
  /** Its arguments, joined by spaces (`export --endpoint surrealkv://… …`). */
  args: string;
  /** Those of the asked-about variables it was given (an unset or empty one is left out). */
  env: Record<string, string>;
}

export interface CountingSurreal {
  /** The program to pass as SURREAL_BIN / SURREAL2_BIN. */
  bin: string;
  /** The commands it was given so far, in order (`start`, `export`, …). */
  commands(): Promise<string[]>;
  /** Each run so far, in order. */
  calls(): Promise<SurrealCall[]>;
}

/** `envNames`: the environment variables whose values each run records. */
export async function countingSurreal(realBin: string, envNames: readonly string[] = []): Promise<CountingSurreal> {
  const dir = await tempDir('pattern-db-counting-');
  const log = path.join(dir, 'calls');
  const bin = path.join(dir, 'surreal');
  // One line per run, tab-separated: NAME=value for each name asked about, then the arguments.
  const line = [...envNames.map((name) => `${name}=\${${name}-}`), '$*'].join('\t');
  await fs.writeFile(bin, `#!/bin/sh\nprintf '%s\\n' "${line}" >> '${log}'\nexec '${realBin}' "$@"\n`, { mode: 0o755 });
  const calls = async (): Promise<SurrealCall[]> =>
    (await fs.readFile(log, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((text) => {
        const fields = text.split('\t');
        const given = fields.slice(0, envNames.length).map((field) => [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)]);
        return { args: fields.slice(envNames.length).join('\t'), env: Object.fromEntries(given.filter(([, value]) => value !== '')) };
      });
  return {
    bin,
    commands: async () => (await calls()).map((call) => call.args.split(' ')[0]!),
    calls,
  };
}
