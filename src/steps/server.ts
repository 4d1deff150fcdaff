// Starts the managed server the run imports into, or reuses the one an earlier run of this state dir started.
import { PatternDbError } from '../core/errors.js';
import { isMemoryStorage, MEMORY_STOP_NOTE } from '../core/memory-storage.js';
import { normaliseStorage, readServerState, startManagedServer } from '../surreal/server.js';
import { assertServerMajor, liveManagedServer } from './managed-server-reuse.js';
import { requirePreflight } from './earlier-steps.js';
import { requireProgram } from './programs.js';
import type { ServerResult } from './run-state.js';
import type { Step } from './step.js';

export const serverStep: Step<ServerResult> = {
  name: 'server',
  title: 'Start the SurrealDB server',
  rerunOnResume: true,
  async run(ctx) {
    const { options, report } = ctx;
    const pre = requirePreflight(ctx);
    if (!options.startServer) throw new PatternDbError('E_INTERNAL', 'The server step runs only with --start-server.');
    if (!options.password) {
      throw new PatternDbError('E_NEEDS_INPUT', 'The new server needs a root password.', {
        fix: 'Set SURREAL_PASS in the environment (it is never taken from the command line).',
      });
    }
    const major = pre.route?.target ?? 3;
    const live = await liveManagedServer(options);
    if (live) {
      assertServerMajor(options, live, major);
      report.diagnostic({ level: 'info', code: 'I_SERVER_REUSED', message: `Reusing the server this run started earlier (pid ${live.state.pid}, ${live.state.url}).` });
      const { url, pid, storage, logFile } = live.state;
      return { url, pid, storage, logFile, version: live.version };
    }
    const recorded = await readServerState(options.stateDir);
    if (recorded) {
      report.diagnostic({
        level: 'info',
        code: 'I_SERVER_GONE',
        message: `The server this state folder recorded (pid ${recorded.pid}, ${recorded.storage}) is gone: starting ${recorded.storage === 'memory' ? 'a new one (a memory server loses its data when it stops)' : 'it again'} on ${normaliseStorage(options.startServer, options.cwd)}.`,
      });
    }
    const program = requireProgram(pre, major, `Starting a SurrealDB ${major} server`);
    const state = await startManagedServer({
      bin: program.path,
      storage: options.startServer,
      bind: options.bind,
      username: options.username,
      password: options.password,
      stateDir: options.stateDir,
      ...(pre.storePath ? { store: pre.storePath } : {}),
      signal: ctx.signal,
      onLine: (line) => report.log(line, 'stdout'),
    });
    report.diagnostic({
      level: 'info',
      code: 'I_SERVER_STARTED',
      message: `Server ready at ${state.url} (pid ${state.pid}, ${state.storage}); log: ${state.logFile}`,
      fix: isMemoryStorage(state.storage)
        ? `Stop it with: pattern-db server stop --state-dir ${options.stateDir} (${MEMORY_STOP_NOTE}; a reboot or a logout loses it too)`
        : `It runs in the background: a reboot or logout stops it and nothing starts it again; \`pattern-db server install --state-dir ${options.stateDir}\` makes it a service (asks first). Stop it with: pattern-db server stop --state-dir ${options.stateDir}`,
    });
    return { url: state.url, pid: state.pid, storage: state.storage, logFile: state.logFile, version: state.version };
  },
};
