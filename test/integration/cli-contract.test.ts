// The command line as scripts meet it: exit codes, help, and questions answered by flags when there is no terminal.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { patternFolder } from '../helpers/fixture-store.js';
import { binPath, repoRoot, runPatternDb } from '../helpers/pattern-db.js';
import { freePort } from '../helpers/surreal.js';

describe('pattern-db command line', () => {
  it('prints help and exits 0', async () => {
    const run = await runPatternDb(['--help'], { cwd: os.tmpdir() });
    expect(run.exitCode).toBe(0);
    for (const command of ['migrate', 'preflight', 'export', 'import', 'verify', 'config', 'server', 'demo', 'doctor', 'inspect', 'backup', 'restore', 'tenant', 'user']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('prints its version, the one in package.json, and exits 0', async () => {
    const { version } = JSON.parse(await fs.readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await runPatternDb([flag], { cwd: os.tmpdir() });
      expect([run.exitCode, run.stdout]).toEqual([0, version]);
    }
  });

  it('rejects an unknown flag with exit 2', async () => {
    const run = await runPatternDb(['migrate', '--no-such-flag'], { cwd: os.tmpdir() });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--no-such-flag');
  });

  it.each([
    [['migrate', '--yes', '--start-server', 'memory', '--bind', '127.0.0.1:70000'], 'Bad --bind: 70000 is not a port'],
    [['migrate', '--yes', '--start-server', 'rocksdb://x'], 'cannot be served'],
    [['server', 'start', '--bind', 'localhost'], 'Bad --bind: "localhost" is not HOST:PORT'],
    [['server', 'start', '--storage', 'file://x'], 'refuses file:// storage'],
    [['migrate', '--yes', '--target', 'http://127.0.0.1:9', '--namespace', ''], '--namespace is empty.'],
    [['backup', '--database', ' '], '--database is empty.'],
    [['tenant', 'add', 'team', '--namespace', ''], '--namespace is empty.'],
    [['server', 'start', '--username', 'a:b', '--bind', '127.0.0.1:1'], 'Bad --username: '],
    [['server', 'start', '--bind', '999.1.1.1:8000'], '999.1.1.1 is not an IPv4 address'],
  ])('a mistyped address, storage or name is a usage error (exit 2) before any password is asked for: %j', async (args, message) => {
    const run = await runPatternDb(args, { cwd: os.tmpdir(), env: { SURREAL_PASS: '' } });
    expect([run.exitCode, run.stderr]).toEqual([2, expect.stringContaining(message)]);
  });

  it('a server folder that cannot be made (under /proc) is said to be so at once; Node\'s own mkdir -p spun there for ever', async () => {
    const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pattern-db-proc-'));
    const run = await runPatternDb(['server', 'start', '--storage', 'surrealkv:///proc/pattern-db-data/x', '--bind', `127.0.0.1:${await freePort()}`, '--state-dir', stateDir, '--json'], {
      cwd: os.tmpdir(),
      env: { SURREAL_PASS: 'unused-pass' },
      timeoutMs: 20_000,
    });
    expect(run.result?.error).toMatchObject({ code: 'E_NOT_WRITABLE', message: "The server's folder /proc/pattern-db-data/x cannot be created (ENOENT)." });
    await fs.rm(stateDir, { recursive: true, force: true });
  });

  it("a hostile server's control characters reach the terminal written out, not obeyed (window title, clear, clipboard)", async () => {
    const hostile = http.createServer((_request, response) => response.writeHead(500, { 'content-type': 'text/plain' }).end('\u001b]0;PWNED\u0007\u001b[2J\u001b]52;c;ZXZpbA==\u0007EVIL'));
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;
      for (const args of [['doctor', '--target', url], ['backup', '--target', url, '--dir', os.tmpdir()]]) {
        const run = await runPatternDb(args, { cwd: os.tmpdir(), env: { SURREAL_USER: 'root', SURREAL_PASS: 'x' } });
        expect(run.stdout + run.stderr).toContain('EVIL');
        expect(run.stdout + run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }
    } finally {
      hostile.close();
    }
  });

  it.each([
    ['sends without end', 'E_HTTP', 'answered with more than 256 MB'],
    ['sends its answer a byte a second', 'E_TIMEOUT', 'did not answer GET'],
  ])('a server that %s is given up on (doctor: %s), neither filling the memory nor waiting for ever', async (_what, code, message) => {
    const endless = code === 'E_HTTP';
    const hostile = http.createServer((_request, response) => {
      response.writeHead(200, endless ? {} : { 'content-length': '1000000' });
      const chunk = Buffer.alloc(endless ? 1 << 20 : 1, 65);
      const pump = () => {
        while (!response.destroyed && response.write(chunk) && endless);
        if (!response.destroyed) (endless ? response.once('drain', pump) : setTimeout(pump, 1000));
      };
      response.on('error', () => undefined);
      pump();
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;
      const run = await runPatternDb(['doctor', '--target', url, '--json'], { cwd: os.tmpdir(), env: { SURREAL_USER: 'root', SURREAL_PASS: 'x' }, timeoutMs: 60_000 });
      const health = run.events.find((e) => e.type === 'check' && e.id === 'server.health');
      expect(health).toMatchObject({ status: 'fail', code, message: expect.stringContaining(message) });
    } finally {
      hostile.closeAllConnections();
      hostile.close();
    }
  }, 90_000);

  it('stopped by a file-size limit while it backs up the config, leaves no empty backup of it nor a temporary journal', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pattern-db-fsize-'));
    const toml = `# ${'x'.repeat(100_000)}\n[database]\ntype = "embedded"\npath = "./pattern.db"\n`;
    await fs.writeFile(path.join(dir, 'pattern.toml'), toml);
    // 8 blocks: the journal fits, the config's 100 KB backup does not.
    const run = await execa('sh', ['-c', `ulimit -f 8 && exec node ${binPath} config rewrite --target http://127.0.0.1:9 --yes --json`], { cwd: dir, reject: false, env: { CI: 'true' } });
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!).error).toMatchObject({ code: 'E_CONFIG_WRITE', message: expect.stringContaining('(EFBIG). Nothing was changed.') });
    expect((await fs.readdir(dir)).sort()).toEqual(['.pattern-db', 'pattern.toml']);
    expect(await fs.readFile(path.join(dir, 'pattern.toml'), 'utf8')).toBe(toml);
    expect((await fs.readdir(path.join(dir, '.pattern-db'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('run as a program (its #! line), --env-file is its own: node 20 does not take it for node\'s and fail with exit 9', async () => {
    const run = await execa(binPath, ['backup', '--env-file', path.join(os.tmpdir(), 'no-such-dir', 'x.env'), '--json'], { reject: false, cwd: os.tmpdir() });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'result', exitCode: 2, error: { code: 'E_USAGE', message: expect.stringMatching(/^--env-file \S+x\.env cannot be read \(ENOENT\)\.$/) } });
  });

  it.each([
    [['inspect', '--no-such-flag', '--json'], 'inspect', "unknown option '--no-such-flag'"],
    [['migrate', '--json', '--target-version', '4'], 'migrate', "option '--target-version <major>' argument '4' is invalid. Allowed choices are 2, 3."],
    [['backup', 'schedule', '--json', '--keep'], 'backup schedule', "option '--keep <n>' argument missing"],
  ])('with --json, a command line it cannot parse still ends in one JSON result: %j', async (args, command, message) => {
    const run = await runPatternDb(args, { cwd: os.tmpdir() });
    expect(run.exitCode).toBe(2);
    expect(run.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { type: 'result', command, ok: false, exitCode: 2, error: { code: 'E_USAGE', message, fix: `See pattern-db ${command} --help.` } },
    ]);
  });

  it('started in a folder that was removed meanwhile, says so and how to go on, with the usage exit code', async () => {
    // A shell enters a folder, which is then removed from under it: what `cd` then `rm -r` elsewhere leaves.
    const inRemovedFolder = async (args: string[]) => {
      const gone = await fs.mkdtemp(path.join(os.tmpdir(), 'pattern-db-gone-'));
      return execa('sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec node "$0" "$@"', binPath, gone, ...args], { reject: false, stdin: 'ignore', env: { CI: 'true' } });
    };
    for (const args of [['doctor'], ['migrate', '--yes', '--target', `http://127.0.0.1:${await freePort()}`]]) {
      const run = await inRemovedFolder(args);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('The folder pattern-db was started in no longer exists');
      expect(run.stderr).toContain('cd to a folder that exists');
      expect(run.stderr).not.toMatch(/E_INTERNAL|bug in pattern-db/);
    }
    const json = await inRemovedFolder(['migrate', '--yes', '--json']);
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'result', command: 'migrate', ok: false, exitCode: 2, error: { code: 'E_USAGE' } });
  });

  it('without a terminal, a bare migrate stops before doing anything and names the flags that answer it', async () => {
    const folder = await patternFolder(300);
    const run = await runPatternDb(['migrate'], { cwd: folder.dir, env: { SURREAL_PASS: '' } });
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain('--yes');
    expect(run.stderr).toContain('--target URL or --start-server');
    expect(await fs.readdir(folder.dir)).not.toContain('pattern_export.surql');
  });

  it('without a terminal, a new server without SURREAL_PASS is refused up front: no password is generated silently', async () => {
    const folder = await patternFolder(300);
    const port = await freePort();
    const run = await runPatternDb(['migrate', '--yes', '--json', '--start-server', 'memory', '--bind', `127.0.0.1:${port}`], { cwd: folder.dir, env: { SURREAL_PASS: '' } });
    expect(run.exitCode).toBe(4);
    expect(run.events.find((e) => e.type === 'result')).toMatchObject({ error: { code: 'E_NEEDS_INPUT' } });
    expect(run.stdout).toContain('SURREAL_PASS');
    expect(run.events.some((e) => e.step === 'server')).toBe(false);
    expect(await fs.readdir(path.join(folder.dir, '.pattern-db')).catch(() => [])).not.toContain('server.json');
  });

  it('a dry run checks and shows the config diff, and writes nothing', async () => {
    const folder = await patternFolder(300);
    const before = await fs.readFile(folder.configPath, 'utf8');
    const run = await runPatternDb(['migrate', '--dry-run', '--start-server', 'memory', '--bind', `127.0.0.1:${await freePort()}`], { cwd: folder.dir, env: { SURREAL_PASS: 'dry-run-pass' } });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('+type = "remote"');
    expect(run.stdout).toContain('nothing was exported, imported or written');
    expect(await fs.readFile(folder.configPath, 'utf8')).toBe(before);
    expect((await fs.readdir(folder.dir)).sort()).toEqual(['pattern.db', 'pattern.toml']);
  });
});
