// What a `surreal` that only reads a store runs with: the private server that serves a snapshot, and `surreal export`
// of a throwaway copy of one.
//
// SurrealDB 2 keeps every value it reads from a surrealkv store in a cache allowed half the machine's memory less
// 1 GiB: a reader would end up holding every record it exported. A reader reads each record once or twice, in key
// order, from a folder the page cache holds, so its cache is kept to 1 MiB: with a copy that leaves out the index data
// (lean-store-copy.ts), a 2->3 run at 20,000 messages then peaked at 202 MB against 237 MB with 32 MiB, in the same
// time (two rounds each). Nor does a reader keep the values of up to 64 bytes inside the index of keys it holds (the
// threshold is read when the store is opened, and changes nothing on disk): the whole 5,000-message store then takes
// 453 MB once open instead of 514. (3.x reads neither variable.) And its allocator keeps two arenas, not one or more
// per thread of the server's runtime. SurrealDB's release binaries allocate with jemalloc, which reads
// _RJEM_MALLOC_CONF: over a 2->3 run the private server then peaked at 136 MB instead of 164 at 20,000 messages (2
// rounds each) and 250 MB instead of 277 at 100,000 (full-text indexes unbuilt, 1 round each), in the same time. A
// surreal built without that allocator uses glibc's, which reads MALLOC_ARENA_MAX: 116 MB instead of 170 at 5,000
// messages and 135 MB instead of 204 at 20,000. `surreal export --v3` of the 100,000-message snapshot (285 MB) took
// 7.8 s and 168 MB with these settings against 8.5 s and 461 MB without (glibc's allocator).
//
// A 3.x server keeps the blocks and values it reads in a cache of the same default size (its own variable), and every
// few seconds does the full-text index work the store left queued, writing it into the folder it reads. A reader needs
// neither: measured with a private 3.3.5 server exporting (over HTTP) a 3.1+ copy of the 100,000-message store, which
// the 3.0 engine left with that work queued, it peaked at 1,068 MB and used 38 s of CPU, writing 2.36 million entries;
// with its cache at 16 MiB, 582 MB; with the index work put off, 507 MB and 23 s; with both, 227 MB and 25 s, in the
// same 21-25 s. (2.6.5 reads the interval too; its snapshots hold no index data to work on.)

/** The block cache of a 3.x engine that reads a store once (a private server, the in-process engine: embedded.ts). */
export const READER_BLOCK_CACHE_BYTES = 16 * 1024 * 1024;

export const STORE_READER_ENV: Readonly<Record<string, string>> = {
  SURREAL_SURREALKV_MAX_VALUE_CACHE_SIZE: String(1 << 20),
  SURREAL_SURREALKV_MAX_VALUE_THRESHOLD: '0',
  SURREAL_SURREALKV_BLOCK_CACHE_CAPACITY: String(READER_BLOCK_CACHE_BYTES),
  // A year: longer than any run; the interval cannot be turned off.
  SURREAL_INDEX_COMPACTION_INTERVAL: '8760h',
  _RJEM_MALLOC_CONF: 'narenas:2',
  MALLOC_ARENA_MAX: '2',
};

/**
 * What `surreal export` of a store's throwaway copy runs with. SurrealDB 3's `surreal export` opens the folder with
 * its engine's defaults whatever the environment says (asked for a 16 MiB block cache, it logs 11 GB here), and with
 * two glibc arenas its export of a copy of the 100,000-message store, which it compacts as it opens it, held as much
 * (4.3-4.5 GB; jemalloc's defaults, 4.5 GB) and took 24-47 s against 23-33 s (4 alternating pairs): it gets none of them.
 */
export function exportReaderEnv(major: number): Readonly<Record<string, string>> {
  return major === 2 ? STORE_READER_ENV : {};
}
