// The surreal programs: found, their versions, and whether the store's major has one to read it.
import { PatternDbError } from '../../core/errors.js';
import { locateSurreal } from '../../surreal/cli.js';
import { storeMajor } from '../../surreal/source-store.js';
import { fromError, ok, warn, type DoctorCheck } from './check.js';

const SEARCHED = 'searched: $SURREAL_BIN (and $SURREAL2_BIN for 2.x), then PATH, then ~/.cache/pattern-db';

const found: DoctorCheck = {
  id: 'surreal.found',
  group: 'surreal',
  title: 'surreal programs',
  async run(facts) {
    try {
      facts.surreal = await locateSurreal(facts.input.env, { major: 3 });
      facts.surreal2 = await locateSurreal(facts.input.env, { major: 2 });
    } catch (error) {
      if (error instanceof PatternDbError) return fromError(error);
      throw error;
    }
    const programs = [facts.surreal, facts.surreal2].flatMap((p) => (p ? [p] : []));
    if (!programs.length) {
      return warn('W_SURREAL_MISSING', 'No surreal program found. Stores written by SurrealDB 3 still migrate in-process; SurrealDB 2 stores and managed servers need one.', {
        evidence: [SEARCHED],
        fix: 'Install SurrealDB (3 for 3.x servers; 2, e.g. 2.6.5, for SurrealDB 2 stores and servers) and put it on PATH, or set SURREAL_BIN / SURREAL2_BIN; in this repository scripts/ensure-surreal [2|3] builds one.',
      });
    }
    return ok('D_SURREAL', programs.map((p) => `surreal ${p.version} at ${p.path} (from ${p.source})`).join('; '), {
      evidence: [SEARCHED, ...programs.map((p) => `${p.path} version → ${p.version}`)],
    });
  },
};

const forStore: DoctorCheck = {
  id: 'surreal.major',
  group: 'surreal',
  title: 'surreal for the store',
  async run(facts) {
    const major = facts.store ? storeMajor(facts.store.format) : undefined;
    if (major === undefined) return { status: 'skip', code: 'S_SKIPPED', message: 'no store to read' };
    if (major === 2 && !facts.surreal2) {
      return warn('W_SURREAL_MAJOR', 'This store was written by SurrealDB 2.x: reading, inspecting or migrating it needs a surreal 2.x, and none was found.', {
        evidence: [SEARCHED],
        fix: "Install a SurrealDB 2 surreal (SurrealDB's installer takes a version, e.g. 2.6.5) and set SURREAL2_BIN to it or put it on PATH. No SurrealDB 3 program may open a 2.x store.",
      });
    }
    if (major === 2) return ok('D_SURREAL_MAJOR', `SurrealDB 2, as the store: surreal ${facts.surreal2!.version} reads it (on a snapshot copy)`);
    return ok('D_SURREAL_MAJOR', facts.surreal ? `SurrealDB 3, as the store: surreal ${facts.surreal.version} reads it` : 'SurrealDB 3, as the store: read in-process (no surreal 3.x found)');
  },
};

export const SURREAL_CHECKS: DoctorCheck[] = [found, forStore];
