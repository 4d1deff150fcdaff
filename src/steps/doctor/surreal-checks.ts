// The surreal programs: found, their versions, and whether the store's major has one to read it.
import { PatternDbError } from '../../core/errors.js';
import { locateSurreal } from '../../surreal/cli.js';
import { storeMajor } from '../../surreal/source-store.js';
import { howToGetSurreal, surrealReads } from '../../surreal/store-reader.js';
import { fromError, ok, warn, type DoctorCheck } from './check.js';

const SEARCHED = 'searched: $SURREAL_BIN (and $SURREAL2_BIN for 2.x), then PATH, then ~/.cache/pattern-db';

const found: DoctorCheck = {
  id: 'surreal.found',
  group: 'surreal',
  title: 'surreal programs',
  async run(findings) {
    try {
      findings.surreal = await locateSurreal(findings.input.env, { major: 3 });
      findings.surreal2 = await locateSurreal(findings.input.env, { major: 2 });
    } catch (error) {
      if (error instanceof PatternDbError) return fromError(error);
      throw error;
    }
    const programs = [findings.surreal, findings.surreal2].flatMap((p) => (p ? [p] : []));
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
  async run(findings) {
    const store = findings.store;
    const major = store ? storeMajor(store.format) : undefined;
    if (!store || major === undefined) return { status: 'skip', code: 'S_SKIPPED', message: 'no store to read' };
    const program = major === 2 ? findings.surreal2 : findings.surreal;
    if (program && !surrealReads(program, store.format)) {
      return warn('W_SURREAL_MAJOR', `surreal ${program.version} cannot read this store, which SurrealDB ${store.storageVersion ?? major} wrote (the 3.1+ format).`, {
        evidence: [...store.formatEvidence, `${program.path} version → ${program.version}`],
        fix: howToGetSurreal(store.format),
      });
    }
    if (!program) {
      if (major === 3 && store.format === 'surrealkv-3.0') return ok('D_SURREAL_MAJOR', 'SurrealDB 3, as the store: read in-process (no surreal 3.x found)');
      return warn('W_SURREAL_MAJOR', `This store was written by SurrealDB ${major}.x: reading, inspecting or migrating it needs a surreal ${major}.x, and none was found.`, {
        evidence: [SEARCHED],
        fix: howToGetSurreal(store.format),
      });
    }
    return ok('D_SURREAL_MAJOR', `SurrealDB ${major}, as the store: surreal ${program.version} reads it${major === 2 ? ' (on a snapshot copy)' : ''}`);
  },
};

export const SURREAL_CHECKS: DoctorCheck[] = [found, forStore];
