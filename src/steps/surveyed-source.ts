// What the wizard's survey read of a SurrealDB 2 store, carried over to the run the user then starts. Its private 2.x
// server reads the whole store into memory when it opens it (3.4 s at 5,000 messages, about 23 s at 20,000 on 2 cores),
// and the run's export reads through the same kind of server: when the store has not changed since the survey copied
// it, the run takes the survey's snapshot and its open reader instead of copying and loading the store again.
import { storeMajor, type SourceStore } from '../surreal/source-store.js';
import { removeSnapshot, storeDigestNow } from '../surreal/store.js';
import type { PreflightResult, SourceCensus } from './run-state.js';

export interface Surveyed {
  storePath: string;
  snapshot: string;
  /** The store's entries when the snapshot was copied (see snapshotStoreWithDigest). */
  storeDigest: string;
  census: SourceCensus;
  /** An open reader of the snapshot. */
  reader: SourceStore;
}

/**
 * Whether a run reads this store through one reader that a survey can hand over: a 2.x store exported by its private
 * server (POST /export). Not with `--driver cli`: its run copies the store and opens its own private server. Its
 * `surreal export` reads a throwaway copy of the snapshot, and the survey's snapshot could only be copied under the
 * survey's server, which writes its node registration into it every 3 s (SurrealDB 2's
 * `--node-membership-refresh-interval`): the copy could catch a write half done.
 */
export function carriesOver(pre: PreflightResult): boolean {
  return pre.store !== undefined && storeMajor(pre.store.format) === 2 && pre.driver !== 'cli';
}

export class SurveyedSource {
  private held: Surveyed | undefined;

  /** Keeps what a survey read, in place of what an earlier survey kept. */
  async keep(surveyed: Surveyed): Promise<void> {
    await this.close();
    this.held = surveyed;
  }

  /**
   * Hands over once what the survey read of the store at `storePath`, if the store's entries are those it copied and
   * its reader still answers; else discards it (its snapshot too), and the run copies the store anew.
   */
  async take(storePath: string): Promise<Surveyed | undefined> {
    const held = this.held;
    this.held = undefined;
    if (!held) return undefined;
    const same = held.storePath === storePath && (await storeDigestNow(storePath).catch(() => undefined)) === held.storeDigest;
    if (same && (await held.reader.databases().then(() => true, () => false))) return held;
    await discard(held);
    return undefined;
  }

  /** Ends what is still held (the wizard is leaving): its snapshot is removed with the others. */
  async close(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (held) await held.reader.discard();
  }
}

async function discard(held: Surveyed): Promise<void> {
  await held.reader.discard();
  await removeSnapshot(held.snapshot);
}
