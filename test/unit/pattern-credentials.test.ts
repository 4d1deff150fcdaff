import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { patternCredentials, patternDotenvForWriting } from '../../src/files/pattern-credentials.js';
import { tempDir } from '../helpers/temp-folders.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

async function folder(dotenv?: string): Promise<{ root: string; nested: string }> {
  const root = await tempDir('pattern-db-creds-');
  dirs.push(root);
  const nested = path.join(root, 'a', 'b');
  await fs.mkdir(nested, { recursive: true });
  if (dotenv !== undefined) await fs.writeFile(path.join(root, '.env'), dotenv);
  return { root, nested };
}

it('the config first, then the environment, then .env (found in a parent folder, as dotenvy does)', async () => {
  const { nested } = await folder('SURREAL_USER=from_file\nSURREAL_PASS="file pass"\n');
  expect(await patternCredentials({ cwd: nested, env: {} })).toEqual({
    username: { value: 'from_file', from: '.env' },
    password: { value: 'file pass', from: '.env' },
  });
  expect(await patternCredentials({ cwd: nested, env: { SURREAL_PASS: 'env pass' } })).toMatchObject({ password: { value: 'env pass', from: 'environment' } });
  expect(await patternCredentials({ cwd: nested, env: { SURREAL_USER: 'env_user' }, config: { username: 'cfg', password: 'cfg pass' } })).toEqual({
    username: { value: 'cfg', from: 'config' },
    password: { value: 'cfg pass', from: 'config' },
  });
});

it('--username replaces the username, and the config password of another user does not go with it', async () => {
  const { root } = await folder();
  const found = await patternCredentials({ cwd: root, env: { SURREAL_PASS: 'env pass' }, config: { username: 'cfg', password: 'cfg pass' }, username: 'admin' });
  expect(found).toEqual({ username: { value: 'admin', from: '--username' }, password: { value: 'env pass', from: 'environment' } });
  const same = await patternCredentials({ cwd: root, env: {}, config: { username: 'cfg', password: 'cfg pass' }, username: 'cfg' });
  expect(same.password).toEqual({ value: 'cfg pass', from: 'config' });
});

it("--username takes no SURREAL_PASS whose SURREAL_USER beside it names another user (Pattern's own, in a .env --write-env filled)", async () => {
  const { root } = await folder();
  await fs.writeFile(path.join(root, '.env'), 'SURREAL_USER=pattern_app\nSURREAL_PASS=app-pass\n');
  expect(await patternCredentials({ cwd: root, env: {}, username: 'root' })).toEqual({ username: { value: 'root', from: '--username' } });
  expect((await patternCredentials({ cwd: root, env: { SURREAL_PASS: 'root pass' }, username: 'root' })).password).toEqual({ value: 'root pass', from: 'environment' });
  expect((await patternCredentials({ cwd: root, env: { SURREAL_USER: 'pattern_app', SURREAL_PASS: 'app pass' }, username: 'root' })).password).toEqual(undefined);
  expect((await patternCredentials({ cwd: root, env: {}, username: 'pattern_app' })).password).toEqual({ value: 'app-pass', from: '.env' });
});

it('nothing anywhere: nothing found', async () => {
  const { root } = await folder();
  expect(await patternCredentials({ cwd: root, env: {} })).toEqual({});
});

it("the password is written into Pattern's .env only when it is the user's own: not into another user's, nor through another user's link", async () => {
  const { root, nested } = await folder('API_KEY=mine\n');
  expect(await patternDotenvForWriting(nested)).toBe(path.join(root, '.env'));
  await fs.chown(path.join(root, '.env'), 65534, 65534);
  expect(await patternDotenvForWriting(nested)).toBe(path.join(nested, '.env'));
  const linked = await folder();
  await fs.symlink(path.join(root, '.env'), path.join(linked.root, '.env'));
  expect(await patternDotenvForWriting(linked.nested)).toBe(path.join(linked.nested, '.env'));
  await fs.lchown(path.join(linked.root, '.env'), 65534, 65534);
  await fs.chown(path.join(root, '.env'), process.getuid!(), process.getgid!());
  expect(await patternDotenvForWriting(linked.nested)).toBe(path.join(linked.nested, '.env'));
});
