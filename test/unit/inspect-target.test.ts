import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTarget, resolveTarget } from '../../src/commands/inspect.js';
import type { Io } from '../../src/commands/command-runner.js';
import { tempDir } from '../helpers/temp-folders.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir('pattern-db-target-');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const io = (env: NodeJS.ProcessEnv = {}): Io => ({ stdout: process.stdout, stderr: process.stderr, env: { HOME: dir, ...env } });

const REQUIRED = '[user]\nid = "u"\n[agent]\nname = "P"\n[model]\nprovider = "Anthropic"\n';

describe('inspect TARGET', () => {
  it('reads surrealkv:// folders (relative or absolute) and server URLs', () => {
    expect(parseTarget('surrealkv://./pattern.db', '/work')).toEqual({ kind: 'embedded', storePath: '/work/pattern.db' });
    expect(parseTarget('surrealkv://data/store', '/work')).toEqual({ kind: 'embedded', storePath: '/work/data/store' });
    expect(parseTarget('surrealkv:///srv/pattern.db', '/work')).toEqual({ kind: 'embedded', storePath: '/srv/pattern.db' });
    for (const url of ['http://127.0.0.1:8000', 'https://db.example.com', 'ws://localhost:8000', 'wss://db.example.com/rpc']) {
      expect(parseTarget(url, '/work')).toEqual({ kind: 'server', url });
    }
  });

  it('refuses what it cannot inspect, and says what to write instead', () => {
    expect(() => parseTarget('memory', '/w')).toThrow(/exists only inside the process/);
    expect(() => parseTarget('./pattern.db', '/w')).toThrow(/neither a surrealkv:\/\/ folder nor a server URL/);
    expect(() => parseTarget('surrealkv://', '/w')).toThrow(/names no folder/);
  });

  it('without TARGET uses the config: an embedded path relative to where Pattern starts', async () => {
    await fs.writeFile(path.join(dir, 'pattern.toml'), `${REQUIRED}[database]\ntype = "embedded"\npath = "./store.db"\n`);
    const target = await resolveTarget(undefined, {}, io(), dir);
    expect(target).toEqual({ kind: 'embedded', storePath: path.join(dir, 'store.db'), selection: { namespace: 'pattern', database: 'pattern' }, from: path.join(dir, 'pattern.toml') });
  });

  it("without TARGET uses a remote config's URL, names and credentials as Pattern would (config first, then SURREAL_USER)", async () => {
    await fs.writeFile(path.join(dir, 'pattern.toml'), `${REQUIRED}[database]\ntype = "remote"\nurl = "ws://127.0.0.1:9000"\nnamespace = "prod"\ndatabase = "main"\n`);
    const fromEnv = await resolveTarget(undefined, {}, io({ SURREAL_USER: 'pattern' }), dir);
    expect(fromEnv).toMatchObject({ kind: 'server', url: 'ws://127.0.0.1:9000', selection: { namespace: 'prod', database: 'main' }, username: 'pattern' });
    expect(fromEnv).not.toHaveProperty('password');
    await fs.writeFile(path.join(dir, 'pattern.toml'), `${REQUIRED}[database]\ntype = "remote"\nurl = "ws://h:1"\nnamespace = "n"\ndatabase = "d"\nusername = "cfg"\npassword = "pw"\n`);
    expect(await resolveTarget(undefined, { database: 'other' }, io({ SURREAL_USER: 'env' }), dir)).toMatchObject({
      username: 'cfg',
      password: 'pw',
      selection: { namespace: 'n', database: 'other' },
    });
  });

  it('a URL target takes --username, else SURREAL_USER, else root; never a password from the command line', async () => {
    expect(await resolveTarget('http://h:1', {}, io(), dir)).toMatchObject({ username: 'root', selection: { namespace: 'pattern', database: 'pattern' } });
    expect(await resolveTarget('http://h:1', {}, io({ SURREAL_USER: 'env' }), dir)).toMatchObject({ username: 'env' });
    expect(await resolveTarget('http://h:1', { username: 'flag', namespace: 'x' }, io({ SURREAL_USER: 'env' }), dir)).toMatchObject({ username: 'flag', selection: { namespace: 'x' } });
  });

  it('names the way out when there is no config, or the config is in-memory', async () => {
    await expect(resolveTarget(undefined, {}, io(), dir)).rejects.toMatchObject({ code: 'E_CONFIG_NOT_FOUND', fix: expect.stringContaining('TARGET') });
    await fs.writeFile(path.join(dir, 'pattern.toml'), `${REQUIRED}[database]\ntype = "embedded"\npath = ""\n`);
    await expect(resolveTarget(undefined, {}, io(), dir)).rejects.toMatchObject({ code: 'E_CONFIG_INVALID' });
  });
});
