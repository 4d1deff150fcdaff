import { describe, expect, it } from 'vitest';
import { classifyLatency, doctorExitCode, summaryLine, type CheckResult } from '../../src/core/doctor-model.js';
import { median } from '../../src/core/stats.js';
import { readEnvVars } from '../../src/core/env-file.js';
import { formatCheck } from '../../src/render/doctor-plain.js';

const check = (status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({
  id: `x.${status}`,
  group: 'server',
  title: 'A check',
  status,
  code: status === 'fail' ? 'E_AUTH' : status === 'warn' ? 'W_X' : 'D_X',
  message: 'what happened',
  ms: 1,
  ...extra,
});

describe('doctor exit codes and summary', () => {
  it('0 healthy, 5 with only warnings, 1 with a failure; skips do not count', () => {
    expect(doctorExitCode([check('ok'), check('skip')])).toBe(0);
    expect(doctorExitCode([check('ok'), check('warn')])).toBe(5);
    expect(doctorExitCode([check('warn'), check('fail')])).toBe(1);
  });

  it('one summary line with counts and a verdict', () => {
    expect(summaryLine([check('ok'), check('ok')])).toBe('doctor: healthy: 2 ok, 0 warnings, 0 failures');
    expect(summaryLine([check('ok'), check('warn'), check('skip')])).toBe('doctor: healthy, with warnings: 1 ok, 1 warning, 0 failures, 1 skipped');
    expect(summaryLine([check('fail'), check('fail')])).toBe('doctor: problems found: 0 ok, 0 warnings, 2 failures');
  });
});

describe('latency classes (the guide: ~1-5 ms local network, ~10-50 ms cross-region)', () => {
  it.each([
    [0.4, true, 'same machine', 'ok'],
    [3, false, 'local network', 'ok'],
    [30, false, 'cross-region', 'ok'],
    [120, false, 'far away', 'warn'],
    [80, true, 'same machine', 'warn'],
  ] as const)('%s ms (loopback %s) is %s, %s', (ms, loopback, place, status) => {
    expect(classifyLatency(ms, loopback)).toEqual({ place, status });
  });

  it('median of odd and even samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('plain check lines', () => {
  it('a failure shows its code, evidence and fix; a pass shows one line unless verbose', () => {
    const failed = formatCheck(check('fail', { evidence: ['POST /signin → 401'], fix: 'Check SURREAL_PASS.' }));
    expect(failed).toBe('  [✗] A check: what happened [E_AUTH]\n        POST /signin → 401\n      fix: Check SURREAL_PASS.\n');
    const passed = check('ok', { evidence: ['GET /health → 200'] });
    expect(formatCheck(passed)).toBe('  [✓] A check: what happened\n');
    expect(formatCheck(passed, true)).toContain('GET /health → 200');
    expect(formatCheck(check('skip', { message: 'no server' }))).toBe('  [-] A check: skipped: no server\n');
  });
});

describe('readEnvVars reads .env as dotenvy does', () => {
  it('plain, quoted, exported and commented values', () => {
    const text = [
      '# comment',
      'SURREAL_USER=app',
      'export SURREAL_PASS="p@ss \\"word\\"" # trailing comment',
      "SINGLE='a b$c'",
      'EMPTY=',
    ].join('\n');
    expect(readEnvVars(text)).toEqual({ SURREAL_USER: 'app', SURREAL_PASS: 'p@ss "word"', SINGLE: 'a b$c', EMPTY: '' });
  });

  it('a BOM and CRLF line ends do not leak into names or values', () => {
    expect(readEnvVars('\uFEFFA=1\r\nB="x"\r\n')).toEqual({ A: '1', B: 'x' });
  });
});
