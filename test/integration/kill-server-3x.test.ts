// Issue 15, the other half: the managed server SIGKILLed where it runs, pattern-db left running. The run must say the
// server stopped (which, and how to go on), then the same command with --resume finishes the job (test/helpers/kill-server.ts).
import { afterEach, it } from 'vitest';
import type { PatternFolder } from '../helpers/fixture-store.js';
import { SERVER_KILL_POINTS } from '../helpers/kill-points.js';
import { cleanUp, type Route } from '../helpers/kill-resume.js';
import { killServerAndResume } from '../helpers/kill-server.js';

// One point for each way the run meets the dead server (the suite's time is bounded). Left out, as the same code as
// a point kept: before the server step is journaled and between server and import (the import fails with no chunk
// journaled and the resume imports from the first, as inside the first chunk), a middle import chunk (an index chunk,
// as the index build), between import and verify (the verification fails, as inside it), between verify and config
// (the run finishes and says so, as when the server dies inside the config write, where the kill lands at a fixed place).
const KEPT = [
  'inside the first import chunk (the records)',
  "inside the index build (msg's full-text index)",
  'inside the verification',
  'inside the config write, between backup and rename',
  'just after the run finished',
];
const route: Route = { name: '3x-server', engine: 3, messages: 100, flags: [] };
const folders: PatternFolder[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await cleanUp(folder);
});

it.each(SERVER_KILL_POINTS.filter((point) => KEPT.includes(point.name)).map((point) => [point.name, point] as const))(
  '3.x: the server killed %s, pattern-db says so, migrate --resume finishes the job',
  async (_name, point) => {
    await killServerAndResume(route, point, folders);
  },
  180_000,
);
