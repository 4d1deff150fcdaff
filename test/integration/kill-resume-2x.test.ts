// Issue 15 on the routes every Pattern installation has: a SurrealDB 2 store kept on a managed 2.x server, or upgraded
// to a managed 3.x one (--target-version 3), `migrate` SIGKILLed inside its steps, then --resume (test/helpers/kill-resume.ts).
// The 3.x route's file kills at every point; to stay lean, here only the points inside the steps, where the 2.x
// programs differ (a private 2.x server reads the snapshot, the 2.x export, the 2.x server's full-text index build).
import { afterEach, it } from 'vitest';
import type { PatternFolder } from '../helpers/fixture-store.js';
import { MIGRATE_KILL_POINTS, type KillPoint } from '../helpers/kill-points.js';
import { cleanUp, killAndResume, type Route } from '../helpers/kill-resume.js';

const INSIDE_STEPS = [
  "inside preflight's snapshot copy",
  'inside the export',
  'server started, before it is healthy',
  'inside the first import chunk (the records)',
  "inside the index build (msg's full-text index)",
  'inside the verification',
  'inside the config write, between backup and rename',
];
const UPGRADE_POINTS = ['inside the export', "inside the index build (msg's full-text index)", 'inside the verification'];
const pointsOf = (names: string[]) => MIGRATE_KILL_POINTS.filter((point) => names.includes(point.name));
// The upgrade differs from staying in its export (--v3, repaired), its target's index build and its verification (by value).
const routes: Array<[Route, KillPoint[]]> = [
  [{ name: '2x-stay', engine: 2, messages: 60, flags: [] }, pointsOf(INSIDE_STEPS)],
  [{ name: '2x-upgrade', engine: 2, messages: 60, flags: ['--target-version', '3'] }, pointsOf(UPGRADE_POINTS)],
];
const folders: PatternFolder[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await cleanUp(folder);
});

it.each(routes.flatMap(([route, points]) => points.map((point) => [route.name, point.name, route, point] as const)))(
  '%s: killed %s, migrate --resume finishes the job',
  async (_route, _name, route, point) => {
    await killAndResume(route, point, folders);
  },
  180_000,
);
