import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/core/text-diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', 'old', 'new')).toBe('');
  });

  it('shows the changed lines with file names', () => {
    const diff = unifiedDiff('[database]\ntype = "embedded"\n', '[database]\ntype = "remote"\n', 'pattern.toml', 'pattern.toml (new)');
    expect(diff).toContain('--- pattern.toml\n+++ pattern.toml (new)\n');
    expect(diff).toContain('-type = "embedded"\n+type = "remote"\n');
  });

  it('shows a CRLF file without carriage returns and only the lines that changed', () => {
    const diff = unifiedDiff('a\r\nb\r\nc\r\n', 'a\r\nB\r\nc\r\n', 'x', 'y');
    expect(diff).not.toContain('\r');
    expect(diff).toContain(' a\n-b\n+B\n c\n');
    expect(diff).toMatch(/CRLF/);
  });

  it('makes a change of line endings alone visible', () => {
    const diff = unifiedDiff('a\r\nb\r\n', 'a\nb\n', 'x', 'y');
    expect(diff).toContain('-a␍\n');
    expect(diff).toContain('+a\n');
  });
});
