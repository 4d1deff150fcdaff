import { describe, expect, it } from 'vitest';
import { hideSecrets } from '../../src/core/definition-secrets.js';
import { classifyIndex, databaseDefinitionsFrom, tableDefinitionFrom } from '../../src/core/info-definitions.js';
import { ident } from '../../src/core/surql-ident.js';

describe('index kinds', () => {
  it.each([
    // As SurrealDB 3.0.5 reports Pattern's indexes.
    ['DEFINE INDEX msg_content_search ON msg FIELDS content FULLTEXT ANALYZER msg_content_analyzer BM25(1.2,0.75) HIGHLIGHTS', 'full-text'],
    ['DEFINE INDEX msg_vector_idx ON msg FIELDS embedding HNSW DIMENSION 1536 DIST COSINE TYPE F32 EFC 150 M 12 M0 24 LM 0.40242960438184466f', 'hnsw'],
    // 2.x wording and other kinds.
    ['DEFINE INDEX mem_value_search ON mem FIELDS value SEARCH ANALYZER mem_value_analyzer BM25 HIGHLIGHTS CONCURRENTLY', 'full-text'],
    ['DEFINE INDEX v ON t FIELDS embedding MTREE DIMENSION 4 DIST EUCLIDEAN', 'mtree'],
    ['DEFINE INDEX uniq ON msg FIELDS pos UNIQUE', 'unique'],
    ['DEFINE INDEX pair ON t FIELDS a, b UNIQUE', 'unique'],
    ['DEFINE INDEX pair ON t COLUMNS a,b UNIQUE', 'unique'],
    ['DEFINE INDEX plain ON msg FIELDS created_at', 'plain'],
    ['DEFINE INDEX c ON t COUNT', 'count'],
    // A field named like a kind is a field, not the kind.
    ['DEFINE INDEX s ON t FIELDS search', 'plain'],
    ['DEFINE INDEX u ON t FIELDS unique, hnsw', 'plain'],
    ['DEFINE INDEX idx_agent_conversation_search ON agent COLUMNS conversation_history.*.content SEARCH ANALYZER a BM25', 'full-text'],
  ])('%s → %s', (definition, kind) => {
    expect(classifyIndex(definition)).toBe(kind);
  });
});

describe('definitions', () => {
  it('hides password hashes, passwords and keys', () => {
    expect(hideSecrets("DEFINE USER bob ON DATABASE PASSHASH '$argon2id$v=19$m=19456,t=2,p=1$abc$def' ROLES VIEWER")).toBe(
      "DEFINE USER bob ON DATABASE PASSHASH '<hidden>' ROLES VIEWER",
    );
    // As SurrealDB 3.3.5 shows a user in INFO: hashes redacted by the server, a SCRAM verifier beside the hash.
    expect(hideSecrets("DEFINE USER bob ON DATABASE PASSHASH '[REDACTED]' PASSSCRAM '[REDACTED]' ROLES VIEWER DURATION FOR TOKEN 1h, FOR SESSION NONE")).toBe(
      "DEFINE USER bob ON DATABASE PASSHASH '<hidden>' PASSSCRAM '<hidden>' ROLES VIEWER DURATION FOR TOKEN 1h, FOR SESSION NONE",
    );
    expect(hideSecrets('DEFINE USER x ON ROOT PASSWORD "it\'s \\"secret\\"" ROLES OWNER')).toBe("DEFINE USER x ON ROOT PASSWORD '<hidden>' ROLES OWNER");
    expect(hideSecrets("DEFINE ACCESS api ON DATABASE TYPE JWT ALGORITHM HS512 KEY 'sup3r' DURATION FOR TOKEN 1h")).toBe(
      "DEFINE ACCESS api ON DATABASE TYPE JWT ALGORITHM HS512 KEY '<hidden>' DURATION FOR TOKEN 1h",
    );
  });

  it('reads a table definition: schema, type, permissions, fields, indexes with kinds, events', () => {
    const def = tableDefinitionFrom(
      'msg',
      { tables: { msg: 'DEFINE TABLE msg TYPE ANY SCHEMALESS PERMISSIONS FOR select FULL, FOR create, update, delete NONE' } },
      {
        fields: { role: 'DEFINE FIELD role ON msg TYPE string PERMISSIONS FULL', content: 'DEFINE FIELD content ON msg TYPE object PERMISSIONS FULL' },
        indexes: { msg_vector_idx: 'DEFINE INDEX msg_vector_idx ON msg FIELDS embedding HNSW DIMENSION 1536' },
        events: { ev: "DEFINE EVENT ev ON msg WHEN $event = 'CREATE' THEN {}" },
      },
    );
    expect(def).toMatchObject({ table: 'msg', schema: 'schemaless', type: 'ANY', permissions: 'FOR select FULL, FOR create, update, delete NONE' });
    expect(def.fields.map((f) => f.name)).toEqual(['content', 'role']);
    expect(def.indexes).toEqual([{ name: 'msg_vector_idx', text: 'DEFINE INDEX msg_vector_idx ON msg FIELDS embedding HNSW DIMENSION 1536', kind: 'hnsw' }]);
    expect(def.events).toHaveLength(1);
    const relation = tableDefinitionFrom('likes', { tables: { likes: 'DEFINE TABLE likes TYPE RELATION IN person OUT post SCHEMAFULL PERMISSIONS NONE' } }, {});
    expect(relation).toMatchObject({ type: 'RELATION IN person OUT post', schema: 'schemafull', permissions: 'NONE' });
    expect(tableDefinitionFrom('implicit', {}, {})).toMatchObject({ text: '', type: 'implicit', schema: 'unknown' });
  });

  it("reads the database's analyzers, functions, params, users (hidden) and any other kind that has something", () => {
    const defs = databaseDefinitionsFrom({
      analyzers: { a: 'DEFINE ANALYZER a TOKENIZERS CLASS' },
      functions: { hello: 'DEFINE FUNCTION fn::hello() { RETURN 1 }' },
      params: {},
      users: { bob: "DEFINE USER bob ON DATABASE PASSHASH 'x' ROLES VIEWER" },
      tables: { msg: 'DEFINE TABLE msg' },
      models: {},
      apis: { '/x': 'DEFINE API "/x"' },
    });
    expect(Object.keys(defs)).toEqual(['analyzers', 'functions', 'params', 'users', 'accesses', 'sequences', 'apis']);
    expect(defs.users![0]!.text).toBe("DEFINE USER bob ON DATABASE PASSHASH '<hidden>' ROLES VIEWER");
    expect(defs.params).toEqual([]);
  });

  it('escapes names for SQL: group is a keyword, and a name may hold backticks', () => {
    expect(ident('group')).toBe('`group`');
    expect(ident('we`ird\\name')).toBe('`we\\`ird\\\\name`');
  });
});
