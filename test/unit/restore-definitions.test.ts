import { describe, expect, it } from 'vitest';
import { groupDefinitions } from '../../src/ops/restore-definitions.js';

describe("an archive's definitions, grouped as INFO FOR DB / INFO FOR TABLE list them", () => {
  it('keys each kind by the name INFO uses, without the export-only OVERWRITE and the semicolon', () => {
    const grouped = groupDefinitions([
      "DEFINE USER reader ON DATABASE PASSHASH '$argon2id$x' ROLES VIEWER DURATION FOR TOKEN 1h, FOR SESSION NONE;",
      'DEFINE PARAM $answer VALUE 42 PERMISSIONS FULL;',
      "DEFINE FUNCTION fn::greet($n: string) { RETURN 'hi ' + $n } PERMISSIONS FULL;",
      'DEFINE TABLE `my table` TYPE ANY SCHEMALESS PERMISSIONS NONE;',
      'DEFINE FIELD OVERWRITE `value` ON mem TYPE string PERMISSIONS FULL;',
      'DEFINE INDEX ix ON TABLE msg FIELDS content;',
      "DEFINE EVENT ev ON msg WHEN $event = 'CREATE' THEN { CREATE log SET m = $after.id };",
      'DEFINE CONFIG OVERWRITE GRAPHQL TABLES AUTO FUNCTIONS AUTO;',
    ]);
    expect(grouped.database).toEqual({
      users: { reader: "DEFINE USER reader ON DATABASE PASSHASH '$argon2id$x' ROLES VIEWER DURATION FOR TOKEN 1h, FOR SESSION NONE" },
      params: { answer: 'DEFINE PARAM $answer VALUE 42 PERMISSIONS FULL' },
      functions: { greet: "DEFINE FUNCTION fn::greet($n: string) { RETURN 'hi ' + $n } PERMISSIONS FULL" },
      tables: { 'my table': 'DEFINE TABLE `my table` TYPE ANY SCHEMALESS PERMISSIONS NONE' },
    });
    expect(grouped.tables).toEqual({
      mem: { fields: { value: 'DEFINE FIELD `value` ON mem TYPE string PERMISSIONS FULL' } },
      msg: { indexes: { ix: 'DEFINE INDEX ix ON TABLE msg FIELDS content' }, events: { ev: "DEFINE EVENT ev ON msg WHEN $event = 'CREATE' THEN { CREATE log SET m = $after.id }" } },
    });
  });
});
