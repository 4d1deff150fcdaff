import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { findPlaceholders, readDatabaseConfig } from '../../src/core/config-model.js';

const read = (toml: string) => readDatabaseConfig(parse(toml) as Record<string, unknown>);

describe('readDatabaseConfig', () => {
  it('uses embedded ./pattern.db when there is no [database]', () => {
    expect(read('[user]\nid = "u"\n')).toEqual({
      ok: true,
      config: { type: 'embedded', path: './pattern.db', strict_mode: false },
      warnings: [],
    });
  });

  it('fills the embedded defaults and ignores keys Pattern does not know', () => {
    const result = read('[database]\ntype = "embedded"\nurl = "ws://ignored"\n');
    expect(result).toEqual({ ok: true, config: { type: 'embedded', path: './pattern.db', strict_mode: false }, warnings: [] });
  });

  it('reads a remote config and drops the leftover strict_mode', () => {
    const result = read('[database]\ntype = "remote"\nurl = "ws://h:8000"\nnamespace = "pattern"\ndatabase = "pattern"\nstrict_mode = false\n');
    expect(result).toEqual({
      ok: true,
      config: { type: 'remote', url: 'ws://h:8000', namespace: 'pattern', database: 'pattern' },
      warnings: [],
    });
  });

  it('requires the type tag, in Pattern\'s words', () => {
    expect(read('[database]\npath = "./p.db"\n')).toEqual({ ok: false, problems: ['missing field `type`'] });
  });

  it('rejects an unknown variant, including wrong capitalisation', () => {
    expect(read('[database]\ntype = "Embedded"\n')).toEqual({
      ok: false,
      problems: ['unknown variant `Embedded`, expected `embedded` or `remote`'],
    });
  });

  it('lists the missing remote fields in Pattern\'s order', () => {
    expect(read('[database]\ntype = "remote"\n')).toEqual({
      ok: false,
      problems: ['missing field `url`', 'missing field `namespace`', 'missing field `database`'],
    });
  });

  it('reports a value of the wrong type like serde does', () => {
    expect(read('[database]\ntype = "embedded"\npath = 5\n')).toEqual({
      ok: false,
      problems: ['invalid type: integer `5`, expected a string'],
    });
    expect(read('[database]\ntype = "embedded"\nstrict_mode = "no"\n')).toEqual({
      ok: false,
      problems: ['invalid type: string "no", expected a boolean'],
    });
  });

  it('warns that ${VAR} is not expanded and that a password in the file wins over SURREAL_PASS', () => {
    const result = read('[database]\ntype = "remote"\nurl = "${SURREALDB_URL}"\nnamespace = "p"\ndatabase = "p"\npassword = "hunter2"\n');
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['W_PLACEHOLDER', 'W_SECRET_IN_CONFIG']);
    expect(result.ok && result.warnings[0]!.message).toContain('literally');
    expect(result.ok && result.warnings[1]!.fix).toContain('SURREAL_PASS');
  });

  it('treats a placeholder password as a placeholder, not a stored secret', () => {
    const result = read('[database]\ntype = "remote"\nurl = "ws://h"\nnamespace = "p"\ndatabase = "p"\npassword = "${SURREALDB_PASS}"\n');
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['W_PLACEHOLDER']);
    expect(result.ok && result.warnings[0]!.fix).toContain('SURREAL_PASS');
  });

  it('warns that an empty path is the in-memory engine', () => {
    const result = read('[database]\ntype = "embedded"\npath = ""\n');
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['W_IN_MEMORY_STORE']);
  });
});

describe('findPlaceholders', () => {
  it('lists every key path whose string holds ${...}', () => {
    const parsed = parse(
      'title = "plain"\n[model]\napi = "${KEY}"\n[agent.memory."my block"]\npath = "${HOME}/x"\n[[groups]]\nname = "a"\n[[groups]]\nname = "${G}"\n[x]\nlist = ["ok", "${Y}"]\n',
    ) as Record<string, unknown>;
    expect(findPlaceholders(parsed)).toEqual(['model.api', 'agent.memory."my block".path', 'groups[1].name', 'x.list[1]']);
  });
});
