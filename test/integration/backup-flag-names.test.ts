// Names and expressions from flags that would escape the file name, crontab line or unit file they are written into:
// refused with E_USAGE naming the flag, before anything is created or installed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPatternDb } from '../helpers/pattern-db.js';
import { tempDir } from '../helpers/surreal.js';

let work: string;
/** An env file whose name holds a CR; it exists, since Node 20 itself loads any --env-file named on the command line. */
let oddEnvFile: string;
beforeAll(async () => {
  work = await tempDir();
  oddEnvFile = path.join(await tempDir(), 'env\rfile');
  await fs.writeFile(oddEnvFile, '', { mode: 0o600 });
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
  await fs.rm(path.dirname(oddEnvFile), { recursive: true, force: true });
});

// Nothing listens there: a refusal must come before any connection.
const target = 'http://127.0.0.1:9';
const env = () => ({ SURREAL_USER: 'root', SURREAL_PASS: 'unused', HOME: work, XDG_CONFIG_HOME: path.join(work, 'config'), PATTERN_DB_CRONTAB: path.join(work, 'no-crontab'), PATTERN_DB_SYSTEMCTL: path.join(work, 'no-systemctl') });

describe('flag values that would escape what they are written into', () => {
  it('backup refuses a namespace or database with a path separator or a newline, and creates no folder or file', async () => {
    for (const [flag, value] of [['--namespace', '../../outside'], ['--database', 'a\\b'], ['--database', 'pattern\nx']] as const) {
      const dir = path.join(work, 'backups');
      const run = await runPatternDb(['backup', '--target', target, flag, value, '--dir', dir, '--json'], { cwd: work, env: env() });
      expect(run.exitCode, `${flag} ${JSON.stringify(value)}`).toBe(2);
      expect(run.result?.error).toMatchObject({ code: 'E_USAGE', message: expect.stringContaining(flag) });
      expect(await fs.stat(dir).catch(() => null)).toBeNull();
    }
    expect((await fs.readdir(work)).sort()).toEqual([]);
  });

  it('backup schedule refuses control characters in names, paths and schedules for crontab and systemd, and installs nothing', async () => {
    const cases: string[][] = [
      ['--namespace', 'pattern\n* * * * * sh -c evil #'],
      ['--target', `${target}\n* * * * * sh -c evil #`],
      ['--env-file', oddEnvFile],
      ['--dir', 'back\nups'],
      ['--cron', '15 3 * *\n*'],
      ['--systemd', '--on-calendar', 'daily\nExecStartPre=/bin/sh'],
      ['--systemd', '--on-calendar', 'daily; rm -rf ~'],
      ['--systemd', '--database', 'pattern\nExecStartPre=/bin/sh'],
    ];
    for (const args of cases) {
      const flag = args.at(-2)!;
      const run = await runPatternDb(['backup', 'schedule', '--target', target, ...args, '--yes', '--json'], { cwd: work, env: env() });
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.result?.error, args.join(' ')).toMatchObject({ code: 'E_USAGE', message: expect.stringContaining(flag) });
    }
    // Neither units nor a crontab were written (the crontab program does not even exist here).
    expect(await fs.stat(path.join(work, 'config')).catch(() => null)).toBeNull();
    expect((await fs.readdir(work)).sort()).toEqual([]);
  });
});
