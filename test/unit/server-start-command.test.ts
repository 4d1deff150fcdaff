// The line that starts a recorded managed server again: it must start the server the run made, with its root user.
import { expect, it } from 'vitest';
import { serverStartCommand } from '../../src/core/server-start-command.js';

it('names a root user other than root, and the major of a 2.x server', () => {
  const server = { storage: 'surrealkv:///data/kv', bind: '127.0.0.1:8000', version: '2.6.5' };
  expect(serverStartCommand({ ...server, username: 'boss' }, '/p/.pattern-db')).toBe(
    'SURREAL_PASS=… pattern-db server start --storage surrealkv:///data/kv --bind 127.0.0.1:8000 --major 2 --username boss --state-dir /p/.pattern-db',
  );
  expect(serverStartCommand({ ...server, version: '3.3.5', username: 'root' }, '/p/.pattern-db')).toBe(
    'SURREAL_PASS=… pattern-db server start --storage surrealkv:///data/kv --bind 127.0.0.1:8000 --state-dir /p/.pattern-db',
  );
});
