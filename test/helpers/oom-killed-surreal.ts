// A stand-in `surreal` that runs the real one and, when it is started as a server, sends it SIGKILL as soon as it logs
// that it opens its store: what the kernel's out-of-memory killer does to a SurrealDB 2 server reading a store too big
// for the machine's memory (it holds every key of the store in memory). Other commands run the real one unchanged.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempDir } from './surreal.js';

/** The line a 2.x and a 3.x server log as they begin to open the store. */
const OPENING = 'Starting kvs store';

/** The program to pass as SURREAL_BIN / SURREAL2_BIN. */
export async function oomKilledSurreal(realBin: string): Promise<string> {
  const dir = await tempDir('pattern-db-oom-killed-');
  const bin = path.join(dir, 'surreal');
  const script = [
    '#!/bin/sh',
    `[ "$1" = start ] || exec '${realBin}' "$@"`,
    `log='${dir}'/log.$$; mkfifo "$log"`,
    `'${realBin}' "$@" >"$log" 2>&1 & server=$!`,
    `while IFS= read -r line; do printf '%s\\n' "$line"; case $line in *'${OPENING}'*) kill -KILL "$server";; esac; done <"$log"`,
    'rm -f "$log"; wait "$server"; exit $?',
  ];
  await fs.writeFile(bin, `${script.join('\n')}\n`, { mode: 0o755 });
  return bin;
}
