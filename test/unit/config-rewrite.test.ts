import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { rewriteDatabaseSection } from '../../src/core/config-rewrite.js';
import { PatternDbError } from '../../src/core/errors.js';

const target = { url: 'ws://127.0.0.1:8000', namespace: 'pattern', database: 'pattern' };
const NEW_KEYS = ['url = "ws://127.0.0.1:8000"', 'namespace = "pattern"', 'database = "pattern"'];

// pattern-facts §1.7, in its embedded form (before the author's move).
const ERA = `[user]
id = "188aa44f0c9f458e8adb4232332ce8fe"   # any string; CLI-generated = uuid v4 "simple" (32 hex). KEEP IT.
name = "Pattern Constellation"

[agent]
id = "62b14f69e29e410b826c46a829dfc378"
name = "Pattern"
system_prompt_path = "pattern-system-prompt.md"
persona_path = "pattern-persona-block.md"
bluesky_handle = "pattern.atproto.systems"
[agent.memory.partner]
content_path = "pattern-partner-block.md"
permission = "append"          # read_only|partner|human|append|read_write|admin
memory_type = "core"           # core|working|archival
description = "Understanding of orual's role"
shared = true

[context]                       # NOT a PatternConfig field: ignored by Pattern, must be preserved
max_messages = 200

[model]
provider = "Anthropic"
model = "claude-sonnet-4"
temperature = 0.8

[[agent.tool_rules]]
tool_name = "send_message"
rule_type = { type = "ExitLoop" }
priority = 8

[database]
type = "embedded"               # or: type = "remote"
path = "./pattern_constellation.db"
strict_mode = false             # leftover; ignored
# username/password omitted -> SURREAL_USER / SURREAL_PASS from env/.env

[[groups]]
name = "Pattern Cluster"
description = "Public-facing constellation"
pattern = { type = "dynamic", selector = "supervisor" }
[[groups.members]]
agent_id = "62b14f69e29e410b826c46a829dfc378"
name = "Pattern"
config_path = "agents/pattern_config.toml"
role = "supervisor"             # regular|supervisor|{ specialist = { domain = "..." } }
capabilities = ["coordination"]

[[groups]]
name = "Context Sync"
description = "Background sync"
pattern = { type = "sleeptime", check_interval = 300, triggers = [
  { name = "hourly_sync", condition = { type = "time_elapsed", duration = 3600 }, priority = "low" } ] }

[bluesky]
default_filter = { nsids = ["app.bsky.feed.post"], mentions = ["did:plc:..."], dids = [], friends = [],
                   allow_any_mentions = true, keywords = [], languages = [], exclude_keywords = [], exclude_dids = [] }
auto_connect_firehose = true
`;

const ERA_EXPECTED = ERA.replace('type = "embedded"               #', 'type = "remote"               #').replace(
  'strict_mode = false             # leftover; ignored\n',
  `strict_mode = false             # leftover; ignored\n${NEW_KEYS.join('\n')}\n`,
);

function rewrite(text: string) {
  return rewriteDatabaseSection(text, target);
}

describe('rewriteDatabaseSection', () => {
  it('changes only the database values of the era example, byte for byte', () => {
    const result = rewrite(ERA);
    expect(result.text).toBe(ERA_EXPECTED);
    expect(result.changed).toBe(true);
    expect(result.warnings).toEqual([]);
    const db = parse(result.text)['database'];
    expect(db).toEqual({ type: 'remote', path: './pattern_constellation.db', strict_mode: false, ...target });
  });

  it('keeps CRLF line endings, and new lines use CRLF too', () => {
    const crlf = ERA.replace(/\n/g, '\r\n');
    const result = rewrite(crlf);
    expect(result.text).toBe(ERA_EXPECTED.replace(/\n/g, '\r\n'));
    expect(result.text).not.toMatch(/[^\r]\n/);
  });

  it('keeps a missing final newline missing', () => {
    const result = rewrite('[user]\nid = "u"\n\n[database]\ntype = "embedded"\npath = "./x.db"');
    expect(result.text).toBe(`[user]\nid = "u"\n\n[database]\ntype = "remote"\npath = "./x.db"\n${NEW_KEYS.join('\n')}`);
  });

  it('inserts into a [database] in the middle, before the next header, keeping array-of-tables order', () => {
    const text = [
      '[model]',
      'provider = "Anthropic"',
      '',
      '[database]',
      'type = "embedded"',
      'path = "./p.db"',
      '',
      '# agent rules follow',
      '[[agent.tool_rules]]',
      'tool_name = "a"',
      '[[agent.tool_rules]]',
      'tool_name = "b"',
      '',
    ].join('\n');
    const result = rewrite(text);
    expect(result.text).toBe(
      text.replace('type = "embedded"', 'type = "remote"').replace('path = "./p.db"\n', `path = "./p.db"\n${NEW_KEYS.join('\n')}\n`),
    );
    expect(parse(result.text)['agent']).toEqual({ tool_rules: [{ tool_name: 'a' }, { tool_name: 'b' }] });
  });

  it('rewrites top-level dotted keys in place and adds the missing ones after the last of them', () => {
    const text = 'database.type = "embedded"  # was local\ndatabase.path = "./p.db"\ntitle = "x"\n\n[user]\nid = "u"\n';
    const result = rewrite(text);
    expect(result.text).toBe(
      'database.type = "remote"  # was local\ndatabase.path = "./p.db"\n' +
        'database.url = "ws://127.0.0.1:8000"\ndatabase.namespace = "pattern"\ndatabase.database = "pattern"\n' +
        'title = "x"\n\n[user]\nid = "u"\n',
    );
  });

  it('rewrites an inline table and keeps its other keys', () => {
    const text = 'database = { type = "embedded", path = "x", strict_mode = false } # db\n[user]\nid = "u"\n';
    const result = rewrite(text);
    expect(result.text).toBe(
      'database = { type = "remote", path = "x", strict_mode = false, url = "ws://127.0.0.1:8000", namespace = "pattern", database = "pattern" } # db\n[user]\nid = "u"\n',
    );
  });

  it('appends a [database] table after one blank line when there is none', () => {
    const block = `[database]\ntype = "remote"\n${NEW_KEYS.join('\n')}`;
    expect(rewrite('[user]\nid = "u"\n').text).toBe(`[user]\nid = "u"\n\n${block}\n`);
    expect(rewrite('[user]\nid = "u"\n\n').text).toBe(`[user]\nid = "u"\n\n${block}\n`);
    expect(rewrite('[user]\r\nid = "u"').text).toBe(`[user]\r\nid = "u"\r\n\r\n${block.replace(/\n/g, '\r\n')}`);
  });

  it('finds a header with spaces and a trailing comment', () => {
    const text = '[ database ]   # the store\ntype = "embedded"\n[user]\nid = "u"\n';
    expect(rewrite(text).text).toBe(`[ database ]   # the store\ntype = "remote"\n${NEW_KEYS.join('\n')}\n[user]\nid = "u"\n`);
  });

  it('finds quoted keys and inserts right after the header of an empty table', () => {
    const text = '["database"]\n\n[user]\nid = "u"\n';
    expect(rewrite(text).text).toBe(`["database"]\ntype = "remote"\n${NEW_KEYS.join('\n')}\n\n[user]\nid = "u"\n`);
  });

  it('is not fooled by [database] inside multi-line strings or multi-line arrays', () => {
    const text = [
      '[agent]',
      'name = "P"',
      'system_prompt = """',
      '[database]',
      'type = "embedded"',
      '"""',
      "persona = '''",
      '[database]',
      "'''",
      'tools = [',
      '  "a", # [database]',
      '  "b",',
      ']',
      '',
      '[database]',
      'type = "embedded"',
      '',
    ].join('\n');
    const result = rewrite(text);
    expect(result.text).toBe(text.replace(/type = "embedded"\n$/, `type = "remote"\n${NEW_KEYS.join('\n')}\n`));
    expect((parse(result.text)['agent'] as Record<string, unknown>)['system_prompt']).toBe('[database]\ntype = "embedded"\n');
  });

  it('appends a table when [database] only appears inside a string', () => {
    const text = 'note = """\n[database]\n"""\n';
    const result = rewrite(text);
    expect(result.text.startsWith(text)).toBe(true);
    expect(parse(result.text)['note']).toBe('[database]\n');
    expect(parse(result.text)['database']).toEqual({ type: 'remote', ...target });
  });

  it('keeps the trailing comment of a replaced value', () => {
    const text = '[database]\ntype = "remote"\nurl = "ws://old:8000"   # the old box\nnamespace = "n"\ndatabase = "d"\n';
    expect(rewrite(text).text).toBe(
      '[database]\ntype = "remote"\nurl = "ws://127.0.0.1:8000"   # the old box\nnamespace = "pattern"\ndatabase = "pattern"\n',
    );
  });

  it('keeps username/password, never adds them, and warns that they beat SURREAL_USER/SURREAL_PASS', () => {
    const text = '[database]\ntype = "remote"\nurl = "ws://old"\nnamespace = "n"\ndatabase = "d"\nusername = "root"\npassword = "secret"\n';
    const result = rewrite(text);
    expect(parse(result.text)['database']).toMatchObject({ username: 'root', password: 'secret' });
    expect(result.warnings.map((w) => w.code)).toEqual(['W_CREDENTIALS_IN_CONFIG']);
    expect(result.warnings[0]!.message).toMatch(/SURREAL_USER\/SURREAL_PASS/);
    expect(rewrite(ERA).text).not.toMatch(/^\s*(username|password)\s*=/m);
  });

  it('warns about a ${VAR} placeholder it keeps, and refuses to write one', () => {
    const text = '[database]\ntype = "remote"\nurl = "${SURREALDB_URL}"\nnamespace = "n"\ndatabase = "d"\nusername = "${SURREALDB_USER}"\n';
    const result = rewrite(text);
    expect(result.text).not.toContain('${SURREALDB_URL}');
    expect(result.warnings.map((w) => w.code)).toEqual(['W_CREDENTIALS_IN_CONFIG', 'W_PLACEHOLDER']);
    expect(() => rewriteDatabaseSection(text, { ...target, url: '${SURREALDB_URL}' })).toThrow(PatternDbError);
  });

  it('is idempotent: a second rewrite changes nothing', () => {
    const once = rewrite(ERA).text;
    const twice = rewrite(once);
    expect(twice.changed).toBe(false);
    expect(twice.text).toBe(once);
  });

  it('leaves a value alone when it already reads right in another quoting', () => {
    const text = "[database]\ntype = 'remote'\nurl = 'ws://127.0.0.1:8000'\nnamespace = \"pattern\"\ndatabase = \"pattern\"\n";
    expect(rewrite(text)).toEqual({ text, changed: false, warnings: [] });
  });

  it('escapes values as TOML basic strings', () => {
    const odd = { url: 'ws://h:1/a"b\\c', namespace: 'n\tx', database: 'd' };
    const result = rewriteDatabaseSection('[database]\ntype = "embedded"\n', odd);
    expect(parse(result.text)['database']).toEqual({ type: 'remote', ...odd });
  });

  it('keeps a byte-order mark and the indentation of the table', () => {
    const text = '\uFEFF[database]\n  type = "embedded"\n  path = "./p.db"\n';
    expect(rewrite(text).text).toBe(`\uFEFF[database]\n  type = "remote"\n  path = "./p.db"\n${NEW_KEYS.map((l) => `  ${l}`).join('\n')}\n`);
  });

  it('follows the key = value spacing of the table', () => {
    const text = '[database]\ntype="embedded"\npath="./p.db"\n';
    expect(rewrite(text).text).toBe('[database]\ntype="remote"\npath="./p.db"\nurl="ws://127.0.0.1:8000"\nnamespace="pattern"\ndatabase="pattern"\n');
  });

  it('refuses a `database` that is not a table', () => {
    expect(() => rewrite('database = "x"\n')).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID' }));
  });

  it.each([
    ['[database]\ntype = "embedded"\n[database.url]\nhost = "x"\n', 'url'],
    ['[database]\ntype = "embedded"\nnamespace.x = 1\n', 'namespace'],
    ['[database]\ntype = "embedded"\n[[database.database]]\nx = 1\n', 'database'],
  ])('refuses a key it sets that is a table, whose lines a value cannot replace: %j', (text, key) => {
    expect(() => rewrite(text)).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID', message: expect.stringContaining(`\`database.${key}\` in the config is a table`) }));
  });

  it('keeps a table of [database] that it does not set', () => {
    const text = '[database]\ntype = "embedded"\n[database.extra]\nx = 1\n';
    expect(rewrite(text).text).toBe('[database]\ntype = "remote"\nurl = "ws://127.0.0.1:8000"\nnamespace = "pattern"\ndatabase = "pattern"\n[database.extra]\nx = 1\n');
  });
});
