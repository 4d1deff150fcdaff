// Issue 15: a SurrealDB 3 store moved to a managed 3.x server, `migrate` SIGKILLed at every step boundary and inside
// every step, then the same command with --resume, which must finish the job (test/helpers/kill-resume.ts).
import { afterEach, it } from 'vitest';
import type { PatternFolder } from '../helpers/fixture-store.js';
import { MIGRATE_KILL_POINTS } from '../helpers/kill-points.js';
import { cleanUp, killAndResume, type Route } from '../helpers/kill-resume.js';

const route: Route = { name: '3x', engine: 3, messages: 100, flags: [] };
const folders: PatternFolder[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await cleanUp(folder);
});

it.each(MIGRATE_KILL_POINTS.map((point) => [point.name, point] as const))('3.x: killed %s, migrate --resume finishes the job', async (_name, point) => {
  await killAndResume(route, point, folders);
}, 180_000);
