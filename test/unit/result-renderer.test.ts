import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { jsonRenderer } from '../../src/render/json.js';
import { resultEvent, resultText } from '../../src/render/result.js';

function lines(write: (out: PassThrough) => void): Array<Record<string, unknown>> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  write(out);
  return text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the JSON envelope and the result', () => {
  it('puts type and command first on every line, keeping the line\'s own fields', () => {
    const [status, result] = lines((out) => {
      const json = jsonRenderer(out, 'backup');
      json({ type: 'status', step: 'backup', state: 'running' });
      json(resultEvent({ command: 'backup', exitCode: 0, data: { file: 'b.surql' } }));
    });
    expect(Object.keys(status!).slice(0, 2)).toEqual(['type', 'command']);
    expect(status).toEqual({ type: 'status', command: 'backup', step: 'backup', state: 'running' });
    expect(result).toEqual({ type: 'result', command: 'backup', ok: true, exitCode: 0, file: 'b.surql' });
  });

  it('a failure: ok false, the exit code, the error with its fix; plain output names the code', () => {
    const error = new PatternDbError('E_AUTH', 'refused', { fix: 'set SURREAL_PASS' });
    expect(resultEvent({ command: 'user create', exitCode: 1, error })).toEqual({
      type: 'result',
      command: 'user create',
      ok: false,
      exitCode: 1,
      error: { code: 'E_AUTH', message: 'refused', fix: 'set SURREAL_PASS' },
    });
    expect(resultText({ command: 'user create', exitCode: 1, error })).toBe('user create failed [E_AUTH] (exit 1)\n');
    expect(resultText({ command: 'tenant list', exitCode: 0, lines: ['a/b'] })).toBe('a/b\ntenant list finished successfully.\n');
  });
});
