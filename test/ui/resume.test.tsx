import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { phase, status } from './fixtures.js';
import { renderWizardApp } from './harness.js';
import { KEY } from './render.js';

afterEach(cleanup);

it('offers to continue an earlier run or start over', async () => {
  const app = await renderWizardApp({
    inputs: [
      phase('resume'),
      status('preflight', 'skipped'),
      status('export', 'skipped'),
      {
        type: 'prompt',
        prompt: {
          kind: 'select',
          id: 'resume',
          question: 'The earlier run stopped at import.',
          choices: [
            { label: 'Continue from import', value: 'continue' },
            { label: 'Start over', value: 'restart' },
          ],
        },
      },
    ],
  });
  await app.waitForText('The earlier run stopped at import.');
  expect(app.frame()).toContain('Finished: preflight, export');
  expect(app.frame()).toContain('Continue from import');
  await app.press(KEY.down);
  await app.press(KEY.enter);
  await app.waitFor(() => expect(app.actions.answer).toHaveBeenCalledWith('resume', 'restart'));
});
