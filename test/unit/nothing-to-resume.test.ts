import { describe, expect, it } from 'vitest';
import { nothingToResumeLine } from '../../src/core/migration-outcome.js';

describe('what --resume says of a finished run', () => {
  const at = '2026-11-30T11:20:03.123Z';

  it('names the run by its start and the server Pattern now uses', () => {
    expect(nothingToResumeLine(at, { url: 'ws://127.0.0.1:8000', written: true, configPath: '/p/pattern.toml' })).toBe(
      'Nothing to resume: the run of 2026-11-30 11:20:03 UTC finished; Pattern uses ws://127.0.0.1:8000.',
    );
  });

  it('says when the config rewrite was declined, and how to write it', () => {
    const line = nothingToResumeLine(at, { url: 'ws://127.0.0.1:8000', written: false, declined: true, configPath: '/p/pattern.toml' });
    expect(line).toContain('the config rewrite was declined, so Pattern does not use ws://127.0.0.1:8000 yet');
    expect(line).toContain('pattern-db config rewrite --target ws://127.0.0.1:8000');
  });

  it('a run without a config step (export, import) or without a start time', () => {
    expect(nothingToResumeLine(at)).toBe('Nothing to resume: the run of 2026-11-30 11:20:03 UTC finished.');
    expect(nothingToResumeLine('')).toBe('Nothing to resume: an earlier run finished.');
  });
});
