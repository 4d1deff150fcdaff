import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { watchExportProgress } from '../../src/files/watch-export.js';

it('counts the records of an export file while another process appends to it, across torn statements', async () => {
  const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'watch-export-')), 'dump.surql');
  const ticks: Array<[number, string | undefined]> = [];
  const stop = watchExportProgress(file, (records, table) => ticks.push([records, table]), 20);
  const wait = () => new Promise((resolve) => setTimeout(resolve, 120));
  await fs.writeFile(file, 'OPTION IMPORT;\nINSERT [ { id: msg:a, t: "x;y" }, { id: msg:b');
  await wait();
  await fs.appendFile(file, ' } ];\nINSERT RELATION [ { id: agent_messages:e1, in: agent:p, out: msg:a } ];\n');
  await wait();
  stop();
  expect(ticks.at(-1)).toEqual([3, 'agent_messages']);
  expect(ticks.some(([records]) => records === 0)).toBe(true);
});
