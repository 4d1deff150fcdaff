import { describe, expect, it } from 'vitest';
import { doneSummary } from '../../src/core/done-summary.js';
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

  it('says a declined config change was declined, and never lists it as written', () => {
    const summary = doneSummary(options, { config: { configPath: '/home/me/pattern/pattern.toml', written: false, declined: true, url: 'ws://db:8000' } });
    expect(summary.lines).toEqual([{ label: 'Config', value: 'declined: Pattern still uses the store; /home/me/pattern/pattern.toml is unchanged' }]);
  });
});
