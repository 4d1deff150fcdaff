// The surreal CLI adapter's pure parts: reading `surreal version`, the child's environment, and naming its errors.
import { describe, expect, it } from 'vitest';
import { classifySurrealError, parseSurrealVersion, surrealEnv } from '../../src/surreal/cli.js';

describe('parseSurrealVersion', () => {
  it.each([
    ['3.0.5 for linux on x86_64', '3.0.5', 3],
    ['3.0.5+20250812.abcdef for linux on x86_64\n', '3.0.5', 3],
    ['SurrealDB command-line interface and server 2.3.7 for linux on x86_64', '2.3.7', 2],
    ['3.1.0-beta.2 for macos on aarch64', '3.1.0-beta.2', 3],
  ])('reads %j', (output, version, major) => {
    expect(parseSurrealVersion(output)).toEqual({ version, major });
  });
  it('returns null for other output', () => {
    expect(parseSurrealVersion('command not found')).toBeNull();
    expect(parseSurrealVersion('')).toBeNull();
  });
});

describe('surrealEnv', () => {
  it('sets credentials only when given', () => {
    const base = { PATH: '/bin', SURREAL_USER: 'inherited', SURREAL_PASS: 'inherited', RUST_LOG: 'trace' };
    expect(surrealEnv({}, base)).toEqual({ PATH: '/bin', SURREAL_ONLINE_VERSION_CHECK: 'false' });
    expect(surrealEnv({ username: 'u', password: 'p' }, base)).toMatchObject({ SURREAL_USER: 'u', SURREAL_PASS: 'p' });
  });

  it('gives a token alone: the CLI refuses a token beside a user and password', () => {
    const base = { PATH: '/bin', SURREAL_USER: 'inherited', SURREAL_PASS: 'inherited', SURREAL_TOKEN: 'inherited' };
    expect(surrealEnv({ token: 't' }, base)).toEqual({ PATH: '/bin', SURREAL_ONLINE_VERSION_CHECK: 'false', SURREAL_TOKEN: 't' });
    expect(surrealEnv({ username: 'u', password: 'p' }, base)).not.toHaveProperty('SURREAL_TOKEN');
  });
});

describe('classifySurrealError', () => {
  it.each([
    ['ERROR surrealdb_server::cli: There was an error processing a remote HTTP request: error sending request for url (http://127.0.0.1:1/health)', 'E_CONN_REFUSED'],
    ['ERROR surrealdb_server::cli: There was a problem with authentication', 'E_AUTH'],
    ['ERROR surrealdb_server::cli: The token has expired', 'E_AUTH'],
    ['ERROR surreal::cli: There was a problem with the database: The session has expired', 'E_AUTH'],
    ['ERROR surrealdb_server::cli: Database at /x/LOCK is already locked by another process', 'E_STORE_LOCKED'],
    ['ERROR surrealdb_server::cli: The data stored on disk is out-of-date with this version (Expected: 3, Actual: 2)', 'E_STORE_FORMAT'],
    ['ERROR surrealdb_server::cli: IO error: failed to fill whole buffer', 'E_STORE_FORMAT'],
    ['ERROR surrealdb_server::cli: server version `2.3.10` does not match the range supported by the client `>=3.0.0-alpha.1, <4.0.0`', 'E_SURREAL_FAILED'],
    ['ERROR surrealdb_server::cli: something new', 'E_SURREAL_FAILED'],
    // As SurrealDB 3.3.5 words them.
    ['ERROR surrealdb_server::cli: error sending request for url (http://127.0.0.1:1/health)', 'E_CONN_REFUSED'],
    ['ERROR surrealdb_server::cli: DNS resolution failed for no-such-host.invalid:8000; failed to lookup address information: Name or service not known', 'E_HOST_NOT_FOUND'],
    ['ERROR surrealdb_server::cli: There was a problem with the datastore: Other error: Database at /x/LOCK is already locked by another process', 'E_STORE_LOCKED'],
    ['ERROR surrealdb_server::cli: There was a problem with the datastore: Failed to load manifest: Unsupported manifest format version: 0', 'E_STORE_FORMAT'],
    ['ERROR surrealdb_server::cli: HTTP status client error (400 Bad Request) for url (http://127.0.0.1:8000/rpc)', 'E_SURREAL_FAILED'],
    // A client of the other major over ws://: 2.6.5 → 3.3.5, then 3.3.5 → 2.6.5.
    ['ERROR surreal::cli: There was a problem with the database: There was an error processing a remote WS request: WebSocket protocol error: SubProtocol error: Server sent no subprotocol', 'E_SURREAL_FAILED'],
    ['ERROR surrealdb_server::cli: WebSocket error: WebSocket protocol error: SubProtocol error: Server sent no subprotocol', 'E_SURREAL_FAILED'],
  ])('%s', (line, code) => {
    const error = classifySurrealError(['2025-01-01T00:00:00Z  WARN other: noise', line, 'Caused by:', '    detail']);
    expect(error.code).toBe(code);
    expect(error.evidence).toContain(line);
  });
  it('explains the major-version lock', () => {
    const error = classifySurrealError(['ERROR x: server version `2.3.10` does not match the range supported by the client `>=3.0.0-alpha.1, <4.0.0`']);
    expect(error.fix).toMatch(/major version/);
    const overWs = classifySurrealError(['ERROR surrealdb_server::cli: WebSocket error: WebSocket protocol error: SubProtocol error: Server sent no subprotocol']);
    expect(overWs.message).toMatch(/another major version/);
    expect(overWs.fix).toMatch(/major version/);
  });
});
