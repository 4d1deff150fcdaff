// The surreal program: found, its version, and whether its major version suits the store.
import { PatternDbError } from '../../core/errors.js';
import { locateSurreal } from '../../surreal/cli.js';
import type { StoreInfo } from '../../surreal/store.js';
import { surrealReads } from '../../surreal/store-reader.js';
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

/** Who wrote the store, in words: "SurrealDB 2.x", "SurrealDB 3.0", "SurrealDB 3.3.5 (the 3.1+ format)". */
function writerOf(store: StoreInfo): string {
  if (store.format === 'surrealkv-2') return 'SurrealDB 2.x';
  if (store.format === 'surrealkv-3.1+') return `SurrealDB ${store.storageVersion ?? '3.1 or later'} (the 3.1+ format)`;
  return 'SurrealDB 3.0';
}

const FIX_FOR: Record<'surrealkv-2' | 'surrealkv-3.0' | 'surrealkv-3.1+', string> = {
  'surrealkv-2': 'Export the store with a surreal 2.6+ (`surreal export --v3 …`), then import that file; or set SURREAL2_BIN to a 2.x surreal for the export.',
  'surrealkv-3.0': 'Set SURREAL_BIN to a SurrealDB 3 surreal.',
  'surrealkv-3.1+': 'Set SURREAL_BIN to a surreal 3.1 or later (SurrealDB\'s installer gives 3.3.x today).',
};

const major: DoctorCheck = {
  id: 'surreal.major',
  group: 'surreal',
  title: 'surreal version against the store',
  async run(facts) {
    const surreal = facts.surreal;
    if (!surreal) return { status: 'skip', code: 'S_SKIPPED', message: 'no surreal program' };
    const store = facts.store;
    if (store && store.format !== 'unknown' && !surrealReads(surreal, store.format)) {
      return warn('W_SURREAL_MAJOR', `surreal ${surreal.version} cannot read this store, which ${writerOf(store)} wrote.`, {
        evidence: [...store.formatEvidence, `${surreal.path} version → ${surreal.version}`],
        fix: FIX_FOR[store.format],
      });
    }
    if (surreal.major !== 3) {
      return warn('W_SURREAL_MAJOR', `surreal ${surreal.version} is not SurrealDB 3: its CLI refuses 3.x servers (the CLI is locked to its own major version).`, {
        fix: 'Set SURREAL_BIN to a SurrealDB 3 surreal.',
      });
    }
    return ok('D_SURREAL_MAJOR', `SurrealDB ${surreal.version}${store ? `: it reads this store, which ${writerOf(store)} wrote` : ''}`);
  },
};

export const SURREAL_CHECKS: DoctorCheck[] = [found, major];
