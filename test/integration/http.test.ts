import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { openExportStream } from '../../src/surreal/http-export.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { recordingProxy } from '../helpers/recording-proxy.js';
import { freePort, startTestServer, surrealVersion, type TestServer } from '../helpers/surreal.js';

let server: TestServer;

function client(overrides: Partial<ConstructorParameters<typeof SurrealHttp>[0]> = {}): SurrealHttp {
  return new SurrealHttp({
    url: server.url,
    username: server.username,
    password: server.password,
    namespace: 'pattern',
    database: 'pattern',
    ...overrides,
  });
}

async function caught(promise: Promise<unknown>): Promise<PatternDbError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PatternDbError);
  return error as PatternDbError;
}

beforeAll(async () => {
  server = await startTestServer();
  await client().ensureDatabase();
});

afterAll(async () => {
  await server?.stop();
});

describe('SurrealHttp against a real server', () => {
  it('reads the version and health', async () => {
    await client().health();
    expect(await client().version()).toBe(await surrealVersion());
    expect(await client().checkCredentials()).toBe('root');
  });

  it('reports wrong credentials as E_AUTH with the server text', async () => {
    const wrong = client({ password: 'not-the-password' });
    const viaSql = await caught(wrong.sql('RETURN 1'));
    expect(viaSql.code).toBe('E_AUTH');
    expect(viaSql.evidence).toMatch(/→ 401 The password did not verify$/);
    expect(viaSql.fix).toMatch(/SURREAL_USER.*SURREAL_PASS[\s\S]*root level/);
    const unknownUser = await caught(client({ username: 'nobody' }).sql('RETURN 1'));
    expect(unknownUser.evidence).toMatch(/→ 401 There was a problem with authentication$/);
    const viaSignin = await caught(wrong.checkCredentials());
    expect(viaSignin.code).toBe('E_AUTH');
    expect(viaSignin.message).toContain('There was a problem with authentication');
    for (const e of [viaSql, unknownUser, viaSignin]) {
      expect(`${e.message} ${e.evidence} ${e.fix}`).not.toContain('not-the-password');
      expect(`${e.message} ${e.evidence} ${e.fix}`).not.toContain(server.password);
    }
  });

  it('reports nothing listening as E_CONN_REFUSED', async () => {
    const port = await freePort();
    const error = await caught(new SurrealHttp({ url: `ws://127.0.0.1:${port}/rpc` }).health());
    expect(error.code).toBe('E_CONN_REFUSED');
    expect(error.fix).toMatch(/pattern-db server start/);
    expect(error.evidence).toContain('ECONNREFUSED');
  });

  it('fails on a statement error inside a 200', async () => {
    const http = client();
    await http.sql('CREATE dup:1');
    const error = await caught(http.sql('RETURN 1; CREATE dup:1; RETURN 3'));
    expect(error.code).toBe('E_STATEMENT');
    expect(error.message).toMatch(/^Statement 2 of 3 failed: .*already exists/);
    expect(error.evidence).toContain('statement index 1');
    const raw = await http.sqlResults('RETURN 1; CREATE dup:1');
    expect(raw.map((r) => r.status)).toEqual(['OK', 'ERR']);
  });

  it.each([3, 2] as const)('names the statement that failed a transaction, not those it took down (SurrealDB %i)', async (major) => {
    const own = major === 3 ? undefined : await startTestServer({ major });
    try {
      const http = own ? new SurrealHttp({ url: own.url, username: own.username, password: own.password, namespace: 'pattern', database: 'pattern' }) : client();
      if (own) await http.ensureDatabase();
      await http.sql('CREATE held:1');
      const error = await caught(http.sql('BEGIN TRANSACTION; CREATE fresh:1; CREATE held:1; UPDATE fresh SET n = 1; COMMIT TRANSACTION;'));
      expect(error.code).toBe('E_STATEMENT');
      expect(error.message).toMatch(/failed: Database record `held:1` already exists$/);
      expect(await http.sql('RETURN record::exists(fresh:1)'), 'rolled back').toEqual([false]);
    } finally {
      await own?.stop();
    }
  });

  it('returns the errors of an import instead of throwing', async () => {
    const result = await client().importBody("OPTION IMPORT;\nCREATE imp:1 SET n = 1;\nCREATE imp:1 SET n = 2;\nCREATE imp:2 SET n = 3;\n");
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toMatch(/already exists/);
    expect(await client().sql('SELECT VALUE n FROM imp ORDER BY n')).toEqual([[1, 3]]);
  });

  it('sends text as its UTF-8 bytes: what /import and /sql store is what was written, a lone surrogate as U+FFFD', async () => {
    const texts = ['🏴‍☠️ café ⟨x⟩', 'مرحبا 𝕄𝕒𝕥𝕙', 'e\u0301\u200B'];
    const body = `OPTION IMPORT;\n${texts.map((text, i) => `CREATE utf:${i} SET text = ${JSON.stringify(text)};`).join('\n')}\n`;
    expect((await client().importBody(body)).errors).toEqual([]);
    await client().sql(`CREATE utf:9 SET text = "lone \uD800 surrogate"`);
    expect(await client().sql('SELECT VALUE text FROM utf ORDER BY id')).toEqual([[...texts, 'lone \uFFFD surrogate']]);
  });

  it('shows that /import does not create a missing namespace', async () => {
    const elsewhere = client({ namespace: 'nowhere', database: 'nothing' });
    const result = await elsewhere.importBody('OPTION IMPORT;\nCREATE imp:1;\n');
    expect(result.errors).toEqual([{ index: 0, message: "The namespace 'nowhere' does not exist" }]);
    const error = await caught(elsewhere.sql('RETURN 1; CREATE imp:1'));
    expect(error.code).toBe('E_STATEMENT');
    expect(error.fix).toMatch(/DEFINE NAMESPACE/);
  });

  it('throws the server text when an import is refused', async () => {
    const error = await caught(client().importBody('CREATE imp:9;'));
    expect(error.code).toBe('E_HTTP');
    expect(error.message).toContain('Import requires `OPTION IMPORT;` as the first statement');
  });

  it('reports a missing namespace as E_HTTP with the server text', async () => {
    const error = await caught(client({ namespace: undefined, database: undefined }).sql('SELECT * FROM person'));
    expect(error.code).toBe('E_HTTP');
    expect(error.message).toContain('Specify a namespace to use');
  });

  describe('signs in once and carries the session token', () => {
    /** Every request this process sends while `run` runs: its route and how it was authorised. */
    async function requestsDuring(run: () => Promise<unknown>): Promise<Array<{ route: string; auth: string }>> {
      const seen: Array<{ route: string; auth: string }> = [];
      const real = globalThis.fetch;
      globalThis.fetch = (input, init) => {
        const headers = new Headers(init?.headers);
        seen.push({ route: new URL(String(input)).pathname, auth: (headers.get('authorization') ?? 'none').split(' ')[0]! });
        return real(input, init);
      };
      try {
        await run();
      } finally {
        globalThis.fetch = real;
      }
      return seen;
    }

    /** A root user no client of this process has signed in as yet. */
    async function newUser(name: string): Promise<{ username: string; password: string }> {
      await client().sql(`DEFINE USER OVERWRITE ${name} ON ROOT PASSWORD '${name}-pass-1' ROLES OWNER;`);
      return { username: name, password: `${name}-pass-1` };
    }

    it('sends the password once, then the token: the server checks no password hash per request', async () => {
      const http = client(await newUser('once'));
      const seen = await requestsDuring(async () => {
        for (let i = 0; i < 5; i++) await http.sql('RETURN 1;');
      });
      expect(seen).toEqual([{ route: '/signin', auth: 'none' }, ...Array.from({ length: 5 }, () => ({ route: '/sql', auth: 'Bearer' }))]);
    });

    it('shares that session with every other client of the server and user in this process', async () => {
      const user = await newUser('shared');
      const seen = await requestsDuring(async () => {
        await client(user).sql('RETURN 1;');
        await client(user).sql('RETURN 2;');
        await client({ ...user, namespace: 'other', database: 'other' }).sql('RETURN 3;');
      });
      expect(seen.map((r) => `${r.route} ${r.auth}`)).toEqual(['/signin none', '/sql Bearer', '/sql Bearer', '/sql Bearer']);
      // Another password is another session: it is not let in on this one's token.
      const refused = await requestsDuring(() => caught(client({ ...user, password: 'shared-pass-2' }).sql('RETURN 4;')));
      expect(refused.map((r) => `${r.route} ${r.auth}`)).toEqual(['/signin none', '/sql Basic']);
    });

    it('the credentials check hands its sign-in on: the clients after it send no password', async () => {
      const user = await newUser('checked');
      const seen = await requestsDuring(async () => {
        await client(user).checkCredentials();
        await client(user).sql('RETURN 1;');
      });
      expect(seen.map((r) => `${r.route} ${r.auth}`)).toEqual(['/signin none', '/sql Bearer']);
    });

    it('signs in again when the session has expired, and the request still succeeds', async () => {
      await client().sql("DEFINE USER OVERWRITE brief ON ROOT PASSWORD 'brief-pass-1' ROLES OWNER DURATION FOR TOKEN 1s, FOR SESSION 1s;");
      const http = client({ username: 'brief', password: 'brief-pass-1' });
      expect(await http.sql('RETURN 1;')).toEqual([1]);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const seen = await requestsDuring(async () => expect(await http.sql('RETURN 2;')).toEqual([2]));
      expect(seen.map((r) => `${r.route} ${r.auth}`)).toEqual(['/sql Bearer', '/signin none', '/sql Bearer']);
    });

    it('falls back to the password when the sign-in is refused, so a wrong one fails as before', async () => {
      const seen = await requestsDuring(() => caught(client({ password: 'refused-at-sign-in' }).sql('RETURN 1;')));
      expect(seen.map((r) => `${r.route} ${r.auth}`)).toEqual(['/signin none', '/sql Basic']);
    });
  });

  it('asks a server on this machine for uncompressed answers: records, statement results and the export', async () => {
    await client().sql("FOR $i IN 0..300 { CREATE squeeze SET text = string::repeat('compressible ', 40) };");
    const proxy = await recordingProxy(server.url);
    try {
      const selection = { 'surreal-ns': 'pattern', 'surreal-db': 'pattern' };
      const basic = `Basic ${Buffer.from(`${server.username}:${server.password}`).toString('base64')}`;
      // What fetch asks for on its own, the server compresses: the check below would see it.
      const plain = await fetch(`${proxy.url}/sql`, { method: 'POST', headers: { Accept: 'application/json', Authorization: basic, ...selection }, body: 'SELECT * FROM squeeze;' });
      await plain.text();
      expect(proxy.exchanges[0]!.contentEncoding).toMatch(/gzip|br|deflate/);

      const http = client({ url: proxy.url });
      expect(await http.sql('SELECT * FROM squeeze;')).toHaveLength(1);
      expect((await http.rpcCbor('query', ['SELECT * FROM squeeze;'])).length).toBeGreaterThan(300 * 40 * 12);
      const dump = await openExportStream({ url: proxy.url, username: server.username, password: server.password, namespace: 'pattern', database: 'pattern' });
      let exported = '';
      for await (const piece of dump) exported += String(piece);
      expect(exported).toContain('compressible compressible');
      const ours = proxy.exchanges.slice(1).filter((e) => e.path !== '/signin');
      expect(ours.map((e) => `${e.path} ${e.acceptEncoding} → ${e.contentEncoding ?? 'plain'}`)).toEqual([
        '/sql identity → plain',
        '/rpc identity → plain',
        '/export identity → plain',
      ]);
    } finally {
      await proxy.close();
    }
  });
});

describe('answers read under a signal that outlives them', () => {
  it('are let go once read: a verification reads every record under one signal, and held none of them', async () => {
    v8.setFlagsFromString('--expose-gc');
    const collectGarbage = vm.runInNewContext('gc') as () => void;
    const db = client();
    await db.sql("CREATE answer:big SET body = string::repeat('x', 1000000) RETURN NONE;");
    const run = new AbortController();
    collectGarbage();
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 120; i++) {
      const answer = await db.rpcCbor('query', ['SELECT * FROM answer:big;'], { signal: run.signal });
      expect(answer.length).toBeGreaterThan(1_000_000);
    }
    collectGarbage();
    // 120 answers of 1 MB each: a leak holds all of them until the signal ends.
    expect((process.memoryUsage().arrayBuffers - before) / 1e6).toBeLessThan(30);
  });
});
