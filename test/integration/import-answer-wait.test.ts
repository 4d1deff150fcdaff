// An /import request waits for its answer however long the server takes: a SurrealDB 2.6.5 server answers a chunk that
// defines an index only once the index is built (over 300 s for a 5,000-message store), where Node's fetch gives up
// after 300 s without headers. Node's limit is stood in for by a global dispatcher that gives up after 300 ms.
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { startTestServer, type TestServer } from '../helpers/surreal.js';

const servers: TestServer[] = [];
const nodeDefault = getGlobalDispatcher();
afterEach(async () => {
  setGlobalDispatcher(nodeDefault);
  for (const server of servers.splice(0)) await server.stop();
});

it.each([2, 3] as const)('SurrealDB %i: an import answered after the fetch limit still counts; a bounded request still gives up', async (major) => {
  const server = await startTestServer({ major });
  servers.push(server);
  const http = new SurrealHttp({ url: server.url, username: server.username, password: server.password, namespace: 'pattern', database: 'pattern' });
  await http.ensureDatabase();
  setGlobalDispatcher(new Agent({ headersTimeout: 300 }));

  const slow = await http.sql('SLEEP 1s; RETURN 1').then(() => undefined, (error: unknown) => error);
  expect(slow, 'the stand-in limit applies to an ordinary request').toBeInstanceOf(PatternDbError);
  expect((slow as PatternDbError).code).toBe('E_TIMEOUT');

  expect(await http.importBody('OPTION IMPORT;\nSLEEP 1s;\nCREATE waited:1 SET n = 1;\n')).toEqual({ errors: [] });
  setGlobalDispatcher(nodeDefault);
  expect(await http.sql('RETURN (SELECT VALUE n FROM waited:1)')).toEqual([[1]]);
}, 60_000);
