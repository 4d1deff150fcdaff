// Where a managed server keeps its data: storage URLs made absolute, engines SurrealDB 3 cannot serve refused.
import { describe, expect, it } from 'vitest';
import { normaliseStorage } from '../../src/surreal/server.js';

describe('normaliseStorage', () => {
  it('makes surrealkv paths absolute and refuses engines SurrealDB 3 cannot serve here', () => {
    expect(normaliseStorage('surrealkv://data', '/srv')).toBe('surrealkv:///srv/data');
    expect(normaliseStorage('surrealkv:///abs/dir?versioned=true', '/srv')).toBe('surrealkv:///abs/dir?versioned=true');
    expect(normaliseStorage('mem://', '/srv')).toBe('memory');
    expect(() => normaliseStorage('file://data')).toThrow(/SurrealDB 3 refuses file:\/\//);
    expect(() => normaliseStorage('rocksdb://data')).toThrow(/RocksDB/);
  });
});
