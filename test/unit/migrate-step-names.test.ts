import { describe, expect, it } from 'vitest';
import { migrateStepNames } from '../../src/commands/plans.js';
import { DEFAULTS, type RunOptions } from '../../src/core/options.js';

const options: RunOptions = { ...DEFAULTS, cwd: '/p', exportFile: '/p/export.surql', stateDir: '/p/.pattern-db', yes: false, dryRun: false, resume: false, writeEnv: false };

describe("the wizard's step row plan", () => {
  it('before the target is chosen: the new server the first choice would start', () => {
    expect(migrateStepNames(options)).toEqual(['preflight', 'export', 'server', 'import', 'verify', 'config']);
  });

  it('with a server that already runs (chosen or passed), no server step', () => {
    expect(migrateStepNames(options, true)).toEqual(['preflight', 'export', 'import', 'verify', 'config']);
    expect(migrateStepNames({ ...options, target: 'http://db:8000' })).toEqual(['preflight', 'export', 'import', 'verify', 'config']);
  });

  it('with --start-server, the server step', () => {
    expect(migrateStepNames({ ...options, startServer: 'memory' }, true)).toContain('server');
  });
});
