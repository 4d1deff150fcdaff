// Makes the managed server a systemd user service the user agreed to: the env file, the unit, then the switch-over.
// The background server and the service cannot both listen on its address, so the background one is stopped first,
// the service started, and /health and a sign-in awaited; when the service does not come up, it is disabled and the
// background server started again as it was, so the data is served either way.
import { PatternDbError } from '../core/errors.js';
import { writePrivateFile } from '../files/private-files.js';
import { SurrealHttp } from '../surreal/http.js';
import { writeServiceRecord } from '../surreal/server-service-record.js';
import { startManagedServer, stopManagedServer, type ManagedServerState } from '../surreal/server.js';
import { systemctlUser, systemdUserDir, writeUserUnits } from './schedule-install.js';
import { serverEnvFile } from './server-service.js';

export interface ServerInstall {
  stateDir: string;
  state: ManagedServerState;
  bin: string;
  unitName: string;
  unit: string;
  envFile: string;
  credentials: { username: string; password: string };
  env: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

export async function writeServerEnvFile(file: string, credentials: { username: string; password: string }): Promise<void> {
  try {
    await writePrivateFile(file, serverEnvFile(credentials));
  } catch (error) {
    if (error instanceof PatternDbError) throw error;
    throw new PatternDbError('E_NOT_WRITABLE', `Cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? error}).`, {
      fix: 'Make the state folder writable, or pass --state-dir DIR of the managed server.',
      cause: error,
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the server at `url` answers /health and lets `credentials` sign in, within `timeoutMs`. */
async function servesWith(url: string, credentials: { username: string; password: string }, timeoutMs: number): Promise<boolean> {
  const http = new SurrealHttp({ url, timeoutMs: 1_000 });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await http.health().then(() => true, () => false)) return http.signin(credentials).catch(() => false);
    await sleep(250);
  }
  return false;
}

export async function installServerService(install: ServerInstall): Promise<{ unitFile: string; lines: string[] }> {
  const { state, unitName, env } = install;
  const service = `${unitName}.service`;
  await writeServerEnvFile(install.envFile, install.credentials);
  const [unitFile] = await writeUserUnits([{ file: service, text: install.unit }], env, `Copy the unit shown above to ${systemdUserDir(env)} by hand, then run systemctl --user daemon-reload && systemctl --user enable --now ${service}.`);
  const byHand = `The unit is ${unitFile}; the background server still runs. Stop it (\`pattern-db server stop --state-dir ${install.stateDir}\`), then run \`systemctl --user daemon-reload && systemctl --user enable --now ${service}\`.`;
  await systemctlUser(['daemon-reload'], env, byHand);

  const stopped = await stopManagedServer(install.stateDir);
  const lines = [`Stopped the background server${stopped.pid ? ` (pid ${stopped.pid})` : ''}.`];
  const enabled = await systemctlUser(['enable', '--now', service], env, byHand).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!enabled && (await servesWith(state.url, install.credentials, install.readyTimeoutMs ?? 30_000))) {
    await writeServiceRecord(install.stateDir, { unit: service, unitFile: unitFile!, envFile: install.envFile, url: state.url, storage: state.storage, installedAt: new Date().toISOString() });
    return { unitFile: unitFile!, lines: [...lines, `Started ${service}: ${state.url} answers /health and ${install.credentials.username} signs in.`] };
  }
  // The service did not come up: put things back as they were, so Pattern keeps its server.
  await systemctlUser(['disable', '--now', service], env, '').catch(() => undefined);
  const restarted = await startManagedServer({
    bin: install.bin,
    storage: state.storage,
    bind: state.bind,
    username: install.credentials.username,
    password: install.credentials.password,
    stateDir: install.stateDir,
  }).then(
    (again) => `the background server was started again (pid ${again.pid})`,
    (error: unknown) => `starting the background server again failed too: ${(error as Error).message}`,
  );
  throw new PatternDbError('E_SERVER_START', `The service ${service} did not serve ${state.url}; it was disabled and ${restarted}.`, {
    ...(enabled ? { evidence: (enabled as PatternDbError).evidence ?? String((enabled as Error).message) } : {}),
    fix: `See why with: systemctl --user status ${service}; journalctl --user -u ${service}. The unit stays in ${unitFile} for a later \`systemctl --user enable --now ${service}\`.`,
  });
}
