// Issue 15 on the routes every Pattern installation has: a SurrealDB 2 store kept on a managed 2.x server, or upgraded
// to a managed 3.x one (--target-version 3), `migrate` SIGKILLed inside its steps, then --resume (test/helpers/kill-resume.ts);
// and the managed 2.x server killed instead, with pattern-db left running (test/helpers/kill-server.ts).
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { PatternFolder } from '../helpers/fixture-store.js';
import { MIGRATE_KILL_POINTS, type KillPoint } from '../helpers/kill-points.js';
import { cleanUp, killAndResume, type Route } from '../helpers/kill-resume.js';
import { processesLeftMentioning } from '../helpers/processes.js';
import { killServerAndResume } from '../helpers/kill-server.js';

// The suite's time is bounded (CI builds both surreals first): here the points where the 2.x programs do the work
// (the 2.x export, the 2.x server's full-text index build) and the config write; the 3.x file has every point.
const INSIDE_STEPS = ['inside the export', "inside the index build (msg's full-text index)", 'inside the config write, between backup and rename'];
const UPGRADE_POINTS = ["inside the index build (msg's full-text index)"];
const pointsOf = (names: string[]) => MIGRATE_KILL_POINTS.filter((point) => names.includes(point.name));
// The upgrade: the index build on its 3.x target, from the repaired --v3 export.
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

// The default driver: a private 2.x server on the snapshot takes the census and writes the export (POST /export). Killed
// with that export begun, pattern-db takes the server with it (its watchdog: SIGTERM, then SIGKILL after 3 s).
const SERVED_EXPORT: KillPoint = { name: "inside the private server's export", pause: 'served-export' };
const servedRoutes: Route[] = [
  { name: '2x-stay-served', engine: 2, messages: 60, flags: [], driver: 'auto' },
  { name: '2x-upgrade-served', engine: 2, messages: 60, flags: ['--target-version', '3'], driver: 'auto' },
];
it.each(servedRoutes.map((route) => [route.name, route] as const))(
  "%s: killed inside the private server's export, the server ends with it, migrate --resume finishes the job",
  async (_name, route) => {
    await killAndResume(route, SERVED_EXPORT, folders, async (stateDir) => {
      const left = await processesLeftMentioning(path.join(stateDir, 'snapshots'), 10_000);
      expect(left, 'processes still reading the snapshot 10 s after pattern-db was killed').toEqual([]);
    });
  },
  180_000,
);

// Where the 2.x programs talk to the dying server: its `surreal import` of the records, and the verification.
const SERVER_POINTS = pointsOf(['inside the first import chunk (the records)', 'inside the verification']);
const stayServer: Route = { name: '2x-stay-server', engine: 2, messages: 60, flags: [] };
it.each(SERVER_POINTS.map((point) => [point.name, point] as const))(
  '2x-stay: the 2.x server killed %s, pattern-db says so, migrate --resume finishes the job',
  async (_name, point) => {
    await killServerAndResume(stayServer, point, folders);
  },
  180_000,
);
