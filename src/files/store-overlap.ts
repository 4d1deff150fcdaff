// Whether a place chosen for writing (a server's storage folder, the state folder, an export file, …) overlaps the
// user's store: nothing of ours may write into the store, and a folder around it may be filled or emptied as a whole.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';

export type StoreOverlap = 'is the store' | 'lies inside the store' | 'contains the store';

/** The real path of `target`: symlinks resolved in its nearest existing ancestor, the rest (not created yet) appended. */
export async function realPathOfNearest(target: string): Promise<string> {
  const absolute = path.resolve(target);
  const missing: string[] = [];
  for (let at = absolute; ; at = path.dirname(at)) {
    const real = await fs.realpath(at).catch(() => null);
    if (real !== null) return path.join(real, ...missing.reverse());
    if (path.dirname(at) === at) return absolute;
    missing.push(path.basename(at));
  }
}

function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}

/** How `candidate` lies relative to `store`, after resolving symlinks on both sides; null when they are apart. */
export async function storeOverlap(candidate: string, store: string): Promise<StoreOverlap | null> {
  const [place, real] = await Promise.all([realPathOfNearest(candidate), realPathOfNearest(store)]);
  if (place === real) return 'is the store';
  if (isWithin(place, real)) return 'lies inside the store';
  if (isWithin(real, place)) return 'contains the store';
  return null;
}

/** Refuses `candidate` (named for the user by `what`, e.g. "--state-dir") when it overlaps the store. */
export async function assertOutsideStore(candidate: string, store: string, what: string): Promise<void> {
  const overlap = await storeOverlap(candidate, store);
  if (!overlap) return;
  throw new PatternDbError('E_USAGE', `${what} ${candidate} ${overlap} ${store}; pattern-db never writes there.`, {
    fix: `Choose a place outside ${store} and not around it (e.g. a sibling folder). Nothing was written.`,
  });
}
