// The server: address and TLS, reachable, version, latency, credentials and their level, ns/db, default and owner users.
import { isMemoryStorage } from '../../core/memory-storage.js';
import { classifyLatency } from '../../core/doctor-model.js';
import { meaningForPattern, versionNotes } from '../../core/server-version.js';
import { hideSecrets } from '../../core/definition-secrets.js';
import { serverStartCommand } from '../../core/server-start-command.js';
import { median } from '../../core/stats.js';
import { isLoopback } from '../../core/loopback-host.js';
import { PatternDbError } from '../../core/errors.js';
import { httpBase } from '../../surreal/http.js';
import { listDatabases, listNamespaces, listRootUsers } from '../../surreal/server-catalog.js';
import { checkPid } from '../../surreal/process-identity.js';
import { readServiceRecord, serviceRecordFile } from '../../surreal/server-service-record.js';
import { readServerState } from '../../surreal/server.js';
import { fail, fromError, ok, skip, warn, type DoctorCheck } from './check.js';
import type { CheckOutcome } from '../../core/doctor-model.js';
import type { DoctorFindings, ServerFindings } from './findings.js';
import { serverOf } from './server-target.js';

const NO_SERVER = 'no server named by the config or --target';

/** Why there is no server to check: none named, or a URL that is not one (the address check says why). */
function noServer(findings: DoctorFindings): string {
  const named = findings.input.target ?? (findings.config?.database.type === 'remote' ? findings.config.database.url : undefined);
  return named ? 'the server URL is not valid' : NO_SERVER;
}

/** The server when earlier checks got it that far (reachable, or signed in too); else the skip that says why not. */
function readyServer(findings: DoctorFindings, needs: 'reachable' | 'signedIn'): ServerFindings | CheckOutcome {
  const server = findings.server;
  if (!server) return skip(noServer(findings));
  if (!server.reachable) return skip('the server is not reachable');
  if (needs === 'signedIn' && !server.signedIn) return skip('not signed in');
  return server;
}

const address: DoctorCheck = {
  id: 'server.address',
  group: 'server',
  title: 'Server address and TLS',
  async run(findings) {
    const server = await serverOf(findings);
    if (!server) return skip(NO_SERVER);
    const base = httpBase(server.url);
    const { protocol, hostname } = new URL(server.url);
    const evidence = [`${server.from}: ${server.url} (checked over ${base})`];
    const secure = protocol === 'https:' || protocol === 'wss:';
    if (!secure && !isLoopback(hostname)) {
      return warn('W_NO_TLS', `${protocol}// to ${hostname} is not encrypted: the password and every record cross the network in clear text.`, {
        evidence,
        fix: 'Serve SurrealDB over TLS (surreal start --web-crt/--web-key, or a TLS proxy) and use wss:// in the config.',
      });
    }
    return ok('D_ADDRESS', secure ? `${server.url} (TLS)` : `${server.url} (this machine: no TLS needed)`, { evidence });
  },
};

async function managedServerHint(findings: DoctorFindings): Promise<string[]> {
  const state = await readServerState(findings.input.stateDir);
  return state ? [`a managed server was started on ${state.url} (${findings.input.stateDir}/server.json)`] : [];
}

const health: DoctorCheck = {
  id: 'server.health',
  group: 'server',
  title: 'Server reachable',
  async run(findings) {
    const server = await serverOf(findings).catch(() => undefined);
    if (!server) return skip(noServer(findings));
    const { http } = server;
    const started = performance.now();
    try {
      await http.health();
    } catch (error) {
      if (!(error instanceof PatternDbError)) throw error;
      const outcome = fromError(error, [], 'fail');
      if (error.code === 'E_CONN_REFUSED') {
        outcome.fix = 'Nothing accepts connections there: start the server (`pattern-db server start`), check the host and port in the URL (SurrealDB listens on 8000 unless told otherwise), or a firewall between here and the server.';
        outcome.evidence = [...(outcome.evidence ?? []), ...(await managedServerHint(findings))];
      }
      return outcome;
    }
    const ms = performance.now() - started;
    server.version = await http.version();
    server.reachable = true;
    return ok('D_HEALTH', `/health answered in ${ms.toFixed(1)} ms; SurrealDB ${server.version}`, {
      evidence: [`GET ${http.base}/health → 200`, `GET ${http.base}/version → surrealdb-${server.version}`],
    });
  },
};

const version: DoctorCheck = {
  id: 'server.version',
  group: 'server',
  title: 'Server version',
  async run(findings) {
    const server = readyServer(findings, 'reachable');
    if ('status' in server) return server;
    // Reachable means /version answered too.
    const version = server.version ?? '';
    const major = Number(version.split('.')[0]);
    const cli = major === 2 ? findings.surreal2 : findings.surreal;
    const other = major === 2 ? findings.surreal : findings.surreal2;
    if (!cli && other) {
      return warn('W_SURREAL_MAJOR', `The server runs SurrealDB ${version} but surreal here is ${other.version}: the CLI only talks to servers of its own major version.`, {
        evidence: [`GET ${server.http.base}/version → surrealdb-${version}`, `${other.path} → ${other.version}`, `for Pattern: ${meaningForPattern(version)}`],
        fix: `Use a surreal ${major}.x (set ${major === 2 ? 'SURREAL2_BIN' : 'SURREAL_BIN'}); imports over HTTP work without it.`,
      });
    }
    const evidence = [`GET ${server.http.base}/version → surrealdb-${version}`, ...versionNotes(version)];
    return ok('D_VERSION', `SurrealDB ${version}. ${meaningForPattern(version)}`, { evidence });
  },
};

const LATENCY_SAMPLES = 5;

const latency: DoctorCheck = {
  id: 'server.latency',
  group: 'server',
  title: 'Latency',
  async run(findings) {
    const server = readyServer(findings, 'reachable');
    if ('status' in server) return server;
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const started = performance.now();
      await server.http.health();
      samples.push(performance.now() - started);
    }
    const ms = median(samples);
    const { place, status } = classifyLatency(ms, isLoopback(new URL(server.http.base).hostname));
    const evidence = [`${LATENCY_SAMPLES} × GET /health: ${samples.map((s) => s.toFixed(1)).join(', ')} ms`, 'guide: ~1-5 ms on a local network, ~10-50 ms cross-region'];
    const message = `${ms.toFixed(1)} ms median (${place})`;
    if (status === 'warn') {
      return warn('W_LATENCY', `${message}: every agent turn makes several queries, so this adds up.`, {
        evidence,
        fix: 'Run SurrealDB near Pattern (same machine or network), or expect slower agents.',
      });
    }
    return ok('D_LATENCY', message, { evidence });
  },
};

const credentials: DoctorCheck = {
  id: 'server.auth',
  group: 'server',
  title: 'Credentials accepted',
  async run(findings) {
    const server = readyServer(findings, 'reachable');
    if ('status' in server) return server;
    const { username, password, http, namespace, database } = server;
    if (!username || !password) {
      return fail('E_AUTH', 'No username and password to sign in with, so Pattern would connect unauthenticated.', {
        fix: 'Set SURREAL_USER and SURREAL_PASS (environment or .env), or [database].username/password in the config.',
      });
    }
    const creds = { username: username.value, password: password.value };
    const evidence = [`POST ${http.base}/signin as ${creds.username} (username from ${username.from}, password from ${password.from})`];
    if (await http.signin(creds)) {
      server.signedIn = true;
      return ok('D_AUTH', `${creds.username} signs in at root level, as Pattern does.`, { evidence: [...evidence, '→ 200 root level'] });
    }
    evidence.push('→ 401 at root level');
    const serverWords = await http.sqlResults('RETURN 1;').then(() => undefined, (error: unknown) => (error as PatternDbError).evidence);
    if (serverWords) evidence.push(serverWords);
    for (const [level, scope] of [['database', { namespace, database }], ['namespace', { namespace }]] as const) {
      if (await http.signin(creds, scope)) {
        evidence.push(`POST ${http.base}/signin with ${level === 'database' ? `ns=${namespace}, db=${database}` : `ns=${namespace}`} → 200`);
        return fail('E_AUTH_LEVEL', `${creds.username} is a ${level} user: Pattern signs in at root level only, so it cannot use this user.`, {
          evidence,
          fix: `Give Pattern a root-level user: DEFINE USER pattern_app ON ROOT PASSWORD '…' ROLES EDITOR; (or \`pattern-db user create\`), then set SURREAL_USER/SURREAL_PASS.`,
        });
      }
    }
    return fail('E_AUTH', `The server refused ${creds.username}: the password is wrong or there is no such root user.`, {
      evidence,
      fix:
        password.from === 'prompt'
          ? "Check the user name and password typed against the server's root users; Pattern signs in at root level only."
          : `Check SURREAL_USER/SURREAL_PASS (from ${username.from}/${password.from}) against the server's root users; Pattern signs in at root level only.`,
    });
  },
};

const namespaceAndDatabase: DoctorCheck = {
  id: 'server.database',
  group: 'server',
  title: 'Namespace and database exist',
  async run(findings) {
    const server = readyServer(findings, 'signedIn');
    if ('status' in server) return server;
    const { http, namespace, database } = server;
    const namespaces = await listNamespaces(http);
    const evidence = [`INFO FOR ROOT → namespaces: ${namespaces.join(', ') || 'none'}`];
    const missing = (what: string, found: string[]) =>
      fail('E_NAMESPACE_MISSING', `The ${what} does not exist on the server.`, {
        evidence,
        fix:
          `Check [database] namespace/database in the config (found: ${found.join(', ') || 'none'}). ` +
          'Pattern would create it empty on first start and your data would seem gone. For a new install, create it: ' +
          `DEFINE NAMESPACE IF NOT EXISTS ${namespace}; USE NS ${namespace}; DEFINE DATABASE IF NOT EXISTS ${database};`,
      });
    if (!namespaces.includes(namespace)) return missing(`namespace "${namespace}"`, namespaces);
    const databases = await listDatabases(http, namespace);
    evidence.push(`INFO FOR NS ${namespace} → databases: ${databases.join(', ') || 'none'}`);
    if (!databases.includes(database)) return missing(`database "${namespace}/${database}"`, databases.map((d) => `${namespace}/${d}`));
    server.databaseExists = true;
    return ok('D_DATABASE', `${namespace}/${database}`, { evidence });
  },
};

const defaultCredentials: DoctorCheck = {
  id: 'server.defaults',
  group: 'server',
  title: 'Default credentials',
  async run(findings) {
    const server = readyServer(findings, 'reachable');
    if ('status' in server) return server;
    const accepted = await server.http.signin({ username: 'root', password: 'root' });
    const evidence = [`POST ${server.http.base}/signin as root/root → ${accepted ? '200' : '401'}`];
    if (accepted) {
      return warn('W_DEFAULT_CREDENTIALS', 'The server accepts root/root: anyone who can reach it can do anything.', {
        evidence,
        fix: "Give root a strong password: DEFINE USER OVERWRITE root ON ROOT PASSWORD '<strong password>' ROLES OWNER; and update SURREAL_PASS where it is used.",
      });
    }
    return ok('D_NO_DEFAULTS', 'root/root is refused.', { evidence });
  },
};

const role: DoctorCheck = {
  id: 'server.role',
  group: 'server',
  title: "Pattern's user role",
  async run(findings) {
    const server = readyServer(findings, 'signedIn');
    if ('status' in server) return server;
    const name = server.username?.value ?? '';
    const definition = (await listRootUsers(server.http))[name];
    if (!definition) return skip(`${name} is not a defined root user (INFO FOR ROOT does not list it)`);
    const roles = (/\bROLES\s+([A-Z, ]+?)(?:\s+DURATION|\s+COMMENT|$)/i.exec(definition)?.[1] ?? '').split(',').map((r) => r.trim().toUpperCase()).filter(Boolean);
    const evidence = [`INFO FOR ROOT → ${hideSecrets(definition)}`];
    if (roles.includes('OWNER')) {
      return warn('W_APP_IS_OWNER', `Pattern signs in as ${name}, a root OWNER: it may do anything, including creating users and removing namespaces.`, {
        evidence,
        fix:
          'Give Pattern its own root-level user with the EDITOR role (`pattern-db user create`) and keep the owner for administration. ' +
          'Trade-off: an editor still reads and writes every namespace (Pattern signs in at root level only, so a narrower namespace user cannot work), but it cannot manage users or access methods.',
      });
    }
    if (!roles.includes('EDITOR')) {
      return fail('E_PERMISSION', `${name} has the role ${roles.join(', ') || 'none'}: Pattern writes records and defines its schema, which needs EDITOR.`, {
        evidence,
        fix: `DEFINE USER OVERWRITE ${name} ON ROOT PASSWORD '…' ROLES EDITOR; (as an owner), or use another user.`,
      });
    }
    return ok('D_ROLE', `${name} is a root EDITOR: enough for Pattern, unable to manage users.`, { evidence });
  },
};

const managedService: DoctorCheck = {
  id: 'server.service',
  group: 'server',
  title: 'Managed server after a reboot',
  async run(findings) {
    const stateDir = findings.input.stateDir;
    const [state, record] = await Promise.all([readServerState(stateDir), readServiceRecord(stateDir)]);
    if (record && (!state || state.url === record.url)) {
      return ok('D_SERVICE', `${record.unit} starts the server on ${record.url} (pattern-db server install).`, {
        evidence: [`${serviceRecordFile(stateDir)}: ${record.unitFile}, credentials in ${record.envFile}`],
      });
    }
    if (!state) return skip(`no managed server in ${stateDir}`);
    if (isMemoryStorage(state.storage)) return skip(`the managed server on ${state.url} keeps its data in memory: there is nothing to start again`);
    const evidence = [`${stateDir}/server.json: pid ${state.pid}, ${state.url}, ${state.storage}`];
    if ((await checkPid(state.pid, state.identity)).kind === 'same') {
      return warn('W_SERVER_NOT_INSTALLED', `The managed server on ${state.url} runs in the background only: a reboot or logout stops it, and Pattern then cannot connect.`, {
        evidence,
        fix: `pattern-db server install --state-dir ${stateDir} (a systemd user service that starts it again; asks first).`,
      });
    }
    return warn('W_SERVER_NOT_INSTALLED', `The managed server on ${state.url} is not running (stopped by a reboot?), and no service starts it again.`, {
      evidence,
      fix: `Start it: ${serverStartCommand(state, stateDir)}; then pattern-db server install --state-dir ${stateDir}.`,
    });
  },
};

export const SERVER_CHECKS: DoctorCheck[] = [address, health, version, latency, credentials, namespaceAndDatabase, defaultCredentials, role, managedService];
