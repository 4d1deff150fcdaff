import { describe, expect, it } from 'vitest';
import { seconds } from '../../src/core/seconds-text.js';

describe('seconds', () => {
  it('reads milliseconds as seconds with one decimal, as the backup, restore and demo summaries print them', () => {
    expect(seconds(1234)).toBe('1.2 s');
    expect(seconds(0)).toBe('0.0 s');
    expect(seconds(90_060)).toBe('90.1 s');
  });
});
