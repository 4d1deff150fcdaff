import { describe, expect, it } from 'vitest';
import { maskCredentials } from '../../src/core/secret-mask.js';

describe('maskCredentials', () => {
  it('hides password-, secret-, token- and key-like TOML values and keeps everything else', () => {
    const toml = [
      '[database]',
      'type = "remote"',
      'url = "ws://db:8000"',
      'username = "pattern_app"',
      'password = "hunter2-Qx"   # not here',
      "discord_token = 'tok-Abc.def'",
      'api_key = sk-live-123',
      '"client secret" = "s3-Zz"',
      'model.openai.apiKey = "k-9"',
      'keep_alive = 30',
    ].join('\n');
    const masked = maskCredentials(toml);
    for (const secret of ['hunter2-Qx', 'tok-Abc.def', 'sk-live-123', 's3-Zz', 'k-9']) expect(masked).not.toContain(secret);
    expect(masked).toContain('password = "***"   # not here');
    expect(masked).toContain("discord_token = '***'");
    expect(masked).toContain('api_key = ***');
    expect(masked).toContain('url = "ws://db:8000"');
    expect(masked).toContain('username = "pattern_app"');
    expect(masked).toContain('keep_alive = 30');
  });

  it('works inside a diff, an inline table, a parse-error excerpt and a .env line', () => {
    expect(maskCredentials('-password = "old-1"\n+password = "new-2"\n password = "same-3"')).toBe('-password = "***"\n+password = "***"\n password = "***"');
    expect(maskCredentials('database = { type = "remote", password = "in-line", url = "http://h" }')).toBe('database = { type = "remote", password = "***", url = "http://h" }');
    expect(maskCredentials('4 | password = "left-open')).toBe('4 | password = "***"');
    expect(maskCredentials('pass = """multi\nline"""\nnext = 1')).toBe('pass = """***"""\nnext = 1');
    expect(maskCredentials('SURREAL_USER=root\nSURREAL_PASS=Zx9-pw')).toBe('SURREAL_USER=root\nSURREAL_PASS=***');
  });

  it("hides SurrealQL's PASSWORD and PASSHASH literals, as a server's parse error may quote them", () => {
    const said = "Parse error: unexpected token\n --> [1:40]\n  | DEFINE USER app ON ROOT PASSWORD 'gen-Secret_1' ROLES EDITOR PASSHASH \"$argon2id$v=19$x\"";
    const masked = maskCredentials(said);
    expect(masked).not.toContain('gen-Secret_1');
    expect(masked).not.toContain('argon2id');
    expect(masked).toContain("PASSWORD '***' ROLES EDITOR PASSHASH \"***\"");
  });

  it('leaves placeholders and comparisons alone', () => {
    for (const text of ['export SURREAL_USER=root SURREAL_PASS=…', 'password = "${SURREAL_PASS}"', 'password = ""', "WHERE token == 'x'", 'a => key']) {
      expect(maskCredentials(text)).toBe(text);
    }
  });
});

it('masks a secret after a very long line (a 100 KB comment) as after a short one', () => {
  const text = `# ${'x'.repeat(100_000)}\npassword = "hunter2"\n`;
  expect(maskCredentials(text)).toBe(`# ${'x'.repeat(100_000)}\npassword = "***"\n`);
});
