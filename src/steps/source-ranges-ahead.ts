// The source's range digests (verification by hash) read before the target can be asked for its own: every page of
// every table, in the order the comparison asks for them, a few numbers and one sha256 per page.
import { keyOfIdText } from '../core/record-range.js';
import type { RangeDigest } from '../surreal/range-digest.js';
import type { SourceStore } from '../surreal/source-store.js';

const key = (table: string, after: string | undefined, limit: number) => `${table}\u0000${after ?? ''}\u0000${limit}`;

export class SourceRangesAhead {
  private readonly digests = new Map<string, RangeDigest>();

  /** Reads every page of `tables`, `page` records each, each once `mayRead` resolves; resolves once all are read. */
  static async read(source: SourceStore, tables: readonly string[], page: number, signal: AbortSignal, mayRead: () => Promise<void>): Promise<SourceRangesAhead> {
    const ahead = new SourceRangesAhead();
    for (const table of tables) {
      let after: string | undefined;
      for (let at = 0; ; at += page) {
        await mayRead();
        signal.throwIfAborted();
        const digest = await source.rangeDigest(table, { after, at }, page);
        ahead.digests.set(key(table, after, page), digest);
        if (digest.count < page || digest.last === undefined) break;
        after = keyOfIdText(digest.last);
      }
    }
    return ahead;
  }

  /** The page read earlier, once; undefined when it was not (the caller reads it now). */
  take(table: string, after: string | undefined, limit: number): Promise<RangeDigest> | undefined {
    const found = this.digests.get(key(table, after, limit));
    if (!found) return undefined;
    this.digests.delete(key(table, after, limit));
    return Promise.resolve(found);
  }
}
