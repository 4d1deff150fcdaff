// A surreal process that logs success and then hangs (seen with surrealkv endpoints) is ended, not waited for; a
// program that is not there is named as such.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { runSurreal } from '../../src/surreal/cli.js';
import { tempDir } from '../helpers/temp-folders.js';

it('ends a process that hangs after its success line, and counts it as a success', async () => {
  const dir = await tempDir('run-surreal-');
  const hanging = path.join(dir, 'hangs-after-success');
  await fs.writeFile(hanging, '#!/bin/sh\necho "INFO The SurrealQL file was exported successfully"\nexec sleep 600\n', { mode: 0o755 });
  const started = Date.now();
  const run = await runSurreal(hanging, [], { env: process.env, doneWhen: /exported successfully/ });
  expect(run.exitCode).toBe(0);
  expect(Date.now() - started).toBeLessThan(10_000);
});

it('still reports a failing process that never said it was done', async () => {
  const dir = await tempDir('run-surreal-');
  const failing = path.join(dir, 'fails');
  await fs.writeFile(failing, '#!/bin/sh\necho "ERROR surrealdb_server::cli: boom" >&2\nexit 1\n', { mode: 0o755 });
  const run = await runSurreal(failing, [], { env: process.env, doneWhen: /exported successfully/ });
  expect(run.exitCode).toBe(1);
  expect(run.stderrTail.join('\n')).toContain('boom');
});

it('names a program that is not there, or cannot be run, as a missing surreal', async () => {
  const dir = await tempDir('run-surreal-');
  const notExecutable = path.join(dir, 'not-executable');
  await fs.writeFile(notExecutable, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
  for (const bin of [path.join(dir, 'no-such-surreal'), notExecutable]) {
    const error = await runSurreal(bin, ['version'], { env: process.env }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PatternDbError);
    expect((error as PatternDbError).code).toBe('E_SURREAL_MISSING');
    expect((error as PatternDbError).message).toContain(bin);
  }
});
