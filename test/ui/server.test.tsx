import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { event, phase, status } from './fixtures.js';
import { renderWizardApp } from './harness.js';

afterEach(cleanup);

it('streams the server log while it starts, then says where it is ready', async () => {
  const app = await renderWizardApp({ inputs: [phase('server'), status('server', 'running')] });
  await app.waitForText('Starting SurrealDB…');
  await app.feed(event({ type: 'log', step: 'server', stream: 'stdout', line: 'INFO surrealdb::net: Started web server on 127.0.0.1:8000' }));
  await app.waitForText('Started web server on 127.0.0.1:8000');
  await app.feed(
    { type: 'result', step: 'server', result: { url: 'http://127.0.0.1:8000', pid: 4242, storage: 'surrealkv:///srv/pattern', logFile: '/srv/server.log', version: '3.0.5' } },
    status('server', 'done'),
  );
  await app.waitForText('Server ready at http://127.0.0.1:8000 (SurrealDB 3.0.5, pid 4242)');
  expect(app.frame()).toContain('Data  surrealkv:///srv/pattern');
  expect(app.frame()).toContain('Log   /srv/server.log');
  expect(app.frame()).toContain('Started web server');
  expect(app.frame()).toContain('✔ server');
});
