// One round of --paths-at-once: pattern-db and the fast by-hand path at the same time, each into its own server.
import { failedRound, roundLine, type PathRound } from './bench-round.js';
import type { ByHandRound } from './by-hand-round.js';

export interface SideBySidePaths {
  patternDb: () => Promise<PathRound>;
  /** Calls `onStoreCopied` once its throwaway copy of the store is made. */
  byHand: (onStoreCopied: () => void) => Promise<ByHandRound>;
  say: (line: string) => void;
}

/**
 * pattern-db refuses a store that another process has a file of open (it cannot tell a reader from Pattern itself), so
 * it starts once the fast path's copy of the store is made, the seconds of a copy later. Each path's line is said the
 * moment it ends: the first to end, a failure included, would otherwise go unsaid until the other does, an hour and
 * more later at 100,000 messages on 2.x.
 */
export async function sideBySide(round: number, paths: SideBySidePaths): Promise<[PathRound, ByHandRound]> {
  let storeCopied!: () => void;
  const copied = new Promise<void>((resolve) => (storeCopied = resolve));
  const ended = (name: string, r: PathRound) => paths.say(`round ${round}, as it ended: ${roundLine(name, r)}`);
  const patternDb = copied.then(paths.patternDb).catch(failedRound);
  const byHand = paths.byHand(storeCopied).finally(storeCopied);
  return Promise.all([
    patternDb.then((r) => (ended('pattern-db', r), r)),
    byHand.then((r) => (ended('fast by hand', r.fast), r)),
  ]);
}
