import { describe, expect, it } from 'vitest';
import { doneSummary, type PasswordSource } from '../../src/core/done-summary.js';
import { DEFAULTS, type RunOptions } from '../../src/core/options.js';

const options: RunOptions = { ...DEFAULTS, cwd: '/home/me/pattern', exportFile: '/home/me/pattern/pattern_export.surql', stateDir: '/home/me/pattern/.pattern-db', yes: false, dryRun: false, resume: false, writeEnv: false };

describe("the wizard's last screen", () => {
  it('offers the app user, the first backup and its schedule for the server the data went to', () => {
    const summary = doneSummary({ ...options, target: 'http://db.lan:8000' }, {});
    expect(summary.nextCommands).toContain("pattern-db user create --target http://db.lan:8000 --write-env   # Pattern's own EDITOR user, into .env");
    expect(summary.nextCommands).toContain('pattern-db backup --target http://db.lan:8000   # the first backup, to ./backups');
    expect(summary.nextCommands.some((c) => c.startsWith('pattern-db backup schedule --target http://db.lan:8000'))).toBe(true);
  });

  it('names the managed server and a namespace/database that are not the default', () => {
    const state = { server: { url: 'http://127.0.0.1:8123', pid: 1, storage: 'memory', logFile: '/x.log', version: '3.0.5' } };
    const summary = doneSummary({ ...options, startServer: 'memory', database: 'tenant_a' }, state);
    expect(summary.nextCommands).toContain('pattern-db backup --target http://127.0.0.1:8123 --database tenant_a   # the first backup, to ./backups');
    expect(summary.nextCommands.join('\n')).not.toMatch(/SURREAL_PASS=[^…]/);
  });

  it("says a memory server's loss on the line under the command that stops it, and not under production", () => {
    const state = { server: { url: 'http://127.0.0.1:8123', pid: 1, storage: 'memory', logFile: '/x.log', version: '2.6.5' } };
    const summary = doneSummary({ ...options, startServer: 'memory' }, state);
    const stop = summary.nextCommands.indexOf('pattern-db server stop --state-dir .pattern-db');
    expect(summary.nextCommands[stop + 1]).toBe('# memory storage: stopping the server deletes everything in it');
    expect(summary.production.join('\n')).not.toMatch(/memory/);
    const kept = doneSummary({ ...options, startServer: 'surrealkv:///srv/db' }, { server: { ...state.server, storage: 'surrealkv:///srv/db' } });
    expect(kept.nextCommands.join('\n')).not.toMatch(/memory/);
  });

  it('says where the credentials are: the .env file, else where the password came from', () => {
    const where = (password: PasswordSource, envFile?: string) => {
      const summary = doneSummary({ ...options, username: 'admin', target: 'http://db.lan:8000' }, { config: { written: true, url: 'ws://db.lan:8000', ...(envFile ? { envFile } : {}) } }, password);
      return { line: summary.lines.find((l) => l.label === 'Credentials')?.value, next: summary.nextCommands.find((c) => c.startsWith('export SURREAL_USER=')) };
    };
    expect(where('generated')).toEqual({ line: 'admin: the generated password, shown only once (no copy kept)', next: 'export SURREAL_USER=admin SURREAL_PASS=…   # the password shown once' });
    expect(where('typed').line).toBe('admin: the password you typed (no copy kept)');
    expect(where('found').line).toBe('admin: the password found in SURREAL_PASS or .env');
    expect(where('generated', '/home/me/pattern/.env')).toEqual({ line: '/home/me/pattern/.env (mode 0600)', next: undefined });
  });

  it('says a stored server is gone after a reboot and names the command that makes it a service', () => {
    const state = { server: { url: 'http://127.0.0.1:8123', pid: 1, storage: 'surrealkv:///home/me/pattern/server', logFile: '/x.log', version: '2.6.5' } };
    const summary = doneSummary({ ...options, startServer: 'surrealkv://server' }, state);
    expect(summary.lines).toContainEqual({ label: 'After reboot', value: 'gone (a background process): pattern-db server install' });
    expect(summary.nextCommands[0]).toBe('pattern-db server install   # start it at boot, not only now (asks first)');
    const elsewhere = doneSummary({ ...options, stateDir: '/home/me/pattern/state', startServer: 'surrealkv://server' }, state);
    expect(elsewhere.nextCommands[0]).toMatch(/^pattern-db server install --state-dir state /);
  });

  it('offers no service for a memory server (it would come back empty)', () => {
    const state = { server: { url: 'http://127.0.0.1:8123', pid: 1, storage: 'memory', logFile: '/x.log', version: '3.0.5' } };
    const summary = doneSummary({ ...options, startServer: 'memory' }, state);
    expect(summary.nextCommands.join('\n')).not.toContain('server install');
    expect(summary.lines.map((l) => l.label)).not.toContain('After reboot');
  });

  it('says a declined config change was declined, and never lists it as written', () => {
    const summary = doneSummary(options, { config: { configPath: '/home/me/pattern/pattern.toml', written: false, declined: true, url: 'ws://db:8000' } });
    expect(summary.lines.filter((l) => l.label.startsWith('Config'))).toEqual([{ label: 'Config', value: 'declined: Pattern still uses the store; /home/me/pattern/pattern.toml is unchanged' }]);
  });
});
