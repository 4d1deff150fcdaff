import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendHistory, fileHistory, historyPath, holdsSecret, loadHistory } from '../../src/files/inspect-history.js';
import { tempDir } from '../helpers/temp-folders.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir('pattern-db-history-');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('console history', () => {
  it('lives under XDG_STATE_HOME, else ~/.local/state', () => {
    expect(historyPath({ XDG_STATE_HOME: '/state' }, '/home/me')).toBe('/state/pattern-db/inspect-history.jsonl');
    expect(historyPath({ XDG_STATE_HOME: 'relative' }, '/home/me')).toBe('/home/me/.local/state/pattern-db/inspect-history.jsonl');
    expect(historyPath({}, '/home/me')).toBe('/home/me/.local/state/pattern-db/inspect-history.jsonl');
  });

  it('keeps queries across sessions, multi-line ones whole, in a file only the user can read', async () => {
    const file = historyPath({ XDG_STATE_HOME: dir });
    await appendHistory(file, 'SELECT *\nFROM msg');
    await appendHistory(file, 'INFO FOR DB');
    expect(await loadHistory(file)).toEqual(['SELECT *\nFROM msg', 'INFO FOR DB']);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  it('is capped: the newest entries are kept', async () => {
    const file = path.join(dir, 'h.jsonl');
    for (let i = 0; i < 25; i += 1) await appendHistory(file, `RETURN ${i}`, 10);
    expect(await loadHistory(file, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `RETURN ${i + 15}`));
    const lines = (await fs.readFile(file, 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
  });

  it('never writes a query that carries a password or a key', async () => {
    const file = path.join(dir, 'h.jsonl');
    await appendHistory(file, "DEFINE USER bob ON DATABASE PASSWORD 'hunter2' ROLES VIEWER");
    await appendHistory(file, "DEFINE ACCESS a ON DATABASE TYPE JWT ALGORITHM HS512 KEY 's3cret'");
    await appendHistory(file, 'RETURN 1');
    expect(await loadHistory(file)).toEqual(['RETURN 1']);
    expect(await fs.readFile(file, 'utf8')).not.toContain('hunter2');
  });

  it.each([
    ["UPDATE user:1 SET password = 'hunter2'", 'SET password = …'],
    ["UPDATE person:1 SET pass = crypto::argon2::generate('hunter2')", 'a password hash function'],
    ["RETURN crypto::argon2::compare($hash, 'hunter2')", 'a password check'],
    ["RETURN crypto::bcrypt::generate('hunter2')", 'bcrypt'],
    ["RETURN crypto::sha256('hunter2')", 'a hash function'],
    ["RETURN crypto /* c */ :: md5('hunter2')", 'a hash call with a comment before ::'],
    ["DEFINE USER bob ON ROOT PASSHASH '$argon2id$v=19$m=19456'", 'PASSHASH'],
    ["DEFINE USER bob ON ROOT PASSWORD 'hunter2'", 'PASSWORD'],
    ["define user bob on root password 'hunter2'", 'lower case'],
    ['ALTER USER bob ON ROOT PASSWORD "hunter2"', 'ALTER USER'],
    ["DEFINE ACCESS api ON DATABASE TYPE JWT ALGORITHM HS512 KEY 's3cret'", 'a JWT key'],
    ["DEFINE ACCESS api ON DATABASE TYPE RECORD WITH JWT ALGORITHM HS512 KEY 's3cret' WITH ISSUER KEY 'i'", 'an issuer key'],
    ["DEFINE ACCESS acct ON DATABASE TYPE RECORD SIGNIN (SELECT * FROM user WHERE email = $email)", 'a record access with its SIGNIN'],
    ["DEFINE ACCESS svc ON DATABASE TYPE BEARER FOR USER", 'a bearer access'],
    ["CREATE service:1 SET api_key = 'k-123'", 'a snake_case key field'],
    ["CREATE service:1 SET apiKey = 'k-123'", 'a camelCase key field'],
    ["CREATE service:1 CONTENT { secret: 'x' }", 'a secret field'],
    ["LET $token = 'eyJhbGciOi'; RETURN $token", 'a token param'],
    ["RETURN { user: 'root', pass: 'hunter2' }", 'sign-in params'],
    ["RETURN http::post('https://x', {}, { Authorization: 'Basic cm9vdDpodW50ZXIy' })", 'an Authorization header'],
    ['UPDATE user:1 SET `p\\u0061ssword` = "hunter2"', 'an escaped name'],
  ])('holds a secret: %j (%s)', (query) => {
    expect(holdsSecret(query)).toBe(true);
  });

  it.each(['SELECT * FROM msg LIMIT 5', 'INFO FOR DB', 'SELECT count() FROM agent GROUP ALL', "SELECT * FROM user WHERE name = 'passive'"])(
    'lets %j into the history',
    (query) => {
      expect(holdsSecret(query)).toBe(false);
    },
  );

  it('narrows a history file left readable by others to 0600 before writing to it', async () => {
    const file = path.join(dir, 'h.jsonl');
    await fs.writeFile(file, '{"query":"RETURN 1"}\n', { mode: 0o644 });
    await fs.chmod(file, 0o644);
    await appendHistory(file, 'RETURN 2');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const previous = process.umask(0);
    try {
      const fresh = path.join(dir, 'fresh.jsonl');
      await appendHistory(fresh, 'RETURN 3');
      expect((await fs.stat(fresh)).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('a missing or damaged file is an empty history, and appends from the console never throw', async () => {
    const file = path.join(dir, 'sub', 'h.jsonl');
    expect(await loadHistory(file)).toEqual([]);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{"query":"RETURN 1"}\n{"query":"RET');
    const history = await fileHistory(file);
    expect(history.entries).toEqual(['RETURN 1']);
    history.append('RETURN 2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await loadHistory(file)).at(-1)).toBe('RETURN 2');
  });
});
