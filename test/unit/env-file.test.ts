import { describe, expect, it } from 'vitest';
import { dotenvValue, upsertEnvVars } from '../../src/core/env-file.js';

describe('upsertEnvVars', () => {
  it('replaces existing keys in place and keeps every other line', () => {
    const text = '# Pattern secrets\nANTHROPIC_API_KEY=sk-1\n\nSURREAL_USER=old   # set by hand\nexport SURREAL_PASS="old pass"\nDISCORD_TOKEN=t\n';
    expect(upsertEnvVars(text, { SURREAL_USER: 'root', SURREAL_PASS: 'new' })).toBe(
      '# Pattern secrets\nANTHROPIC_API_KEY=sk-1\n\nSURREAL_USER=root   # set by hand\nexport SURREAL_PASS=new\nDISCORD_TOKEN=t\n',
    );
  });

  it('appends missing keys, adding a line break first when the file has no final newline', () => {
    expect(upsertEnvVars('A=1', { SURREAL_USER: 'root' })).toBe('A=1\nSURREAL_USER=root\n');
    expect(upsertEnvVars('', { SURREAL_USER: 'root', SURREAL_PASS: 'pw' })).toBe('SURREAL_USER=root\nSURREAL_PASS=pw\n');
  });

  it('keeps CRLF line endings', () => {
    expect(upsertEnvVars('A=1\r\nSURREAL_PASS=x\r\n', { SURREAL_PASS: 'y', SURREAL_USER: 'u' })).toBe(
      'A=1\r\nSURREAL_PASS=y\r\nSURREAL_USER=u\r\n',
    );
  });

  it('replaces a quoted value that spans lines as one entry', () => {
    const text = 'KEY="line one\nline two"\nB=2\n';
    expect(upsertEnvVars(text, { KEY: 'v' })).toBe('KEY=v\nB=2\n');
  });

  it('is not confused by quotes inside comments', () => {
    const text = "# don't touch\nSURREAL_PASS=a\n";
    expect(upsertEnvVars(text, { SURREAL_PASS: 'b' })).toBe("# don't touch\nSURREAL_PASS=b\n");
  });

  it('finds the first key behind a byte-order mark, which dotenvy skips', () => {
    expect(upsertEnvVars('\uFEFFSURREAL_PASS=a\n', { SURREAL_PASS: 'b' })).toBe('\uFEFFSURREAL_PASS=b\n');
  });

  it('refuses a name dotenvy cannot read', () => {
    expect(() => upsertEnvVars('', { 'BAD-NAME': 'x' })).toThrow(/not a valid \.env variable name/);
  });
});

describe('dotenvValue', () => {
  it('leaves simple values bare', () => {
    expect(dotenvValue('ws://127.0.0.1:8000')).toBe('ws://127.0.0.1:8000');
  });

  it('quotes and escapes what dotenvy would otherwise change', () => {
    // `$` would be substituted by dotenvy, spaces end a bare value, `#` after a space starts a comment.
    expect(dotenvValue('pa$$ word')).toBe('"pa\\$\\$ word"');
    expect(dotenvValue('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(dotenvValue('x #y')).toBe('"x #y"');
    expect(dotenvValue("it's")).toBe('"it\'s"');
    expect(dotenvValue('two\nlines')).toBe('"two\\nlines"');
    expect(dotenvValue('')).toBe('""');
  });
});
