// What a resume takes from the journal of the run it continues: the server, the names, and the user it signed in as.
import { expect, it } from 'vitest';
import { newJournal, resumedOptions } from '../../src/core/journal.js';
import { DEFAULTS, type RunOptions } from '../../src/core/options.js';

const options: RunOptions = {
  cwd: '/p',
  bind: DEFAULTS.bind,
  namespace: 'pattern',
  database: 'pattern',
  username: 'root',
  usernameFrom: 'default',
  exportFile: '/p/pattern_export.surql',
  driver: 'auto',
  stateDir: '/p/.pattern-db',
  yes: false,
  dryRun: false,
  resume: false,
  writeEnv: false,
};

it("goes on as the user the run signed in as (a new server's root user), unless it is given one", () => {
  const journal = newJournal({ startServer: 'surrealkv:///p/kv', bind: '127.0.0.1:8607' }, ['preflight', 'server'], new Date(), 'admin');
  expect(resumedOptions(options, journal)).toMatchObject({ resume: true, startServer: 'surrealkv:///p/kv', bind: '127.0.0.1:8607', username: 'admin', usernameFrom: 'journal' });
  expect(resumedOptions({ ...options, username: 'ops', usernameFrom: 'environment' }, journal)).toMatchObject({ username: 'ops', usernameFrom: 'environment' });
  expect(resumedOptions(options, newJournal({}, []))).toMatchObject({ username: 'root' });
});
