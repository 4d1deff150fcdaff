// Waits at a named point when PATTERN_DB_PAUSE_AT asks for it (see core/pause-point.ts); does nothing otherwise.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pauseMarker, pausesAt, type PausePoint } from '../core/pause-point.js';
import { makePrivateDir } from './private-files.js';

/** Long enough for any test to see the marker and kill the program; a run nobody kills goes on afterwards. */
const PAUSE_MS = 10 * 60_000;

export async function pauseAt(point: PausePoint, stateDir: string, env: Record<string, string | undefined> = process.env): Promise<void> {
  if (!pausesAt(env, point)) return;
  await makePrivateDir(stateDir);
  await fs.writeFile(path.join(stateDir, pauseMarker(point)), `${process.pid}\n`, { mode: 0o600 });
  await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
}
