// The surreal program: found, its version, and whether its major version suits the store.
import { PatternDbError } from '../../core/errors.js';
import { locateSurreal } from '../../surreal/cli.js';
import { fromError, ok, warn, type DoctorCheck } from './check.js';

const found: DoctorCheck = {
  id: 'surreal.found',
  group: 'surreal',
  title: 'surreal program',
  async run(facts) {
    try {
      facts.surreal = await locateSurreal(facts.input.env);
    } catch (error) {
      if (error instanceof PatternDbError) return fromError(error);
      throw error;
    }
    const evidence = ['searched: $SURREAL_BIN, then PATH, then ~/.cache/pattern-db'];
    if (!facts.surreal) {
      return warn('W_SURREAL_MISSING', 'No surreal program found. Migrations still work in-process; starting a managed server needs it.', {
        evidence,
        fix: 'Install SurrealDB 3 (or run scripts/ensure-surreal in this repository) and put it on PATH, or set SURREAL_BIN.',
      });
    }
    const { version, path, source } = facts.surreal;
    return ok('D_SURREAL', `surreal ${version} at ${path} (from ${source})`, { evidence: [...evidence, `${path} version → ${version}`] });
  },
};

const major: DoctorCheck = {
  id: 'surreal.major',
  group: 'surreal',
  title: 'surreal version against the store',
  async run(facts) {
    const surreal = facts.surreal;
    if (!surreal) return { status: 'skip', code: 'S_SKIPPED', message: 'no surreal program' };
    const storeMajor = facts.store ? (facts.store.format === 'surrealkv-2' ? 2 : 3) : undefined;
    if (storeMajor !== undefined && storeMajor !== surreal.major) {
      return warn('W_SURREAL_MAJOR', `surreal ${surreal.version} cannot read this store, which SurrealDB ${storeMajor}.x wrote.`, {
        fix: storeMajor === 2
          ? 'Export the store with a surreal 2.6+ (`surreal export --v3 …`), then import that file; or set SURREAL_BIN to a 2.x surreal for the export.'
          : 'Set SURREAL_BIN to a SurrealDB 3 surreal.',
      });
    }
    if (surreal.major !== 3) {
      return warn('W_SURREAL_MAJOR', `surreal ${surreal.version} is not SurrealDB 3: its CLI refuses 3.x servers (the CLI is locked to its own major version).`, {
        fix: 'Set SURREAL_BIN to a SurrealDB 3 surreal.',
      });
    }
    return ok('D_SURREAL_MAJOR', `SurrealDB ${surreal.major}${storeMajor ? `, as the store` : ''}`);
  },
};

export const SURREAL_CHECKS: DoctorCheck[] = [found, major];
