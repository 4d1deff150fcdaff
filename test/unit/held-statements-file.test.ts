import { existsSync, mkdtempSync, promises as fsp, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Statement } from '../../src/core/surql-scan.js';
import { HeldStatementsFile } from '../../src/files/held-statements-file.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pattern-db-held-'));
  file = path.join(dir, 'held.jsonl');
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (text: string, records = 1): Statement => ({ text, kind: 'insert', table: 'agent', records, bytes: Buffer.byteLength(text) + 1 });

async function released(hold: HeldStatementsFile): Promise<Statement[]> {
  const out: Statement[] = [];
  for await (const statement of hold.release()) out.push(statement);
  return out;
}

describe('HeldStatementsFile', () => {
  it('gives back every statement as it was added, in order, whatever its text holds', async () => {
    const statements = [
      insert("INSERT [ { id: agent:a, note: 'two\nlines\r\nand a \u2028 separator' } ];"),
      { ...insert('INSERT RELATION [ { id: e:1, in: agent:a, out: msg:m } ];'), kind: 'insert-relation' as const, table: 'e' },
      insert(`INSERT [ { id: agent:b, name: '⟨雪⟩ 🌨 \\' "quoted" \\\\ back' } ];`),
      insert(`INSERT [ ${Array.from({ length: 60_000 }, (_, i) => `{ id: agent:r${i}, text: 'record ${i} ${'x'.repeat(40)}' }`).join(', ')} ];`, 60_000),
    ];
    const hold = new HeldStatementsFile(file);
    for (const statement of statements) await hold.add(statement);
    expect(await released(hold)).toEqual(statements);
  });

  it('keeps them in a file only its owner can read, and removes it once they are read back', async () => {
    const hold = new HeldStatementsFile(file);
    await hold.add(insert("INSERT [ { id: agent:a, secret: 'hash' } ];"));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await released(hold)).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
  });

  it('removes the file when the reader stops part-way, and when the statements are dropped', async () => {
    const hold = new HeldStatementsFile(file);
    await hold.add(insert('INSERT [ { id: agent:a } ];'));
    await hold.add(insert('INSERT [ { id: agent:b } ];'));
    for await (const statement of hold.release()) {
      expect(statement.text).toContain('agent:a');
      break;
    }
    expect(existsSync(file)).toBe(false);

    const dropped = new HeldStatementsFile(file);
    await dropped.add(insert('INSERT [ { id: agent:c } ];'));
    await dropped.discard();
    expect(existsSync(file)).toBe(false);
  });

  it('replaces a file an earlier, killed run left behind, and creates none when nothing is held', async () => {
    writeFileSync(file, '{"text":"INSERT [ { id: agent:stale } ];","kind":"insert","records":1,"bytes":30}\n');
    const hold = new HeldStatementsFile(file);
    await hold.add(insert('INSERT [ { id: agent:fresh } ];'));
    expect((await released(hold)).map((s) => s.text)).toEqual(['INSERT [ { id: agent:fresh } ];']);

    const empty = new HeldStatementsFile(file);
    expect(await released(empty)).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });

  it('says where it could not write, and leaves nothing behind', async () => {
    const hold = new HeldStatementsFile(path.join(dir, 'gone', 'held.jsonl'));
    await expect(hold.add(insert('INSERT [ { id: agent:a } ];'))).rejects.toThrow(/ENOENT.*gone/);
    expect(existsSync(path.join(dir, 'gone'))).toBe(false);
  });

  it('on a full disk, says so and how to go on, and removes what it had written', async () => {
    const open = fsp.open.bind(fsp);
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await open(...args);
      let writes = 0;
      const writeFile = handle.writeFile.bind(handle);
      handle.writeFile = async (data: Parameters<typeof handle.writeFile>[0]) => {
        if (++writes > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return writeFile(data);
      };
      return handle;
    });
    const hold = new HeldStatementsFile(file);
    await hold.add(insert('INSERT [ { id: agent:a } ];'));
    const refused = hold.add(insert('INSERT [ { id: agent:b } ];'));
    await expect(refused).rejects.toMatchObject({ code: 'E_DISK_FULL', message: expect.stringContaining(file), evidence: expect.stringContaining('ENOSPC'), fix: expect.stringContaining('--resume') });
    expect(existsSync(file)).toBe(false);
  });
});
