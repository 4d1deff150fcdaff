// `pattern-db export` of a SurrealDB 2 store: a 2.x file by default; with --target-version 3, the upgrade's file:
// surreal's own --v3 warnings shown with what was done, Pattern's statements 3.x refuses repaired, the file validated.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { servePrivately } from '../../src/surreal/private-server.js';
import { folderDigest, PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { surrealBin, tempDir } from '../helpers/surreal.js';

/** A small store written by SurrealDB 2 with what 2.x accepts and an upgrade must deal with. */
async function storeWithTraps(): Promise<string> {
  const dir = await tempDir();
  const served = await servePrivately({ bin: await surrealBin(2), folder: path.join(dir, 'pattern.db'), auth: 'none' });
  try {
    await served.client({ namespace: 'pattern', database: 'pattern' }).sql(`
      DEFINE NAMESPACE IF NOT EXISTS pattern; USE NS pattern; DEFINE DATABASE IF NOT EXISTS pattern; USE NS pattern DB pattern;
      DEFINE TABLE OVERWRITE msg SCHEMALESS;
      DEFINE FIELD id ON TABLE msg TYPE record;
      DEFINE FIELD content ON TABLE msg FLEXIBLE TYPE object;
      DEFINE FIELD embedding ON TABLE msg TYPE option<array<float>>;
      DEFINE ANALYZER msg_content_analyzer TOKENIZERS class FILTERS lowercase, snowball(english);
      DEFINE INDEX msg_content_search ON msg FIELDS content SEARCH ANALYZER msg_content_analyzer BM25 DOC_IDS_ORDER 200 HIGHLIGHTS;
      CREATE msg:msg_one SET content = { Text: 'the first backup' }, embedding = [0.5, 0.25];
      CREATE msg:msg_two SET content = { Blocks: [{ Thinking: { text: 'hmm', signature: 'sig' } }] };
    `);
  } finally {
    await served.close();
  }
  await fs.writeFile(path.join(dir, 'pattern.toml'), PATTERN_TOML);
  return dir;
}

it('writes the 2.x file by default, and with --target-version 3 the repaired, validated upgrade with every --v3 warning shown', async () => {
  const dir = await storeWithTraps();
  const before = await folderDigest(path.join(dir, 'pattern.db'));

  const stay = await runPatternDb(['export', '--json', '--export-file', 'two.surql'], { cwd: dir });
  expect(stay.exitCode, stay.stdout + stay.stderr).toBe(0);
  const two = await fs.readFile(path.join(dir, 'two.surql'), 'utf8');
  expect(two).toContain('SEARCH ANALYZER msg_content_analyzer');
  expect(two).toContain('DEFINE FIELD id ON msg TYPE record');
  expect(stay.events.some((e) => e.code === 'W_V3_ISSUE' || e.code === 'I_REPAIRED')).toBe(false);
  expect((await fs.stat(path.join(dir, 'two.surql'))).mode & 0o077).toBe(0);

  const up = await runPatternDb(['export', '--json', '--export-file', 'three.surql', '--target-version', '3'], { cwd: dir });
  expect(up.exitCode, up.stdout + up.stderr).toBe(0);
  const warning = up.events.find((e) => e.code === 'W_V3_ISSUE');
  expect(warning?.message).toContain('The `SEARCH` index has been renamed to `FULLTEXT`');
  expect(warning?.message).toContain('unlikely_break');
  expect(warning?.evidence).toContain('FULLTEXT ANALYZER');
  expect(warning?.fix).toContain('Repairs applied');
  expect(up.result?.export?.v3Issues).toHaveLength(1);
  const repaired = up.events.filter((e) => e.code === 'I_REPAIRED').map((e) => e.message as string);
  expect(repaired.some((m) => m.includes('drop-id-field'))).toBe(true);
  expect(repaired.some((m) => m.includes('flexible-on-schemaless'))).toBe(true);
  expect(up.events.some((e) => e.code === 'I_VALIDATED')).toBe(true);
  const three = await fs.readFile(path.join(dir, 'three.surql'), 'utf8');
  expect(three).toContain('FULLTEXT ANALYZER msg_content_analyzer');
  expect(three).not.toMatch(/DEFINE FIELD id |FLEXIBLE/);
  expect((await fs.stat(path.join(dir, 'three.surql'))).mode & 0o077).toBe(0);

  expect(await folderDigest(path.join(dir, 'pattern.db'))).toBe(before);
}, 300_000);
