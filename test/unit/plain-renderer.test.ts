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
});
