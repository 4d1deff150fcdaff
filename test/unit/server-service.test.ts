import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { envFileValue, serverEnvFile, serverStartLine, serverUnit, serverUnitName, type ServerServiceSpec } from '../../src/ops/server-service.js';

const spec: ServerServiceSpec = {
  bin: '/opt/surreal 2/surreal',
  args: ['start', '--no-banner', '--log', 'info', '--bind', '127.0.0.1:8123', 'surrealkv:///home/me/pattern db/data'],
  settings: { SURREAL_SKIP_IMPORT_SUCCESS_RESULTS: 'true' },
  envFile: '/home/me/100%/.pattern-db/server.env',
  bind: '127.0.0.1:8123',
  storage: 'surrealkv:///home/me/pattern db/data',
};

describe('the managed server as a service', () => {
  it('names one unit per port', () => {
    expect(serverUnitName('127.0.0.1:8123')).toBe('pattern-db-server-8123');
    expect(serverUnitName('[::1]:8000')).toBe('pattern-db-server-8000');
  });

  it('starts the same surreal with the same flags and reads the credentials from the env file only', () => {
    const unit = serverUnit(spec);
    expect(unit).toContain('ExecStart="/opt/surreal 2/surreal" start --no-banner --log info --bind 127.0.0.1:8123 "surrealkv:///home/me/pattern db/data"\n');
    expect(unit).toContain('EnvironmentFile=/home/me/100%%/.pattern-db/server.env\n');
    expect(unit).toContain('Environment=SURREAL_SKIP_IMPORT_SUCCESS_RESULTS=true\n');
    expect(unit).not.toMatch(/SURREAL_PASS=|SURREAL_USER=/);
  });

  it('refuses a newline that would add a line of its own to the unit', () => {
    expect(() => serverUnit({ ...spec, envFile: '/x\nExecStartPre=/bin/evil' })).toThrow(/control character/);
  });

  it('writes values a shell reads back exactly; a line break is refused without showing the password', async () => {
    const password = `a "b" $HOME \`id\` 'c' \\ d`;
    const text = serverEnvFile({ username: 'root', password });
    const read = await execa('sh', ['-c', `eval "$0" && printf %s "$SURREAL_PASS"`, text], { env: {}, extendEnv: false });
    expect(read.stdout).toBe(password);
    expect(envFileValue('x', 'plain-Value_1')).toBe('plain-Value_1');
    expect(() => envFileValue('The password', 'secret\nline')).toThrow(/^The password holds a control character/);
    try {
      envFileValue('The password', 'secret\nline');
    } catch (error) {
      expect(String(error)).not.toContain('secret');
    }
  });

  it('gives a line for a container that reads the env file and runs the same command', () => {
    expect(serverStartLine(spec)).toBe(
      "set -a && . /home/me/100%/.pattern-db/server.env && set +a && exec env SURREAL_SKIP_IMPORT_SUCCESS_RESULTS=true '/opt/surreal 2/surreal' start --no-banner --log info --bind 127.0.0.1:8123 'surrealkv:///home/me/pattern db/data'",
    );
  });
});
