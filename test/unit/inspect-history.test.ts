import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendHistory, fileHistory, historyPath, loadHistory } from '../../src/files/inspect-history.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pattern-db-history-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('console history', () => {
  it('lives under XDG_STATE_HOME, else ~/.local/state', () => {
    expect(historyPath({ XDG_STATE_HOME: '/state' }, '/home/me')).toBe('/state/pattern-db/inspect-history.jsonl');
    expect(historyPath({ XDG_STATE_HOME: 'relative' }, '/home/me')).toBe('/home/me/.local/state/pattern-db/inspect-history.jsonl');
    expect(historyPath({}, '/home/me')).toBe('/home/me/.local/state/pattern-db/inspect-history.jsonl');
  });

  it('keeps queries across sessions, multi-line ones whole, in a file only the user can read', async () => {
    const file = historyPath({ XDG_STATE_HOME: dir });
    await appendHistory(file, 'SELECT *\nFROM msg');
    await appendHistory(file, 'INFO FOR DB');
    expect(await loadHistory(file)).toEqual(['SELECT *\nFROM msg', 'INFO FOR DB']);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  it('is capped: the newest entries are kept', async () => {
    const file = path.join(dir, 'h.jsonl');
    for (let i = 0; i < 25; i += 1) await appendHistory(file, `RETURN ${i}`, 10);
    expect(await loadHistory(file, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `RETURN ${i + 15}`));
    const lines = (await fs.readFile(file, 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
  });

  it('never writes a query that carries a password or a key', async () => {
    const file = path.join(dir, 'h.jsonl');
    await appendHistory(file, "DEFINE USER bob ON DATABASE PASSWORD 'hunter2' ROLES VIEWER");
    await appendHistory(file, "DEFINE ACCESS a ON DATABASE TYPE JWT ALGORITHM HS512 KEY 's3cret'");
    await appendHistory(file, 'RETURN 1');
    expect(await loadHistory(file)).toEqual(['RETURN 1']);
    expect(await fs.readFile(file, 'utf8')).not.toContain('hunter2');
  });

  it('a missing or damaged file is an empty history, and appends from the console never throw', async () => {
    const file = path.join(dir, 'sub', 'h.jsonl');
    expect(await loadHistory(file)).toEqual([]);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{"query":"RETURN 1"}\n{"query":"RET');
    const history = await fileHistory(file);
    expect(history.entries).toEqual(['RETURN 1']);
    history.append('RETURN 2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await loadHistory(file)).at(-1)).toBe('RETURN 2');
  });
});
