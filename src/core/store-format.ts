/**
 * surrealkv 0.9 (SurrealDB 2.x) is a commit log; surrealkv 0.20+ (SurrealDB 3.x) is an LSM tree, and its folder looks
 * the same whoever wrote it. What it holds tells the 3.x generations apart: `surrealkv-3.0` is what SurrealDB 3.0 (and
 * @surrealdb/node 3.0.x) writes; `surrealkv-3.1+` carries the storage-version stamp that SurrealDB 3.3 and later write
 * (`/!vs`, e.g. "3.3.5"), and has newer definitions that a 3.0 engine fails on ("Invalid revision `4` for type
 * `TableDefinition`"). 3.1 and 3.2 write no stamp: their stores read as 3.0 here, and the embedded engine's own error
 * names them (E_STORE_FORMAT).
 */
export type StoreFormat = 'surrealkv-2' | 'surrealkv-3.0' | 'surrealkv-3.1+' | 'unknown';
