// `pattern-db server install` against a real managed server (SurrealDB 2, surrealkv): what it refuses, the 0600 env
// file, the line for a machine without systemd (run for real), and the systemd unit, switched over to through a
// stand-in systemctl that starts the unit's ExecStart with its EnvironmentFile the way systemd would. This machine
// has no systemd user manager, so the real `systemctl --user` path is the "no systemd" one.
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { startManagedServer, stopManagedServer } from '../../src/surreal/server.js';
import { patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { processesMentioning } from '../helpers/processes.js';
import { freePort, killOnExit, startTestServer, surrealBin, tempDir, type TestServer } from '../helpers/surreal.js';

// Every character a shell or systemd could take for syntax.
const PASSWORD = `pw "dq" $HOME \`x\` 'sq' \\ %n end`;
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

let server: TestServer;
let work: string;
let storageDir: string;
let fakeSystemctl: string;
const calls = () => path.join(work, 'systemctl-calls');
const unitDir = () => path.join(work, 'config', 'systemd', 'user');
const envFile = () => path.join(server.stateDir, 'server.env');
const noSystemd = () => ({ PATTERN_DB_SYSTEMCTL: path.join(work, 'no-systemctl'), XDG_CONFIG_HOME: path.join(work, 'config') });
const withSystemd = () => ({ PATTERN_DB_SYSTEMCTL: fakeSystemctl, XDG_CONFIG_HOME: path.join(work, 'config') });

/** A systemctl that records its calls and, for `enable --now`, starts the unit's ExecStart with its environment. */
async function writeFakeSystemctl(): Promise<string> {
  const file = path.join(work, 'systemctl');
  const script = `#!${process.execPath}
const fs = require('node:fs'), path = require('node:path'), { spawn } = require('node:child_process');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(calls())}, args.join(' ') + '\\n');
if (args[1] === 'enable' && args[2] === '--now') {
  const unit = fs.readFileSync(path.join(process.env.XDG_CONFIG_HOME, 'systemd/user', args[3]), 'utf8');
  const value = (key) => unit.split('\\n').filter((l) => l.startsWith(key + '=')).map((l) => l.slice(key.length + 1));
  const settings = value('Environment').join(' ');
  // The paths in these tests need no systemd quoting, so ExecStart reads as shell words.
  const line = 'set -a && . ' + value('EnvironmentFile')[0] + ' && set +a && exec env ' + settings + ' ' + value('ExecStart')[0];
  const log = fs.openSync(path.join(${JSON.stringify(work)}, 'service.log'), 'a');
  const child = spawn('sh', ['-c', line], { detached: true, stdio: ['ignore', log, log], env: { PATH: process.env.PATH } });
  fs.writeFileSync(path.join(${JSON.stringify(work)}, 'service.pid'), String(child.pid));
  child.unref();
}
`;
  await fs.writeFile(file, script, { mode: 0o755 });
  return file;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, () => false);
}

async function waitServes(url: string, password: string): Promise<SurrealHttp> {
  const http = new SurrealHttp({ url, username: server.username, password, namespace: 'app', database: 'app' });
  for (let i = 0; i < 150; i++) {
    if (await http.health().then(() => true, () => false)) return http;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} never answered /health`);
}

/** Stops whatever surreal serves the test's storage folder (the managed one, or one a line or the fake unit started). */
async function stopEveryServer(): Promise<void> {
  await stopManagedServer(server.stateDir).catch(() => undefined);
  for (const pid of await processesMentioning(storageDir)) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && (await processesMentioning(storageDir)).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

beforeAll(async () => {
  work = await tempDir();
  cleanups.push(() => fs.rm(work, { recursive: true, force: true }));
  server = await startTestServer({ storage: 'surrealkv://data', major: 2, password: PASSWORD });
  storageDir = path.join(server.stateDir, 'data');
  cleanups.push(() => server.stop());
  cleanups.push(stopEveryServer);
  fakeSystemctl = await writeFakeSystemctl();
  const http = new SurrealHttp({ url: server.url, username: server.username, password: PASSWORD, namespace: 'app', database: 'app' });
  await http.sql("DEFINE NAMESPACE app; USE NS app; DEFINE DATABASE app; USE NS app DB app; CREATE note:kept SET text = 'still here';");
}, 60_000);

it('migrate --start-server says in its plain output that a reboot stops the server, and names server install', async () => {
  const folder = await patternFolder(30, 1, PATTERN_TOML, 2);
  const stateDir = path.join(folder.dir, '.pattern-db');
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  cleanups.push(() => runPatternDb(['server', 'stop', '--state-dir', stateDir], { cwd: folder.dir }));
  const run = await runPatternDb(['migrate', '--yes', '--start-server', 'surrealkv://./server-data', '--bind', `127.0.0.1:${await freePort()}`], {
    cwd: folder.dir,
    env: { SURREAL_USER: 'root', SURREAL_PASS: 'reboot-note-pass-1' },
  });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toContain(`It runs in the background: a reboot or logout stops it and nothing starts it again; \`pattern-db server install --state-dir ${stateDir}\` makes it a service (asks first).`);
}, 120_000);

it('the doctor warns that the managed server is not installed as a service, naming the fix', async () => {
  const run = await runPatternDb(['doctor', '--json', '--state-dir', server.stateDir, '--target', server.url], { cwd: work, env: { SURREAL_USER: server.username, SURREAL_PASS: PASSWORD } });
  const check = run.events.find((e) => e.type === 'check' && e.id === 'server.service');
  expect(check, run.stdout).toMatchObject({ status: 'warn', code: 'W_SERVER_NOT_INSTALLED' });
  expect(check?.fix).toContain(`pattern-db server install --state-dir ${server.stateDir}`);
}, 60_000);

it('without a terminal and without --yes it shows the unit, writes nothing and exits 4', async () => {
  const run = await runPatternDb(['server', 'install', '--state-dir', server.stateDir], { cwd: work, env: { ...withSystemd(), SURREAL_PASS: PASSWORD } });
  expect(run.exitCode, run.stdout + run.stderr).toBe(4);
  expect(run.stdout).toContain('a reboot or logout stops it');
  expect(run.stdout).toMatch(/^ExecStart=\S+surreal start --no-banner --log info --bind 127\.0\.0\.1:\d+ surrealkv:\/\/\S+\/data$/m);
  expect(run.stderr).toContain('--yes');
  expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  // The env file it names is the one an install would write, not one that exists.
  expect(run.stdout.replace(/\s+/g, ' ')).toContain(`Credentials: written on install to ${envFile()} (mode 0600)`);
  expect(await exists(envFile())).toBe(false);
  expect(await exists(unitDir())).toBe(false);
  expect(await fs.readFile(calls(), 'utf8').catch(() => '')).not.toMatch(/daemon-reload|enable/);
});

it('refuses a password that does not sign in, before writing anything', async () => {
  const run = await runPatternDb(['server', 'install', '--yes', '--json', '--state-dir', server.stateDir], { cwd: work, env: { ...withSystemd(), SURREAL_PASS: 'not-the-password' } });
  expect(run.exitCode).toBe(1);
  expect(run.result?.error?.code).toBe('E_AUTH');
  expect(await exists(envFile())).toBe(false);
  expect(await exists(unitDir())).toBe(false);
});

it('refuses a memory server: a service would bring it back empty', async () => {
  const memory = await startTestServer({ major: 2 });
  cleanups.push(() => memory.stop());
  const run = await runPatternDb(['server', 'install', '--yes', '--json', '--state-dir', memory.stateDir], { cwd: work, env: { ...withSystemd(), SURREAL_PASS: memory.password } });
  expect(run.exitCode).toBe(2);
  expect(run.result?.error?.message).toContain('in memory');
  expect(await exists(path.join(memory.stateDir, 'server.env'))).toBe(false);
  await memory.stop();
}, 60_000);

it('without systemd: writes only the 0600 env file, and the line it shows starts the same server with the same data', async () => {
  const run = await runPatternDb(['server', 'install', '--yes', '--json', '--state-dir', server.stateDir], { cwd: work, env: { ...noSystemd(), SURREAL_PASS: PASSWORD } });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  const install = run.result?.install;
  expect(install).toMatchObject({ kind: 'line', installed: true, envFile: envFile() });
  expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  expect(install.line).not.toContain('SURREAL_PASS');
  expect(await exists(unitDir())).toBe(false);
  expect((await fs.stat(envFile())).mode & 0o777).toBe(0o600);
  // A shell reads exactly the password back.
  const read = await execa('sh', ['-c', `set -a && . '${envFile()}' && printf %s "$SURREAL_PASS"`], { env: {}, extendEnv: false });
  expect(read.stdout).toBe(PASSWORD);

  await stopManagedServer(server.stateDir);
  const started = spawn('sh', ['-c', install.line], { detached: true, stdio: 'ignore', env: { PATH: process.env.PATH } });
  killOnExit(started.pid!);
  const http = await waitServes(server.url, PASSWORD);
  expect(await http.sql('SELECT VALUE text FROM note:kept;')).toEqual([['still here']]);
  await stopEveryServer();
}, 60_000);

it('a service that fails to start is disabled and the background server started again', async () => {
  await startManagedServer({ bin: await surrealBin(2), storage: server.state.storage, bind: server.state.bind, username: server.username, password: PASSWORD, stateDir: server.stateDir });
  const inert = path.join(work, 'systemctl-inert');
  // `enable --now` fails as systemctl does when the unit's start job fails.
  await fs.writeFile(inert, `#!/bin/sh\necho "$@" >> '${calls()}-inert'\nif [ "$2" = enable ]; then echo "Job for $4 failed." >&2; exit 1; fi\n`, { mode: 0o755 });
  const run = await runPatternDb(['server', 'install', '--yes', '--json', '--state-dir', server.stateDir], { cwd: work, env: { ...withSystemd(), PATTERN_DB_SYSTEMCTL: inert, SURREAL_PASS: PASSWORD } });
  expect(run.exitCode).toBe(1);
  expect(run.result?.error).toMatchObject({ code: 'E_SERVER_START' });
  expect(run.result?.error.message).toMatch(/did not serve .*; it was disabled and the background server was started again/);
  expect(run.result?.error.evidence).toContain('failed.');
  const unit = `pattern-db-server-${server.state.bind.split(':')[1]}.service`;
  expect(await fs.readFile(`${calls()}-inert`, 'utf8')).toBe(`--user show-environment\n--user daemon-reload\n--user enable --now ${unit}\n--user disable --now ${unit}\n`);
  const http = await waitServes(server.url, PASSWORD);
  expect(await http.sql('SELECT VALUE text FROM note:kept;')).toEqual([['still here']]);
  expect(await exists(path.join(server.stateDir, 'server.json'))).toBe(true);
  expect(await exists(path.join(server.stateDir, 'service.json'))).toBe(false);
}, 90_000);

it('with systemd: writes the unit and the env file, switches over, and the service serves the same data', async () => {
  const run = await runPatternDb(['server', 'install', '--yes', '--json', '--state-dir', server.stateDir], { cwd: work, env: { ...withSystemd(), SURREAL_PASS: PASSWORD } });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect(run.result?.install).toMatchObject({ kind: 'systemd', installed: true, unit: `pattern-db-server-${server.state.bind.split(':')[1]}.service` });
  const unitFile = path.join(unitDir(), run.result?.install.unit);
  const unit = await fs.readFile(unitFile, 'utf8');
  expect(unit).toContain(`ExecStart=${await surrealBin(2)} start --no-banner --log info --bind ${server.state.bind} ${server.state.storage}`);
  expect(unit).toContain(`EnvironmentFile=${envFile()}`);
  expect(unit).toContain('Environment=SURREAL_SKIP_IMPORT_SUCCESS_RESULTS=true');
  expect(unit).toContain('WantedBy=default.target');
  expect(unit).not.toContain(PASSWORD);
  expect(unit).not.toMatch(/SURREAL_PASS=/);
  expect((await fs.stat(envFile())).mode & 0o777).toBe(0o600);
  expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  expect(await fs.readFile(calls(), 'utf8')).toContain(`--user daemon-reload\n--user enable --now ${run.result?.install.unit}\n`);

  // The background server is gone; the service's process serves the same data with the same password.
  expect(await exists(path.join(server.stateDir, 'server.json'))).toBe(false);
  const servicePid = Number(await fs.readFile(path.join(work, 'service.pid'), 'utf8'));
  killOnExit(servicePid);
  const http = await waitServes(server.url, PASSWORD);
  expect(await http.sql('SELECT VALUE text FROM note:kept;')).toEqual([['still here']]);

  const status = await runPatternDb(['server', 'status', '--state-dir', server.stateDir], { cwd: work });
  expect(status.stdout).toContain(`${run.result?.install.unit} serves ${server.url}`);
  const doctor = await runPatternDb(['doctor', '--json', '--state-dir', server.stateDir, '--target', server.url], { cwd: work, env: { SURREAL_USER: server.username, SURREAL_PASS: PASSWORD } });
  expect(doctor.events.find((e) => e.type === 'check' && e.id === 'server.service')).toMatchObject({ status: 'ok', code: 'D_SERVICE' });
  await stopEveryServer();
}, 90_000);
