import { describe, expect, it } from 'vitest';
import { PatternDbError, asPatternDbError, exitCodeFor } from '../../src/core/errors.js';

describe('errors', () => {
  it('keeps the code, fix and evidence of a PatternDbError', () => {
    const e = asPatternDbError(new PatternDbError('E_AUTH', 'no', { fix: 'set SURREAL_PASS', evidence: '401' }));
    expect([e.code, e.fix, e.evidence]).toEqual(['E_AUTH', 'set SURREAL_PASS', '401']);
    expect(exitCodeFor(e)).toBe(1);
  });
  it('turns an unknown throw into E_INTERNAL with a fix', () => {
    const e = asPatternDbError(new TypeError('boom'));
    expect(e.code).toBe('E_INTERNAL');
    expect(e.message).toBe('boom');
    expect(e.fix).toMatch(/bug/);
  });
  it('maps a verification mismatch to its own exit code', () => {
    expect(exitCodeFor(new PatternDbError('E_VERIFY_MISMATCH', 'x'))).toBe(3);
  });
});
