// The HTTP adapter's pure parts: endpoint URLs and how a failed fetch is named.
import { describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { classifyFetchError, classifyHttpStatus, encodingHeaders, httpBase } from '../../src/surreal/http.js';

describe('httpBase', () => {
  it('turns any endpoint URL into the HTTP base', () => {
    expect(httpBase('ws://127.0.0.1:8000/rpc')).toBe('http://127.0.0.1:8000');
    expect(httpBase('wss://db.example.com/rpc/')).toBe('https://db.example.com');
    expect(httpBase('http://localhost:8000/')).toBe('http://localhost:8000');
    expect(httpBase('https://example.com/surreal/')).toBe('https://example.com/surreal');
  });
  it('refuses other schemes and URLs with credentials, without echoing the password', () => {
    expect(() => httpBase('surrealkv:///data')).toThrow(PatternDbError);
    expect(() => httpBase('localhost:8000')).toThrow(/only http, https, ws and wss/);
    try {
      httpBase('http://root:secret@localhost:8000');
      expect.unreachable();
    } catch (error) {
      const e = error as PatternDbError;
      expect(e.code).toBe('E_HTTP');
      expect(`${e.message} ${e.evidence} ${e.fix}`).not.toContain('secret');
    }
  });
});

describe('classifyFetchError', () => {
  const fetchFailed = (code: string, message = code) =>
    Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });
  it.each([
    ['ENOTFOUND', 'E_HOST_NOT_FOUND'],
    ['EAI_AGAIN', 'E_HOST_NOT_FOUND'],
    ['ECONNRESET', 'E_CONN_LOST'],
    ['UND_ERR_SOCKET', 'E_CONN_LOST'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'E_TLS'],
    ['CERT_HAS_EXPIRED', 'E_TLS'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'E_TLS'],
    ['UND_ERR_CONNECT_TIMEOUT', 'E_TIMEOUT'],
  ])('maps %s to %s', (code, expected) => {
    expect(classifyFetchError(fetchFailed(code), 'GET https://db.example.com/health').code).toBe(expected);
  });
  it('tells a timeout from a cancel', () => {
    expect(classifyFetchError(new DOMException('t', 'TimeoutError'), 'GET http://x/health').code).toBe('E_TIMEOUT');
    expect(classifyFetchError(new DOMException('a', 'AbortError'), 'GET http://x/health').code).toBe('E_CANCELLED');
  });
});

describe('encodingHeaders', () => {
  it('asks a server on this machine not to compress, and leaves a server elsewhere to', () => {
    for (const base of ['http://127.0.0.1:8000', 'http://localhost:8000', 'http://[::1]:8000', 'https://127.0.0.2']) {
      expect(encodingHeaders(base)).toEqual({ 'Accept-Encoding': 'identity' });
    }
    for (const base of ['https://db.example.com', 'http://192.168.1.20:8000', 'http://localhost.example.com:8000', 'http://[::2]:8000']) {
      expect(encodingHeaders(base)).toEqual({});
    }
  });
});

describe('classifyHttpStatus', () => {
  it('asks for a namespace and database only when the server says one is missing, not whenever its text names one', () => {
    const missing = classifyHttpStatus(400, 'Specify a namespace to use', 'POST http://h/sql');
    expect(missing.fix).toMatch(/^Set the namespace and database/);
    const other = classifyHttpStatus(400, 'Parse error: unexpected token in DEFINE DATABASE', 'POST http://h/sql');
    expect(other.fix).not.toMatch(/namespace/);
  });
});
