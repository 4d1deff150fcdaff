import { describe, expect, it } from 'vitest';
import type { BesideIndex, ImportChunk } from '../../src/core/import-chunks.js';
import type { IndexKind } from '../../src/core/index-definition.js';
import { BesideBuilds, importOrAwaitBuilt } from '../../src/steps/beside-builds.js';
import type { StepContext } from '../../src/steps/step.js';
import type { SurrealHttp } from '../../src/surreal/http.js';

const index = (name: string, table = 'msg', kind: IndexKind = 'full-text'): BesideIndex => ({
  definition: { name, table, kind },
  body: `OPTION IMPORT;\nDEFINE INDEX ${name} ON ${table} FIELDS content FULLTEXT ANALYZER a BM25;`,
});
const chunkOf = (built: BesideIndex, records = 0): ImportChunk => ({
  index: 9,
  body: built.body,
  statements: 1,
  records,
  recordsByTable: {},
  bytes: 0,
  endOffset: 0,
  tables: [built.definition.table],
  recordsOnly: false,
  definesIndex: built.definition,
  builtBeside: true,
});

/** A server that answers each request when the test says so, and records what it was sent, in order. */
function scriptedHttp() {
  const sent: string[] = [];
  const pending: Array<{ body: string; answer: (errors: string[]) => void; fail: (error: unknown) => void; signal?: AbortSignal }> = [];
  const http = {
    importBody(body: string, opts: { signal?: AbortSignal } = {}) {
      sent.push(body);
      return new Promise<{ errors: Array<{ message: string }> }>((resolve, reject) => {
        const fail = (error: unknown) => reject(error);
        opts.signal?.addEventListener('abort', () => fail(opts.signal!.reason));
        pending.push({ body, answer: (errors) => resolve({ errors: errors.map((message) => ({ message })) }), fail, ...(opts.signal ? { signal: opts.signal } : {}) });
      });
    },
  } as unknown as SurrealHttp;
  const next = async () => {
    for (let i = 0; i < 50 && pending.length === 0; i++) await new Promise((r) => setTimeout(r, 1));
    return pending.shift()!;
  };
  return { http, sent, next };
}

/** A run's context, as far as the builds and the import read it. */
const ctx = { options: { driver: 'auto', stateDir: '/nonexistent' }, state: {}, report: { log: () => undefined }, signal: new AbortController().signal } as unknown as StepContext;

describe('BesideBuilds', () => {
  it('builds the indexes one after the other, and gives each chunk its own build\'s errors', async () => {
    const { http, sent, next } = scriptedHttp();
    const builds = new BesideBuilds(ctx, http, 'http://server');
    const [a, b] = [index('a'), index('b')];
    expect(builds.begun).toBe(false);
    builds.start([a, b]);
    expect(builds.begun).toBe(true);
    (await next()).answer([]);
    expect(sent).toEqual([a.body]);
    const second = await next();
    expect(sent).toEqual([a.body, b.body]);
    second.answer(['There was a problem with the index']);
    expect(await builds.errorsOf(chunkOf(a))).toEqual([]);
    expect(await builds.errorsOf(chunkOf(b))).toEqual(['There was a problem with the index']);
    expect(await builds.errorsOf(chunkOf(index('never')))).toBeUndefined();
  });

  it('throws what a build\'s request threw only to the chunk that waits for it, and goes on with the next', async () => {
    const { http, next } = scriptedHttp();
    const builds = new BesideBuilds(ctx, http, 'http://server');
    const [a, b] = [index('a'), index('b')];
    builds.start([a, b]);
    (await next()).fail(new Error('connection reset'));
    (await next()).answer([]);
    await expect(builds.errorsOf(chunkOf(a))).rejects.toThrow('connection reset');
    expect(await builds.errorsOf(chunkOf(b))).toEqual([]);
  });

  it('does not count "already exists" when an earlier run may have built them', async () => {
    const { http, next } = scriptedHttp();
    const builds = new BesideBuilds(ctx, http, 'http://server');
    const a = index('a');
    builds.start([a], { replay: true });
    (await next()).answer(["The index 'a' already exists"]);
    expect(await builds.errorsOf(chunkOf(a))).toEqual([]);
  });

  it('stops: aborts the build in flight, sends none after it, and waits', async () => {
    const { http, sent, next } = scriptedHttp();
    const builds = new BesideBuilds(ctx, http, 'http://server');
    const [a, b] = [index('a'), index('b')];
    builds.start([a, b]);
    const first = await next();
    await builds.stop();
    expect(first.signal?.aborted).toBe(true);
    expect(sent).toEqual([a.body]);
    await expect(builds.errorsOf(chunkOf(b))).rejects.toThrow();
  });

  it('says what it built beside how many held-back records', async () => {
    const { http, next } = scriptedHttp();
    const builds = new BesideBuilds(ctx, http, 'http://server');
    expect(builds.summary()).toBeUndefined();
    builds.start([index('mem_value_search', 'mem'), index('msg_content_search')]);
    builds.heldSent(chunkOf(index('x'), 40));
    builds.heldSent(chunkOf(index('y'), 2));
    (await next()).answer([]);
    (await next()).answer([]);
    expect(builds.summary()).toBe('Built mem_value_search on mem, msg_content_search on msg while 42 records of tables without a full-text index went in.');
  });
});

describe('importOrAwaitBuilt', () => {
  const CONFLICT = 'Failed to commit transaction due to a read or write conflict. This transaction can be retried';

  it('sends the chunk of a build refused only with retryable conflicts again, as a replay', async () => {
    const { http, sent, next } = scriptedHttp();
    const builds = new BesideBuilds(ctx, http, 'http://server');
    const a = index('a');
    builds.start([a]);
    (await next()).answer([CONFLICT]);
    const errors = importOrAwaitBuilt(ctx, http, 'http://server', chunkOf(a), false, builds);
    // The conflicting build may have left the index defined: as a replay, "already exists" does not count.
    (await next()).answer(["The index 'a' already exists"]);
    expect(await errors).toEqual([]);
    expect(sent).toEqual([a.body, a.body]);
  });

  it('gives a build refused for any other reason its errors, without sending it again', async () => {
    const { http, sent, next } = scriptedHttp();
    const builds = new BesideBuilds(ctx, http, 'http://server');
    const a = index('a');
    builds.start([a]);
    (await next()).answer([CONFLICT, 'There was a problem with the index']);
    expect(await importOrAwaitBuilt(ctx, http, 'http://server', chunkOf(a), false, builds)).toEqual([CONFLICT, 'There was a problem with the index']);
    expect(sent).toEqual([a.body]);
  });

  it('sends an index chunk no build began for as any chunk, where "already exists" counts', async () => {
    const { http, sent, next } = scriptedHttp();
    const builds = new BesideBuilds(ctx, http, 'http://server');
    const a = index('a');
    const errors = importOrAwaitBuilt(ctx, http, 'http://server', chunkOf(a), false, builds);
    (await next()).answer(["The index 'a' already exists"]);
    expect(await errors).toEqual(["The index 'a' already exists"]);
    expect(sent).toEqual([a.body]);
  });
});
