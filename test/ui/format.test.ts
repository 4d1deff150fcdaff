import { describe, expect, it } from 'vitest';
import { formatAmount, formatDuration, formatRate, packItems, percent, wrapChars, wrapLed, wrapVerbatim, wrapWords } from '../../src/ui/format.js';

describe('format', () => {
  it('shows bytes as MB and counts with separators', () => {
    expect(formatAmount(12_345_678, 'bytes')).toBe('12.3 MB');
    expect(formatAmount(12_345, 'records')).toBe('12,345 records');
    expect(formatRate(2_500_000, 'bytes')).toBe('2.5 MB/s');
    expect(formatRate(999.6, 'records')).toBe('1,000 records/s');
  });

  it('writes durations in seconds, minutes or hours', () => {
    expect(formatDuration(5.2)).toBe('6s');
    expect(formatDuration(125)).toBe('2m 05s');
    expect(formatDuration(3_725)).toBe('1h 02m');
  });

  it('never reports more than 100 percent', () => {
    expect(percent(5, 10)).toBe(50);
    expect(percent(11, 10)).toBe(100);
    expect(percent(0, 0)).toBe(100);
  });

  it('packs items onto lines and says how many did not fit', () => {
    const items = ['message 9,000', 'memory 800', 'agent 12', 'tool_call 7', 'group 3'];
    expect(packItems(items, 80, 1)).toEqual(['message 9,000 · memory 800 · agent 12 · tool_call 7 · group 3']);
    const lines = packItems(items, 30, 2);
    expect(lines).toEqual(['message 9,000 · memory 800', 'agent 12 · +2 more']);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
  });
});

describe('wrapping', () => {
  it('wraps prose at spaces and verbatim text at the width', () => {
    expect(wrapWords('Check the user and the password, then retry.\nNothing was written.', 20)).toEqual([
      'Check the user and',
      'the password, then',
      'retry.',
      'Nothing was written.',
    ]);
    expect(wrapChars('{"code":401}\nHTTP 401', 5)).toEqual(['{"cod', 'e":40', '1}', 'HTTP ', '401']);
  });

  it('wrapVerbatim breaks evidence at the last space that fits, keeping every character; only a longer word is cut', () => {
    expect(wrapVerbatim('GET http://h/health: fetch failed  ENOTFOUND', 20)).toEqual(['GET http://h/health:', 'fetch failed ', 'ENOTFOUND']);
    expect(wrapVerbatim('/a/very/long/path/without/spaces', 10)).toEqual(['/a/very/lo', 'ng/path/wi', 'thout/spac', 'es']);
  });

  it('wrapLed puts a lead before the first line and indents the rest by as much', () => {
    expect(wrapLed('Fix: ', 'start the server or check the port', 20)).toEqual(['Fix: start the', '     server or check', '     the port']);
  });
});
