import { describe, expect, it } from 'vitest';
import { megabytes } from '../../src/core/byte-size.js';

describe('megabytes', () => {
  it('reads decimal megabytes with one decimal, or as many as asked (the backup summary asks for two)', () => {
    expect(megabytes(1_849_000_000)).toBe('1849.0 MB');
    expect(megabytes(1_234_567)).toBe('1.2 MB');
    expect(megabytes(1_234_567, 2)).toBe('1.23 MB');
    expect(megabytes(0, 2)).toBe('0.00 MB');
  });
});
