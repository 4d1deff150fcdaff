// Nothing pattern-db starts or writes may land in the user's store: a server's storage, the state folder and the
// export file are refused when they are the store, lie inside it or contain it, after resolving symlinks.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WizardController } from '../../src/commands/wizard-controller.js';
import { storeOverlap } from '../../src/files/store-overlap.js';
import type { Answer, PromptSpec, WizardInput } from '../../src/ui/contract.js';
import { folderDigest, interactiveOptions, patternFolder, type PatternFolder } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { processesMentioning } from '../helpers/processes.js';
import { freePort, tempDir } from '../helpers/surreal.js';

let folder: PatternFolder;
let digest: string;
let outside: string;

beforeAll(async () => {
  folder = await patternFolder(100);
  digest = await folderDigest(folder.storePath);
  outside = await tempDir();
  await fs.symlink(folder.storePath, path.join(outside, 'link-to-store'));
  await fs.symlink(folder.dir, path.join(outside, 'link-to-parent'));
});

afterAll(async () => {
  await fs.rm(folder.dir, { recursive: true, force: true });
  await fs.rm(outside, { recursive: true, force: true });
});

/** Every way a folder can overlap the store (its path, once the folders exist), and the words the refusal uses. */
const OVERLAPPING: Array<[string, () => string, string]> = [
  ['the store itself', () => folder.storePath, 'is the store'],
  ['a folder inside it', () => path.join(folder.storePath, 'server-data'), 'lies inside the store'],
  ['its parent', () => folder.dir, 'contains the store'],
  ['a symlink to it', () => path.join(outside, 'link-to-store'), 'is the store'],
  ['a new folder under a symlink to it', () => path.join(outside, 'link-to-store', 'new', 'deeper'), 'lies inside the store'],
  ['a symlink to its parent', () => path.join(outside, 'link-to-parent'), 'contains the store'],
];

describe('storeOverlap', () => {
  it('tells the store, inside, around and apart, through symlinks and not-yet-created folders', async () => {
    for (const [, candidate, words] of OVERLAPPING) expect(await storeOverlap(candidate(), folder.storePath), candidate()).toBe(words);
    expect(await storeOverlap(path.join(folder.dir, 'surrealdb-data'), folder.storePath)).toBeNull();
    expect(await storeOverlap(`${folder.storePath}-copy`, folder.storePath)).toBeNull();
    expect(await storeOverlap(path.join(outside, 'new'), folder.storePath)).toBeNull();
  });
});

describe('migrate refuses a place for writing that overlaps the store, before anything starts', () => {
  async function refused(args: string[], words: string) {
    const bind = `127.0.0.1:${await freePort()}`;
    const run = await runPatternDb(['migrate', '--yes', '--json', '--bind', bind, ...args], { cwd: folder.dir, env: { SURREAL_PASS: 'overlap-pass' } });
    expect(run.exitCode, run.stdout + run.stderr).toBe(2);
    expect(run.result?.error?.code).toBe('E_USAGE');
    expect(run.result?.error?.message).toContain(words);
    expect(run.result?.error?.fix).toMatch(/outside/);
    expect((await processesMentioning(bind)).filter((pid) => !run.stdout.includes(String(pid)))).toEqual([]);
    expect(await folderDigest(folder.storePath)).toBe(digest);
    expect(await fs.readdir(folder.dir)).not.toContain('pattern_export.surql');
  }

  for (const [name, place, words] of OVERLAPPING) {
    it(`--start-server surrealkv:// on ${name}`, async () => {
      const candidate = place();
      await refused(['--start-server', `surrealkv://${candidate}`], `The new server's storage (--start-server) ${candidate} ${words}`);
    });
  }

  it('--state-dir inside the store', async () => {
    const stateDir = path.join(folder.storePath, '.pattern-db');
    await refused(['--start-server', 'memory', '--state-dir', stateDir], `--state-dir ${stateDir} lies inside the store`);
    await expect(fs.access(stateDir)).rejects.toThrow();
  });

  it('--export-file inside the store (through a symlink)', async () => {
    const file = path.join(outside, 'link-to-store', 'export.surql');
    await refused(['--start-server', 'memory', '--export-file', file], `--export-file ${file} lies inside the store`);
  });
});

it('a refused run leaves a store named snapshots in its --state-dir alone', async () => {
  const stateDir = path.join(outside, 'keep');
  const store = path.join(stateDir, 'snapshots');
  await fs.cp(folder.storePath, store, { recursive: true });
  const run = await runPatternDb(['migrate', '--yes', '--json', '--start-server', 'memory', '--bind', `127.0.0.1:${await freePort()}`, '--source', store, '--state-dir', stateDir], {
    cwd: folder.dir,
    env: { SURREAL_PASS: 'overlap-pass' },
  });
  expect(run.exitCode, run.stdout + run.stderr).toBe(2);
  expect(run.result?.error?.message).toContain(`--state-dir ${stateDir} contains the store ${store}`);
  expect(await folderDigest(store)).toBe(digest);
});

it('backup refuses a --dir or --state-dir inside an embedded store it backs up', async () => {
  for (const [flag, place] of [['--dir', path.join(folder.storePath, 'backups')], ['--state-dir', path.join(outside, 'link-to-store', 'state')]] as const) {
    const other = flag === '--dir' ? ['--state-dir', path.join(outside, 'backup-state')] : ['--dir', path.join(outside, 'backups')];
    const run = await runPatternDb(['backup', '--json', '--source', folder.storePath, flag, place, ...other], { cwd: folder.dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(2);
    expect(run.result?.error?.message ?? run.stderr).toContain(`${flag} ${place} lies inside the store`);
    expect(await folderDigest(folder.storePath)).toBe(digest);
  }
});

it('inspect and the doctor refuse a --state-dir inside the store they copy (the snapshot would be made in it)', async () => {
  const place = path.join(outside, 'link-to-store', 'state');
  const inspect = await runPatternDb(['inspect', `surrealkv://${folder.storePath}`, '--json', '--state-dir', place], { cwd: folder.dir });
  expect(inspect.exitCode, inspect.stdout + inspect.stderr).toBe(2);
  expect(inspect.result?.error?.message ?? inspect.stderr).toContain('lies inside the store');
  const doctor = await runPatternDb(['doctor', '--json', '--source', folder.storePath, '--state-dir', place], { cwd: folder.dir });
  expect(doctor.stdout).toContain('lies inside the store');
  expect(await folderDigest(folder.storePath)).toBe(digest);
});

describe('server start refuses storage that overlaps the store of the Pattern config it finds', () => {
  for (const [name, place, words] of OVERLAPPING) {
    it(name, async () => {
      const candidate = place();
      const bind = `127.0.0.1:${await freePort()}`;
      const stateDir = path.join(outside, `state-${Math.random().toString(36).slice(2)}`);
      const run = await runPatternDb(['server', 'start', '--json', '--storage', `surrealkv://${candidate}`, '--bind', bind, '--state-dir', stateDir], {
        cwd: folder.dir,
        env: { SURREAL_PASS: 'overlap-pass' },
      });
      expect(run.exitCode, run.stdout + run.stderr).toBe(2);
      expect(run.result?.error?.message).toContain(`The server's storage ${candidate} ${words}`);
      expect(await processesMentioning(bind)).toEqual([]);
      expect(await folderDigest(folder.storePath)).toBe(digest);
      await expect(fs.access(stateDir)).rejects.toThrow();
    });
  }
});

it("the wizard asks again for a server folder that overlaps the store, saying why", async () => {
  const options = interactiveOptions(folder);
  const controller = new WizardController(options);
  const folders = [folder.storePath, path.join(folder.storePath, 'data'), folder.dir, path.join(outside, 'server-data')];
  const answers: Record<string, Answer[]> = { start: [true], 'target.kind': ['new'], 'target.storage': ['surrealkv'], 'target.folder': [...folders] };
  const asked: PromptSpec[] = [];
  controller.bus.subscribe((input: WizardInput) => {
    if (input.type !== 'prompt') return;
    asked.push(input.prompt);
    const queue = answers[input.prompt.id];
    // The question after the folder: the folder was taken; stop here.
    if (!queue?.length) return void setImmediate(() => controller.actions.cancel());
    const answer = queue.shift()!;
    setImmediate(() => controller.actions.answer(input.prompt.id, answer));
  });
  expect(await controller.run()).toBe(130);
  // Why an answer was refused is shown under the question (`problem`), with the answer kept for correcting.
  const folderPrompts = asked.filter((p) => p.id === 'target.folder').map((p) => p as Extract<PromptSpec, { kind: 'text' }>);
  expect(folderPrompts).toHaveLength(4);
  expect(folderPrompts[0]!.problem).toBeUndefined();
  expect(folderPrompts[1]!.problem).toContain(`${folder.storePath} is the store`);
  expect(folderPrompts[1]!.value).toBe(folders[0]);
  expect(folderPrompts[2]!.problem).toContain('lies inside the store');
  expect(folderPrompts[3]!.problem).toContain('contains the store');
  expect(asked.at(-1)?.id).not.toBe('target.folder');
  expect(await folderDigest(folder.storePath)).toBe(digest);
}, 120_000);
