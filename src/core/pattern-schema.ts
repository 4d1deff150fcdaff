/**
 * Pattern's database schema as data: what its startup migrations (fb44bd2, schema version 1) leave in a fresh
 * database, once each (pattern-facts §2.2–2.6). pattern-schema-text.ts renders it as the SurrealDB 2 text Pattern
 * sends and as its SurrealDB 3 translation; pattern-requirements.ts reads what the doctor requires from it.
 */

/** A stored field and its SurrealQL type, in the entity's field order. `object` is a JSON value. */
export type PatternField = readonly [name: string, type: string];

export interface PatternTable {
  name: string;
  /** Every stored field but `id`. */
  fields: readonly PatternField[];
  /** Edge tables of the entity's relations, each a plain SCHEMALESS table defined right after the fields. */
  relations: readonly string[];
  /**
   * Written by the Entity derive (`DEFINE TABLE OVERWRITE`, `ON TABLE t`, a `record` field for `id`), or by hand
   * (system_metadata: plain `DEFINE TABLE`, `ON t`, no `id` field and no schema_hash field).
   */
  writer: 'entity' | 'hand';
}

const entity = (name: string, fields: readonly PatternField[], relations: readonly string[] = []): PatternTable => ({
  name,
  fields,
  relations,
  writer: 'entity',
});

/** The tables, in the order Pattern defines them. */
export const PATTERN_TABLES: readonly PatternTable[] = [
  entity('user', [
    ['discord_id', 'option<string>'],
    ['created_at', 'datetime'],
    ['updated_at', 'datetime'],
    ['settings', 'object'],
    ['metadata', 'object'],
  ], ['owns', 'created', 'remembers', 'scheduled']),
  entity('agent', [
    ['name', 'string'],
    ['agent_type', 'string'],
    ['model_id', 'option<string>'],
    ['model_config', 'object'],
    ['base_instructions', 'string'],
    ['max_messages', 'int'],
    ['max_message_age_hours', 'int'],
    ['compression_threshold', 'int'],
    ['memory_char_limit', 'int'],
    ['enable_thinking', 'bool'],
    ['compression_strategy', 'object'],
    ['tool_rules', 'array'],
    ['total_messages', 'int'],
    ['total_tool_calls', 'int'],
    ['context_rebuilds', 'int'],
    ['compression_events', 'int'],
    ['created_at', 'datetime'],
    ['updated_at', 'datetime'],
    ['last_active', 'datetime'],
    ['owner_id', 'record'],
    ['memories', 'array'],
    ['messages', 'array'],
    ['message_summary', 'option<string>'],
  ], ['assigned', 'scheduled']),
  entity('task', [
    ['title', 'string'],
    ['description', 'option<string>'],
    ['status', 'string'],
    ['priority', 'string'],
    ['due_date', 'option<datetime>'],
    ['completed_at', 'option<datetime>'],
    ['created_at', 'datetime'],
    ['updated_at', 'datetime'],
    ['creator_id', 'record'],
    ['assigned_agent_id', 'option<record>'],
    ['parent_task_id', 'option<record>'],
  ], ['has_subtask']),
  entity('mem', [
    ['owner_id', 'record'],
    ['label', 'string'],
    ['value', 'string'],
    ['description', 'option<string>'],
    ['memory_type', 'string'],
    ['pinned', 'bool'],
    ['permission', 'string'],
    ['metadata', 'object'],
    ['embedding_model', 'option<string>'],
    ['embedding', 'option<array<float>>'],
    ['created_at', 'datetime'],
    ['updated_at', 'datetime'],
    ['is_active', 'bool'],
  ]),
  entity('event', [
    ['title', 'string'],
    ['description', 'option<string>'],
    ['event_type', 'string'],
    ['scheduled_for', 'datetime'],
    ['duration_minutes', 'option<int>'],
    ['created_at', 'datetime'],
    ['updated_at', 'datetime'],
    ['creator_id', 'record'],
  ]),
  entity('msg', [
    ['role', 'string'],
    ['owner_id', 'option<record>'],
    ['content', 'object'],
    ['metadata', 'object'],
    ['options', 'object'],
    ['has_tool_calls', 'bool'],
    ['word_count', 'int'],
    ['created_at', 'datetime'],
    ['position', 'option<string>'],
    ['batch', 'option<string>'],
    ['sequence_num', 'option<int>'],
    ['batch_type', 'option<string>'],
    ['embedding', 'option<array<float>>'],
    ['embedding_model', 'option<string>'],
  ]),
  entity('tool_call', [
    ['agent_id', 'record'],
    ['tool_name', 'string'],
    ['parameters', 'object'],
    ['result', 'object'],
    ['error', 'option<string>'],
    ['duration_ms', 'int'],
    ['created_at', 'datetime'],
  ]),
  {
    name: 'system_metadata',
    fields: [
      ['embedding_model', 'string'],
      ['embedding_dimensions', 'int'],
      ['schema_version', 'int'],
      ['created_at', 'datetime'],
      ['updated_at', 'datetime'],
    ],
    relations: [],
    writer: 'hand',
  },
];

/** Both analyzers are `TOKENIZERS class FILTERS lowercase, snowball(english)`. */
export const ANALYZER_TOKENIZERS = 'class';
export const ANALYZER_FILTERS = 'lowercase, snowball(english)';

export interface FullTextIndex {
  name: string;
  table: string;
  field: string;
}

/** Each analyzer with the BM25 (HIGHLIGHTS) indexes that use it, in the order `create_specialized_indices` defines them. */
export const PATTERN_FULL_TEXT: readonly { analyzer: string; indexes: readonly FullTextIndex[] }[] = [
  { analyzer: 'msg_content_analyzer', indexes: [{ name: 'msg_content_search', table: 'msg', field: 'content' }] },
  {
    analyzer: 'mem_value_analyzer',
    indexes: [
      { name: 'mem_value_search', table: 'mem', field: 'value' },
      { name: 'mem_desc_search', table: 'mem', field: 'description' },
      { name: 'mem_label_search', table: 'mem', field: 'label' },
    ],
  },
];

/** Dimension of every vector index, hard-coded by Pattern whatever embedder is in use. */
export const EMBEDDING_DIMENSIONS = 1536;

/** Tables with an HNSW (cosine) index named `{table}_vector_idx` on `embedding`. */
export const PATTERN_VECTOR_TABLES: readonly string[] = ['mem', 'msg', 'task'];

export const vectorIndexName = (table: string): string => `${table}_vector_idx`;

/** Schema version that Pattern's v1 migration records (v2 only runs with --force-schema-update). */
export const PATTERN_SCHEMA_VERSION = 1;
