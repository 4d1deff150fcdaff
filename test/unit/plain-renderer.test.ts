import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { plainRenderer } from '../../src/render/plain.js';

function capture() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  return { out, err, text: () => ({ out: o, err: e }) };
}

describe('plain renderer', () => {
  it('prints errors with their code, evidence and fix on stderr', () => {
    const c = capture();
    plainRenderer({ out: c.out, err: c.err })({ type: 'diagnostic', level: 'error', code: 'E_AUTH', message: 'refused', evidence: '401', fix: 'set SURREAL_PASS' });
    expect(c.text().err).toBe('error [E_AUTH] refused\n  evidence: 401\n  fix: set SURREAL_PASS\n');
  });

  it('throttles progress but always prints the last tick', () => {
    const c = capture();
    let now = 0;
    const render = plainRenderer({ out: c.out, err: c.err, now: () => now, progressIntervalMs: 1000 });
    for (let done = 1; done <= 100; done++) {
      now += 10;
      render({ type: 'progress', step: 'import', done, total: 100, unit: 'records' });
    }
    const lines = c.text().out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.at(-1)).toBe('  import: 100 records of 100 records (100%)');
  });

  it('prints each new phase at once, with the percentage of the whole work, indexes included', () => {
    const c = capture();
    const render = plainRenderer({ out: c.out, err: c.err, now: () => 0, progressIntervalMs: 60_000 });
    const base = { type: 'progress', step: 'import', total: 300, unit: 'records' } as const;
    render({ ...base, done: 0, label: 'agent', phase: { kind: 'records', indexes: 2 }, work: { done: 0, total: 1_000, partEnd: 300 } });
    render({ ...base, done: 300, label: 'msg', phase: { kind: 'records', indexes: 2 }, work: { done: 300, total: 1_000, partEnd: 300 } });
    render({ ...base, done: 300, label: 'msg', phase: { kind: 'index', name: 'msg_content_search', table: 'msg', k: 1, n: 2, tableRecords: 300 }, work: { done: 300, total: 1_000, partEnd: 900 } });
    render({ ...base, done: 300, label: 'msg', phase: { kind: 'index', name: 'msg_vector_idx', table: 'msg', k: 2, n: 2, tableRecords: 300 }, work: { done: 900, total: 1_000, partEnd: 1_000 } });
    render({ ...base, done: 300, label: 'msg', phase: { kind: 'index', name: 'msg_vector_idx', table: 'msg', k: 2, n: 2, tableRecords: 300 }, work: { done: 1_000, total: 1_000, partEnd: 1_000 } });
    expect(c.text().out.trimEnd().split('\n')).toEqual([
      '  import: 0 records of 300 records (0%), records, then 2 indexes, table agent',
      '  import: 300 records of 300 records (30%), index 1 of 2: msg_content_search on msg (300 records)',
      '  import: 300 records of 300 records (90%), index 2 of 2: msg_vector_idx on msg (300 records)',
      '  import: 300 records of 300 records (100%), index 2 of 2: msg_vector_idx on msg (300 records)',
    ]);
  });
});
