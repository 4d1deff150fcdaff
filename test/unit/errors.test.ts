import { describe, expect, it } from 'vitest';
import { PatternDbError, asPatternDbError, diskFilledWhileWriting, exitCodeFor, isDiskFull } from '../../src/core/errors.js';
import { classifyHttpStatus } from '../../src/surreal/http.js';

describe('errors', () => {
  it('a full disk met where nothing expected it (a journal, a demo) is E_DISK_FULL with what to do, not "a bug in pattern-db"', () => {
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: 'ENOSPC', path: '/full/.pattern-db/journal.json.1.tmp' });
    expect(asPatternDbError(enospc)).toMatchObject({ code: 'E_DISK_FULL', message: 'The disk is full: /full/.pattern-db/journal.json.1.tmp could not be written.', fix: expect.stringContaining('Free disk space') });
  });

  it("a server's answer reaches the terminal without control characters it would obey (window title, clear, clipboard)", () => {
    const body = '\u001b]0;PWNED\u0007\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u009b31mEVIL\r';
    const error = classifyHttpStatus(500, body, 'POST http://h/sql');
    for (const text of [error.message, error.evidence ?? '', error.fix ?? '']) expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(error.message).toContain('\\x1b]0;PWNED\\x07');
    expect(new PatternDbError('E_HTTP', 'line one\nline\ttwo').message).toBe('line one\nline\ttwo');
  });

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
  it('takes a working folder removed from under the shell for a usage error with a fix, not for a bug', () => {
    const e = asPatternDbError(Object.assign(new Error('ENOENT: no such file or directory, uv_cwd'), { code: 'ENOENT', syscall: 'uv_cwd' }));
    expect([e.code, exitCodeFor(e)]).toEqual(['E_USAGE', 2]);
    expect(e.message).toMatch(/no longer exists/);
    expect(e.fix).toMatch(/^cd to a folder that exists/);
  });
  it('masks credentials in the message, the evidence and the fix, also of an error that was not ours', () => {
    const e = new PatternDbError('E_STATEMENT', 'password = "Qz-msg-1" was refused', {
      evidence: "DEFINE USER app ON ROOT PASSWORD 'Qz-evidence-2' ROLES EDITOR",
      fix: 'set api_key = Qz-fix-3 elsewhere',
    });
    expect(JSON.stringify([e.message, e.evidence, e.fix])).not.toMatch(/Qz-/);
    expect(e.evidence).toBe("DEFINE USER app ON ROOT PASSWORD '***' ROLES EDITOR");
    expect(asPatternDbError(new Error('token = "Qz-thrown-4"')).message).toBe('token = "***"');
  });
  it('maps a verification mismatch to its own exit code', () => {
    expect(exitCodeFor(new PatternDbError('E_VERIFY_MISMATCH', 'x'))).toBe(3);
  });
  it('takes a full disk and a full quota for a full disk, by errno or by the words a child process wrote', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: write`), { code });
    expect([errno('ENOSPC'), errno('EDQUOT')].map(isDiskFull)).toEqual([true, true]);
    expect(isDiskFull(new PatternDbError('E_EXPORT', 'surreal export: Disk quota exceeded (os error 122)'))).toBe(true);
    expect(isDiskFull(new Error('write failed: No space left on device (os error 28)'))).toBe(true);
    expect([errno('EACCES'), errno('EROFS'), new Error('connection reset'), undefined].map(isDiskFull)).toEqual([false, false, false, false]);
  });

  it('says which file filled the disk, that its partial copy is gone, and which flag puts it on another disk', () => {
    const cause = Object.assign(new Error('ENOSPC: write'), { code: 'ENOSPC' });
    const error = diskFilledWhileWriting('/data/pattern_export.surql', '--export-file', cause);
    expect(error).toMatchObject({ code: 'E_DISK_FULL', message: 'The disk filled up while writing /data/pattern_export.surql; the partial file was removed.', cause });
    expect(error.fix).toBe('Free disk space or pass --export-file on another disk, then run again.');
  });
});
