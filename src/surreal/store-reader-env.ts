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
export const STORE_READER_ENV: Readonly<Record<string, string>> = {
  SURREAL_SURREALKV_MAX_VALUE_CACHE_SIZE: String(1 << 20),
  SURREAL_SURREALKV_MAX_VALUE_THRESHOLD: '0',
  _RJEM_MALLOC_CONF: 'narenas:2',
  MALLOC_ARENA_MAX: '2',
};

/**
 * What `surreal export` of a store's throwaway copy runs with. SurrealDB 3 reads neither surrealkv variable, and with
 * two glibc arenas its export of a copy of the 100,000-message store, which it compacts as it opens it, held as much
 * (4.3-4.5 GB; jemalloc's defaults, 4.5 GB) and took 24-47 s against 23-33 s (4 alternating pairs): it gets none of them.
 */
export function exportReaderEnv(major: number): Readonly<Record<string, string>> {
  return major === 2 ? STORE_READER_ENV : {};
}
