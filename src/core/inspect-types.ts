// What the inspector reads from a database, and the one interface both sources (server, embedded snapshot) implement.
// Types only: the adapters live in src/surreal, the views in src/ui/inspect.

/** A namespace and database; the inspector never USEs a name that INFO did not list. */
export interface Selection {
  namespace: string;
  database: string;
}

/** What a statement runs against: nothing (root), a namespace, or a namespace and database. */
export interface Scope {
  namespace?: string;
  database?: string;
}

/** SurrealDB's value types, kept apart so the UI can colour them (JSON would flatten ids and datetimes to strings). */
export type ScalarType =
  | 'string'
  | 'number'
  | 'bool'
  | 'null'
  | 'none'
  | 'record'
  | 'datetime'
  | 'uuid'
  | 'duration'
  | 'decimal'
  | 'bytes'
  | 'geometry'
  | 'table'
  | 'other';

export type InspectScalar = { type: ScalarType; text: string };

export type InspectValue =
  | InspectScalar
  | { type: 'array'; items: InspectValue[] }
  | { type: 'object'; fields: Array<[string, InspectValue]> };

export interface TableSummary {
  name: string;
  /** null when counting failed (countError says why). */
  count: number | null;
  countError?: string;
}

export interface DatabaseNode {
  name: string;
  tables: TableSummary[];
}

export interface NamespaceNode {
  name: string;
  databases: DatabaseNode[];
}

export interface InspectTree {
  namespaces: NamespaceNode[];
}

export interface Definition {
  name: string;
  /** The definition as the database reports it (secrets replaced by '<hidden>'). */
  text: string;
}

export type IndexKind = 'full-text' | 'hnsw' | 'mtree' | 'unique' | 'count' | 'plain';

export interface IndexDefinition extends Definition {
  kind: IndexKind;
}

export interface TableDefinition {
  table: string;
  /** DEFINE TABLE …, or '' when the table exists only implicitly. */
  text: string;
  schema: 'schemafull' | 'schemaless' | 'unknown';
  /** ANY, NORMAL or RELATION (with its IN/OUT), as defined. */
  type: string;
  permissions: string;
  fields: Definition[];
  indexes: IndexDefinition[];
  events: Definition[];
}

/** The database-level definitions the inspector shows, by INFO FOR DB kind; users and accesses have secrets hidden. */
export type DatabaseDefinitions = Record<string, Definition[]>;

export interface EdgeRow {
  /** The edge record's id, e.g. agent_messages:abc. */
  id: string;
  table: string;
  /** The record at the other end (in for incoming edges, out for outgoing). */
  other: string;
  value: InspectValue;
}

export interface RecordDetail {
  id: string;
  record: InspectValue | null;
  incoming: EdgeRow[];
  outgoing: EdgeRow[];
  /** At most this many edges are read each way. */
  edgeLimit: number;
}

export interface StatementOutcome {
  status: 'OK' | 'ERR';
  /** The statement's text, when the split matched the server's answers. */
  text?: string;
  result?: InspectValue;
  /** The server's own words. */
  error?: string;
  time?: string;
}

export interface OutcomeError {
  code: string;
  message: string;
  fix?: string;
}

export type QueryOutcome =
  | { kind: 'done'; statements: StatementOutcome[]; elapsedMs: number }
  /** The whole request failed (parse error, connection): the server's text is in error.message. */
  | { kind: 'failed'; error: OutcomeError; elapsedMs: number }
  /** A statement would change data and the inspector is read-only. */
  | { kind: 'refused'; error: OutcomeError; statement: string; keyword: string }
  /** Opened with --write: the statement may run once the user says yes. */
  | { kind: 'confirm'; statement: string; keyword: string; reachesLive: boolean };

/** How the source is doing: the header, the `f` view ("server facts") and `facts` in --json show it. */
export interface SourceStatus {
  kind: 'server' | 'embedded';
  location: string;
  version: string;
  healthy: boolean;
  health: string;
  /** Median of a few round trips (GET /health, or RETURN 1 in the engine's child process). */
  latencyMs: number;
  user?: string;
  snapshot?: string;
}

export interface SourceDescription {
  kind: 'server' | 'embedded';
  /** The URL, or the store folder the snapshot was copied from. */
  location: string;
  /** Opened with --write. */
  writable: boolean;
  /** Embedded sources read a copy: writes never reach the store Pattern uses. */
  snapshot?: string;
  /** A store whose log SurrealDB read only up to damage it found there: what was dropped, in words. */
  damaged?: string;
  /** The namespace/database to start in (flags or config). */
  selection?: Selection;
}

export interface QueryOptions {
  /** The user said yes to a statement that changes data (only honoured when writable). */
  confirmed?: boolean;
}

/** The records view asks for this many at a time; a source never reads more than MAX_PAGE in one request. */
export const PAGE_SIZE = 50;
export const MAX_PAGE = 200;
export const EDGE_LIMIT = 50;

export interface InspectSource {
  readonly description: SourceDescription;
  tree(): Promise<InspectTree>;
  count(selection: Selection, table: string): Promise<number>;
  tableDefinition(selection: Selection, table: string): Promise<TableDefinition>;
  databaseDefinitions(selection: Selection): Promise<DatabaseDefinitions>;
  /** One page, in the table's own order; limit is capped at MAX_PAGE. */
  records(selection: Selection, table: string, start: number, limit: number): Promise<InspectValue[]>;
  record(selection: Selection, id: string): Promise<RecordDetail>;
  query(selection: Selection | undefined, text: string, options?: QueryOptions): Promise<QueryOutcome>;
  status(): Promise<SourceStatus>;
  close(): Promise<void>;
}

/** The console's history across sessions (oldest first); append never throws. */
export interface InspectHistory {
  entries: string[];
  append(query: string): void;
}

/** One statement of `pattern-db inspect --query`, its value made plain for JSON. */
export interface QueryStatementReport {
  status: 'OK' | 'ERR';
  text?: string;
  time?: string;
  result?: unknown;
  error?: string;
}

/** What `pattern-db inspect --json` prints: the tree with counts and every definition. */
export interface TableReport {
  name: string;
  count: number | null;
  countError?: string;
  definition: TableDefinition;
}

export interface DatabaseReport {
  name: string;
  tables: TableReport[];
  definitions: DatabaseDefinitions;
}

export interface InspectReport {
  source: Omit<SourceDescription, 'selection'>;
  facts: SourceStatus;
  namespaces: Array<{ name: string; databases: DatabaseReport[] }>;
}
