import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBind, passwordProblem, serverUrlProblem, userNameProblem } from '../../src/core/answer-checks.js';
import { assertTargetUrl, runOptionsFrom } from '../../src/commands/run-options.js';
import { folderProblem, resolveFolder } from '../../src/files/folder-check.js';
import { parseBind } from '../../src/surreal/server.js';
import { tempDir } from '../helpers/temp-folders.js';

const problemOf = (bind: string) => {
  const checked = checkBind(bind);
  return checked.ok ? undefined : checked.problem;
};

describe('bind address (HOST:PORT)', () => {
  it('accepts host and port, IPv6 in brackets', () => {
    expect(checkBind('127.0.0.1:8000')).toEqual({ ok: true, value: { host: '127.0.0.1', port: 8000 } });
    expect(checkBind(' localhost:1 ')).toEqual({ ok: true, value: { host: 'localhost', port: 1 } });
    expect(checkBind('[::1]:65535')).toEqual({ ok: true, value: { host: '::1', port: 65535 } });
  });

  it('says what is missing or wrong', () => {
    expect(problemOf('')).toBe('An address is needed.');
    expect(problemOf('   ')).toBe('An address is needed.');
    expect(problemOf('127.0.0.1:')).toBe('"127.0.0.1:" has no port.');
    expect(problemOf(':8000')).toBe('":8000" has no host.');
    expect(problemOf('localhost:99999')).toBe('99999 is not a port: ports go from 1 to 65535.');
    expect(problemOf('999.1.1.1:8000')).toBe('999.1.1.1 is not an IPv4 address: each of its four numbers goes from 0 to 255.');
    expect(problemOf('10.0.0.255:8000')).toBeUndefined();
    expect(problemOf('localhost:0')).toBe('0 is not a port: ports go from 1 to 65535.');
    expect(problemOf('localhost:80a')).toBe('80a is not a port: ports go from 1 to 65535.');
    expect(problemOf('abcdef')).toBe('"abcdef" is not HOST:PORT.');
    expect(problemOf('local host:80')).toBe('"local host:80" is not HOST:PORT.');
  });

  it('the --bind flag says the same', () => {
    expect(() => parseBind('')).toThrow('Bad --bind: An address is needed.');
    expect(() => parseBind('127.0.0.1:')).toThrow('Bad --bind: "127.0.0.1:" has no port.');
  });
});

describe('server URL', () => {
  it('accepts http, https, ws and wss with a host', () => {
    for (const url of ['http://127.0.0.1:8000', 'https://db.example.com', 'ws://localhost:8000/rpc', 'WSS://db.example.com']) {
      expect(serverUrlProblem(url)).toBeUndefined();
    }
  });

  it('refuses empty, other schemes, no host, and credentials in the URL', () => {
    expect(serverUrlProblem(' ')).toBe('A server URL is needed.');
    expect(serverUrlProblem('localhost:8000')).toBe('"localhost:8000" is not an http(s):// or ws(s):// URL.');
    expect(serverUrlProblem('surrealkv://data')).toMatch(/is not an http/);
    expect(serverUrlProblem('http://')).toBe('"http://" has no host.');
    expect(serverUrlProblem('http://localhost:99999')).toBe('"http://localhost:99999" is not a URL.');
    expect(serverUrlProblem('http://root:pw@localhost:8000')).toMatch(/holds credentials/);
  });

  it('the --target flag says the same', () => {
    expect(() => assertTargetUrl('http://')).toThrow('Bad --target: "http://" has no host.');
    expect(() => assertTargetUrl(undefined)).not.toThrow();
  });
});

describe('user name', () => {
  it('accepts one word', () => {
    expect(userNameProblem('root')).toBeUndefined();
    expect(userNameProblem('pattern_admin-2')).toBeUndefined();
  });

  it('refuses empty, spaces, control characters and ":"', () => {
    expect(userNameProblem('')).toBe('A user name is needed.');
    expect(userNameProblem('my admin')).toMatch(/spaces or control characters/);
    expect(userNameProblem('a\tb')).toMatch(/spaces or control characters/);
    expect(userNameProblem('a:b')).toBe('"a:b" has a ":" in it.');
  });

  it('the --username flag says the same', () => {
    expect(() => runOptionsFrom({ username: 'a:b' }, '/tmp')).toThrow('Bad --username: "a:b" has a ":" in it.');
    // One storage, however it is spelt: a --resume that writes it another way continues the same run.
    const spellings = ['surrealkv://data', 'surrealkv://./data', 'surrealkv:///tmp/data', 'surrealkv:/tmp/x/../data'];
    expect(new Set(spellings.map((s) => runOptionsFrom({ startServer: s }, '/tmp').startServer))).toEqual(new Set(['surrealkv:///tmp/data']));
    expect(runOptionsFrom({ startServer: 'mem://' }, '/tmp').startServer).toBe('memory');
  });
});

describe('folder for new data', () => {
  it('accepts a new folder under a writable one and an existing empty folder; refuses one holding files, a file and an unwritable parent', async () => {
    const dir = await tempDir('pdb-folder-');
    try {
      expect(await folderProblem(path.join(dir, 'new', 'deeper'))).toBeUndefined();
      expect(await folderProblem(dir)).toBeUndefined();
      await fs.mkdir(path.join(dir, 'used'));
      await fs.writeFile(path.join(dir, 'used', 'LOCK'), '');
      expect(await folderProblem(path.join(dir, 'used'))).toBe(`${path.join(dir, 'used')} already holds files (another server's data?): a new server needs a new or empty folder.`);
      await fs.writeFile(path.join(dir, 'file'), 'x');
      expect(await folderProblem(path.join(dir, 'file'))).toBe(`${path.join(dir, 'file')} is a file, not a folder.`);
      expect(await folderProblem(path.join(dir, 'file', 'sub'))).toBe(`${path.join(dir, 'file', 'sub')} cannot be created: ${path.join(dir, 'file')} is a file.`);
      expect(resolveFolder('~/kv', dir)).toBe(path.join(os.homedir(), 'kv'));
      expect(resolveFolder('kv', dir)).toBe(path.join(dir, 'kv'));
      // /proc is "writable" by its mode for root, and Node's recursive mkdir spun there for ever.
      expect(await folderProblem('/proc/pattern-db-data/x')).toBe('/proc/pattern-db-data/x cannot be created: /proc refuses new folders (ENOENT).');
      expect(await fs.readdir(path.join(dir, 'new')).catch((error: NodeJS.ErrnoException) => error.code)).toBe('ENOENT');
      if (process.getuid?.() !== 0) {
        await fs.mkdir(path.join(dir, 'locked'), { mode: 0o500 });
        expect(await folderProblem(path.join(dir, 'locked', 'data'))).toMatch(/cannot be created: .*locked is not writable\./);
      }
    } finally {
      await fs.chmod(path.join(dir, 'locked'), 0o700).catch(() => undefined);
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('passwordProblem', () => {
  it('refuses an empty password, and a new server root password shorter than 8 characters (counted as characters)', () => {
    expect(passwordProblem('', false)).toBe('A password is needed.');
    expect(passwordProblem('', true)).toMatch(/^A password is needed\. Type one, or press tab/);
    expect(passwordProblem('x', false)).toBeUndefined();
    expect(passwordProblem('seven77', true)).toMatch(/at least 8 characters/);
    expect(passwordProblem('ééééééé', true)).toMatch(/at least 8 characters/);
    expect(passwordProblem('eight888', true)).toBeUndefined();
  });
});
