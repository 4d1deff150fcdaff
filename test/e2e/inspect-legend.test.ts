// The inspector's key legend in a real terminal (tmux) against a real server, at 80x24 and at 100 columns: one row
// in every view, `?` for help on it, and the title still on the screen's first row. Screens go to test-output/e2e/.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { binPath, repoRoot } from '../helpers/pattern-db.js';
import { seedPatternDatabase } from '../helpers/pattern-server.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/surreal.js';
import { TmuxSession } from './tmux.js';

const screens = path.join(repoRoot, 'test-output', 'e2e');
const cleanups: Array<() => Promise<unknown>> = [];
let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  await seedPatternDatabase(server, 'pattern', 'pattern', 30);
  dir = await tempDir();
  cleanups.push(() => server.stop(), () => fs.rm(dir, { recursive: true, force: true }));
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The title on the first row, and the legend (the last row with text) one row that fits, with ? for help. */
function expectOneRowLegend(screen: string, columns: number): void {
  const rows = screen.trimEnd().split('\n');
  const legend = rows.at(-1)!;
  expect(rows[0]).toMatch(/^pattern-db inspect · read-only/);
  expect(Array.from(legend).length).toBeLessThanOrEqual(columns);
  expect(legend).toMatch(/\? help/);
  expect(legend).not.toContain('…');
  // The row above is the status line, not a first half of the legend.
  expect(rows.at(-2)).not.toContain(' · ');
}

for (const columns of [80, 100]) {
  it(`at ${columns}x24 the legend stays one row in the tree, a table's records and a record`, async () => {
    const session = await TmuxSession.start(`node ${binPath} inspect ${server.url}`, {
      cwd: dir,
      columns,
      rows: 24,
      env: { SURREAL_USER: server.username, SURREAL_PASS: server.password },
    });
    cleanups.push(() => session.kill());
    const tree = await session.waitFor(/pattern\s+\d+ tables, \d+ recor/, 60_000);
    expectOneRowLegend(tree, columns);
    await session.send(['/']);
    await session.type('agent');
    await session.send(['Enter']);
    await session.waitFor(/enter records/);
    const filtered = await session.waitFor(/esc clear filter/);
    await session.save(screens, `inspect-legend-${columns}-tree.txt`);
    expectOneRowLegend(filtered, columns);
    await session.send(['Enter']);
    const records = await session.waitFor(/agent › records 1–\d+ of \d+/);
    await session.save(screens, `inspect-legend-${columns}-records.txt`);
    expectOneRowLegend(records, columns);
    await session.send(['Enter']);
    await session.waitFor(/id: agent:/);
    await session.send(['Tab']);
    const record = await session.waitFor(/enter follow edge/);
    await session.save(screens, `inspect-legend-${columns}-record.txt`);
    expectOneRowLegend(record, columns);
    await session.send(['q']);
    await session.waitFor(/\[exit 0\]/, 15_000);
  }, 120_000);
}
