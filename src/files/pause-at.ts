// Waits at a named point when PATTERN_DB_PAUSE_AT asks for it (see core/pause-point.ts); does nothing otherwise.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pauseMarker, pausesAt, type PausePoint } from '../core/pause-point.js';
import { makePrivateDir, writePrivateFile } from './private-files.js';

/** Long enough for any test to see the marker and kill the program; a run nobody kills goes on afterwards. */
const PAUSE_MS = 10 * 60_000;
/** How often the marker is looked at: a test that removes it (having killed the server, not the program) ends the pause. */
const MARKER_POLL_MS = 50;

export async function pauseAt(point: PausePoint, stateDir: string, env: Record<string, string | undefined> = process.env): Promise<void> {
  if (!pausesAt(env, point)) return;
  await makePrivateDir(stateDir);
  const marker = path.join(stateDir, pauseMarker(point));
  // Whole or not there: a test that sees the marker reads the pid in it.
  await writePrivateFile(marker, `${process.pid}\n`);
  for (let waited = 0; waited < PAUSE_MS && existsSync(marker); waited += MARKER_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, MARKER_POLL_MS));
  }
}
