import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, chown, lstat, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  configSearchPaths,
  loadPatternConfig,
  locateConfig,
  resolveStorePath,
  writeConfigAtomically,
  writeEnvFile,
} from '../../src/files/config-files.js';
import { tempDir } from '../helpers/temp-folders.js';

let root: string;
beforeEach(async () => {
  root = await tempDir('pattern-db-config-');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(file: string, text: string | Buffer): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

const VALID = '[user]\nid = "u"\n[agent]\nname = "P"\n[model]\nprovider = "Anthropic"\n\n[database]\ntype = "embedded"\npath = "./p.db"\n';

describe('finding the config like Pattern does', () => {
  it('tries ./pattern.toml, then $XDG_CONFIG_HOME/pattern, then ~/.pattern, first existing wins', async () => {
    const cwd = path.join(root, 'work');
    const home = path.join(root, 'home');
    const xdg = path.join(root, 'xdg');
    await mkdir(cwd, { recursive: true });
    const opts = { cwd, home, env: { XDG_CONFIG_HOME: xdg }, platform: 'linux' as const };
    expect(configSearchPaths(opts)).toEqual([
      path.join(cwd, 'pattern.toml'),
      path.join(xdg, 'pattern', 'config.toml'),
      path.join(home, '.pattern', 'config.toml'),
    ]);
    expect(await locateConfig(undefined, opts)).toBeNull();
    const inHome = await put(path.join(home, '.pattern', 'config.toml'), VALID);
    expect(await locateConfig(undefined, opts)).toEqual({ path: inHome, source: 'search' });
    const inXdg = await put(path.join(xdg, 'pattern', 'config.toml'), VALID);
    expect(await locateConfig(undefined, opts)).toEqual({ path: inXdg, source: 'search' });
    const local = await put(path.join(cwd, 'pattern.toml'), VALID);
    expect(await locateConfig(undefined, opts)).toEqual({ path: local, source: 'search' });
  });

  it('uses ~/.config when XDG_CONFIG_HOME is unset or relative', () => {
    const home = path.join(root, 'home');
    for (const env of [{}, { XDG_CONFIG_HOME: 'rel/dir' }]) {
      expect(configSearchPaths({ cwd: root, home, env, platform: 'linux' })[1]).toBe(path.join(home, '.config', 'pattern', 'config.toml'));
    }
  });

  it('fails with E_CONFIG_NOT_FOUND naming an explicit path that does not exist', async () => {
    const opts = { cwd: root, home: root, env: {}, platform: 'linux' as const };
    await expect(locateConfig('nope.toml', opts)).rejects.toMatchObject({
      code: 'E_CONFIG_NOT_FOUND',
      message: expect.stringContaining(path.join(root, 'nope.toml')),
    });
    const given = await put(path.join(root, 'my.toml'), VALID);
    expect(await locateConfig('my.toml', opts)).toEqual({ path: given, source: 'flag' });
  });
});

describe('loadPatternConfig', () => {
  it('reads the database config, keeping the exact text', async () => {
    const file = await put(path.join(root, 'pattern.toml'), `\uFEFF${VALID}`);
    const loaded = await loadPatternConfig(file);
    expect(loaded.database).toEqual({ type: 'embedded', path: './p.db', strict_mode: false });
    expect(loaded.text).toBe(`\uFEFF${VALID}`);
    expect(loaded.warnings).toEqual([]);
  });

  it('reports a TOML syntax error with file, line, column and the line with a caret', async () => {
    const file = await put(path.join(root, 'pattern.toml'), '[user]\nid = "u"\nname = = "x"\n');
    const error = await loadPatternConfig(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_CONFIG_PARSE' });
    const { message, evidence } = error as { message: string; evidence: string };
    expect(message).toContain(`${file}:3:8`);
    expect(evidence).toBe('3 | name = = "x"\n  |        ^');
  });

  it('rejects a [database] Pattern cannot read, in Pattern\'s words', async () => {
    const file = await put(path.join(root, 'pattern.toml'), '[database]\npath = "./p.db"\n');
    await expect(loadPatternConfig(file)).rejects.toMatchObject({
      code: 'E_CONFIG_INVALID',
      message: expect.stringContaining('missing field `type`'),
    });
  });

  it('refuses a file that is not UTF-8 instead of mangling it', async () => {
    const file = await put(path.join(root, 'pattern.toml'), Buffer.from([0x61, 0x3d, 0x22, 0xff, 0x22, 0x0a]));
    await expect(loadPatternConfig(file)).rejects.toMatchObject({ code: 'E_CONFIG_PARSE' });
  });

  it('warns when the file lacks sections Pattern requires, and about ${VAR} elsewhere', async () => {
    const file = await put(path.join(root, 'agent.toml'), '[model]\nprovider = "${PROVIDER}"\n');
    const loaded = await loadPatternConfig(file);
    expect(loaded.warnings.map((w) => w.code)).toEqual(['W_CONFIG_INCOMPLETE', 'W_PLACEHOLDER']);
    expect(loaded.warnings[0]!.message).toContain('[user], [agent]');
    expect(loaded.warnings[1]!.message).toContain('model.provider');
  });
});

describe('resolveStorePath', () => {
  it('resolves against the CWD, not the config folder', () => {
    const cwd = path.join(root, 'run-here');
    expect(resolveStorePath({ type: 'embedded', path: './pattern.db', strict_mode: false }, cwd)).toBe(path.join(cwd, 'pattern.db'));
    expect(resolveStorePath({ type: 'embedded', path: '/abs/store', strict_mode: false }, cwd)).toBe('/abs/store');
    expect(resolveStorePath({ type: 'embedded', path: '~/s.db', strict_mode: false }, cwd, '/home/me')).toBe('/home/me/s.db');
  });

  it('has no store path for the in-memory engine or a remote server', () => {
    expect(resolveStorePath({ type: 'embedded', path: '', strict_mode: false }, root)).toBeNull();
    expect(resolveStorePath({ type: 'remote', url: 'ws://h', namespace: 'p', database: 'p' }, root)).toBeNull();
  });
});

describe('writeConfigAtomically', () => {
  it('replaces the file, keeps its mode and leaves a backup with the original bytes', async () => {
    const file = await put(path.join(root, 'pattern.toml'), VALID);
    await chmod(file, 0o640);
    const { backupPath } = await writeConfigAtomically(file, 'new = 1\n', { expectedText: VALID });
    expect(await readFile(file, 'utf8')).toBe('new = 1\n');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(path.basename(backupPath)).toMatch(/^pattern\.toml\.bak-\d{8}-\d{6}$/);
    expect(await readFile(backupPath, 'utf8')).toBe(VALID);
    expect((await readdir(root)).sort()).toEqual(['pattern.toml', path.basename(backupPath)].sort());
  });

  it("run as root on a user's config, the config and its backup stay that user's (mode 0600 would lock them out)", async () => {
    const file = await put(path.join(root, 'pattern.toml'), VALID);
    await chmod(file, 0o600);
    // Root gives the file to another user first; anyone else owns it already.
    const owner = process.getuid?.() === 0 ? 65534 : process.getuid!();
    if (process.getuid?.() === 0) await chown(file, owner, owner);
    const { backupPath } = await writeConfigAtomically(file, 'new = 1\n', { expectedText: VALID });
    expect([(await stat(file)).uid, (await stat(backupPath)).uid]).toEqual([owner, owner]);
  });

  it('has the backup written and the original still in place when afterBackup runs (where a kill test pauses)', async () => {
    const file = await put(path.join(root, 'pattern.toml'), VALID);
    let seen: { config: string; names: string[] } | undefined;
    const { backupPath } = await writeConfigAtomically(file, 'new = 1\n', {
      afterBackup: async () => {
        seen = { config: await readFile(file, 'utf8'), names: (await readdir(root)).sort() };
      },
    });
    expect(seen).toEqual({ config: VALID, names: ['pattern.toml', path.basename(backupPath)].sort() });
    expect(await readFile(file, 'utf8')).toBe('new = 1\n');
  });

  it('never overwrites an earlier backup', async () => {
    const file = await put(path.join(root, 'pattern.toml'), 'one = 1\n');
    const first = await writeConfigAtomically(file, 'two = 2\n');
    const second = await writeConfigAtomically(file, 'three = 3\n');
    expect(second.backupPath).not.toBe(first.backupPath);
    expect(await readFile(first.backupPath, 'utf8')).toBe('one = 1\n');
    expect(await readFile(second.backupPath, 'utf8')).toBe('two = 2\n');
  });

  it('leaves the original intact and nothing behind when the backup cannot be written', async () => {
    // 240 bytes is a legal name, but adding ".bak-YYYYMMDD-HHMMSS" passes the 255-byte limit.
    const file = await put(path.join(root, `${'p'.repeat(235)}.toml`), VALID);
    const error = await writeConfigAtomically(file, 'broken').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_CONFIG_WRITE', fix: expect.any(String) });
    expect(await readFile(file, 'utf8')).toBe(VALID);
    expect(await readdir(root)).toEqual([path.basename(file)]);
  });

  it('fails cleanly when the folder is not a folder', async () => {
    const notADir = await put(path.join(root, 'file'), 'x');
    await expect(writeConfigAtomically(path.join(notADir, 'pattern.toml'), 'a = 1\n')).rejects.toMatchObject({
      code: 'E_CONFIG_WRITE',
      fix: expect.any(String),
    });
    expect(await readFile(notADir, 'utf8')).toBe('x');
  });

  it('refuses to overwrite a file that changed since it was read', async () => {
    const file = await put(path.join(root, 'pattern.toml'), 'changed = true\n');
    await expect(writeConfigAtomically(file, 'a = 1\n', { expectedText: VALID })).rejects.toMatchObject({ code: 'E_CONFIG_WRITE' });
    expect(await readFile(file, 'utf8')).toBe('changed = true\n');
    expect(await readdir(root)).toEqual(['pattern.toml']);
  });

  it('writes through a symlink instead of replacing it', async () => {
    const real = await put(path.join(root, 'dotfiles', 'pattern.toml'), VALID);
    const link = path.join(root, 'pattern.toml');
    await symlink(real, link);
    await writeConfigAtomically(link, 'a = 1\n');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('a = 1\n');
  });
});

describe('writeEnvFile', () => {
  it('creates .env with mode 0600', async () => {
    const file = await writeEnvFile(root, { SURREAL_USER: 'root', SURREAL_PASS: 'p w' });
    expect(file).toBe(path.join(root, '.env'));
    expect(await readFile(file, 'utf8')).toBe('SURREAL_USER=root\nSURREAL_PASS="p w"\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("writes into the .env Pattern loads: a parent's, when the folder has none (a new one would hide the parent's other lines)", async () => {
    const parent = await put(path.join(root, '.env'), 'ANTHROPIC_API_KEY=k\n');
    const child = path.join(root, 'instance');
    await mkdir(child);
    expect(await writeEnvFile(child, { SURREAL_USER: 'root', SURREAL_PASS: 'p' })).toBe(parent);
    expect(await readFile(parent, 'utf8')).toBe('ANTHROPIC_API_KEY=k\nSURREAL_USER=root\nSURREAL_PASS=p\n');
    expect(await readdir(child)).toEqual([]);
  });

  it('updates an existing .env in place and tightens its mode to 0600', async () => {
    const file = await put(path.join(root, '.env'), 'ANTHROPIC_API_KEY=k\nSURREAL_PASS=old\n');
    await chmod(file, 0o644);
    await writeEnvFile(root, { SURREAL_PASS: 'new' });
    expect(await readFile(file, 'utf8')).toBe('ANTHROPIC_API_KEY=k\nSURREAL_PASS=new\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(root)).toEqual(['.env']);
  });
});
