import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { PromptSpec } from '../../src/ui/contract.js';
import { event, phase, status } from './fixtures.js';
import { renderWizardApp } from './harness.js';
import { KEY } from './render.js';

afterEach(cleanup);

async function ask(prompt: PromptSpec) {
  const app = await renderWizardApp({
    inputs: [
      phase('target'),
      status('preflight', 'running'),
      event({ type: 'log', step: 'preflight', stream: 'stdout', line: 'a log line' }),
      { type: 'prompt', prompt },
    ],
  });
  await app.waitForText(prompt.question);
  return app;
}

describe('prompts', () => {
  it('select: arrow down and enter answers the second choice', async () => {
    const app = await ask({
      kind: 'select',
      id: 'target.kind',
      question: 'Which server?',
      choices: [
        { label: 'Start a new server', value: 'new' },
        { label: 'Use a running server', value: 'existing', hint: 'you give its URL' },
      ],
    });
    expect(app.frame()).toContain('Use a running server  (you give its URL)');
    await app.press(KEY.down);
    await app.press(KEY.enter);
    // Select reports its choice from an effect, a moment after the key.
    await app.waitFor(() => expect(app.actions.answer).toHaveBeenCalledWith('target.kind', 'existing'));
    await app.waitFor(() => expect(app.frame()).not.toContain('Which server?'));
  });

  it('text: enter takes the default', async () => {
    const app = await ask({ kind: 'text', id: 'target.namespace', question: 'Namespace?', defaultValue: 'pattern' });
    expect(app.frame()).toContain('› pattern  (Enter keeps it)');
    await app.press(KEY.enter);
    expect(app.actions.answer).toHaveBeenCalledWith('target.namespace', 'pattern');
  });

  it('text: letters are typed, not taken as keys (q does not cancel)', async () => {
    const app = await ask({ kind: 'text', id: 'target.url', question: 'Server URL?' });
    await app.type('http://q.example:8000');
    await app.press(KEY.enter);
    expect(app.actions.cancel).not.toHaveBeenCalled();
    expect(app.actions.answer).toHaveBeenCalledWith('target.url', 'http://q.example:8000');
  });

  it('secret: shown with "store it now" until enter, then gone from the screen', async () => {
    const secret = 'Gx7vQ2-secret-shown-once-4Lm9Zt8';
    const app = await ask({ kind: 'secret', id: 'target.password.shown', question: 'Store it now: the generated password', secret, detail: 'Shown only this once.' });
    expect(app.frame()).toContain(`    ${secret}`);
    expect(app.frame()).toContain('Shown only this once.');
    expect(app.frame()).toContain('enter stored it, go on');
    await app.press(KEY.enter);
    expect(app.actions.answer).toHaveBeenCalledWith('target.password.shown', true);
    await app.waitFor(() => expect(app.frame()).not.toContain(secret));
  });

  it('a question that warns shows its warning under the choices', async () => {
    const app = await ask({
      kind: 'select',
      id: 'target.version',
      question: 'Which SurrealDB?',
      choices: [{ label: 'SurrealDB 2: stay', value: '2' }, { label: 'SurrealDB 3: upgrade', value: '3' }],
      warning: { code: 'W_PATTERN_SDK', message: 'SurrealDB 3: an old Pattern cannot connect.' },
    });
    expect(app.frame()).toMatch(/SurrealDB 3: upgrade\n⚠ SurrealDB 3: an old Pattern cannot connect\./);
  });

  it('password: typed characters are masked and enter answers them', async () => {
    const app = await ask({ kind: 'password', id: 'target.password', question: 'Password for the server?' });
    await app.type('s3cret');
    await app.waitForText('› ******');
    expect(app.frame()).not.toContain('s3cret');
    await app.press(KEY.enter);
    expect(app.actions.answer).toHaveBeenCalledWith('target.password', 's3cret');
  });

  it('password: no frame ever shows a typed character, after backspace either', async () => {
    const app = await ask({ kind: 'password', id: 'target.password', question: 'Password for the server?' });
    for (const key of [...'Kx9', KEY.backspace, ...'Vw2', KEY.backspace, KEY.backspace, ...'q7']) {
      await app.press(key);
      const input = app.frame().split('\n').find((line) => line.trimStart().startsWith('›'));
      expect(input?.trim()).toMatch(/^›\s*\**$/);
    }
    await app.waitForText('› ****');
    await app.press(KEY.enter);
    expect(app.actions.answer).toHaveBeenCalledWith('target.password', 'KxVq7');
  });

  it('password: typing l or ? goes into the password, not to the log or help toggles', async () => {
    const app = await ask({ kind: 'password', id: 'target.password', question: 'Password for the server?' });
    expect(app.frame()).not.toMatch(/\bl output\b/);
    await app.type('l?l');
    expect(app.frame()).not.toContain('output of preflight');
    expect(app.frame()).not.toContain('a log line');
    expect(app.frame()).not.toContain('Keys');
    await app.waitForText('› ***');
    await app.press(KEY.enter);
    expect(app.actions.answer).toHaveBeenCalledWith('target.password', 'l?l');
  });

  it('password: tab takes the generated password', async () => {
    const app = await ask({ kind: 'password', id: 'target.password', question: 'Password for the server?', generated: 'Gen-3rated-Passw0rd-1234' });
    expect(app.frame()).toContain('tab takes a generated 24-character password');
    expect(app.frame()).toContain('tab use generated password');
    expect(app.frame()).not.toContain('Gen-3rated');
    await app.press(KEY.tab);
    expect(app.actions.answer).toHaveBeenCalledWith('target.password', 'Gen-3rated-Passw0rd-1234');
  });

  it('warns when root is typed as the user name or the password', async () => {
    const user = await ask({ kind: 'text', id: 'target.username', question: 'User name?', defaultValue: 'root', warnIfRoot: true });
    expect(user.frame()).toContain('root is the first user name anyone tries');
    await user.type('admin');
    await user.waitFor(() => expect(user.frame()).not.toContain('root is the first'));
    cleanup();
    const password = await ask({ kind: 'password', id: 'target.password', question: 'Password?', warnIfRoot: true });
    await password.type('root');
    await password.waitForText('root is the first password anyone tries');
  });

  it("does not warn of root as an existing server's user or password: they are what that server has", async () => {
    const user = await ask({ kind: 'text', id: 'target.username', question: 'User name?', defaultValue: 'root' });
    expect(user.frame()).not.toContain('root is the first');
    cleanup();
    const password = await ask({ kind: 'password', id: 'target.password', question: 'Password?' });
    await password.type('root');
    await password.waitForText('› ****');
    expect(password.frame()).not.toContain('root is the first');
  });

  it('password: Enter on nothing is answered (the wizard says why it asks again), and the reason shows under the input', async () => {
    const app = await ask({ kind: 'password', id: 'target.password', question: 'Password?' });
    await app.press(KEY.enter);
    expect(app.actions.answer).toHaveBeenCalledWith('target.password', '');
    cleanup();
    const again = await ask({ kind: 'password', id: 'target.password', question: 'Password?', problem: 'A password is needed.' });
    expect(again.frame()).toMatch(/› *\n✘ A password is needed\./);
  });

  it('text: keys that arrive in one chunk all count (backspaces, a paste ending in Enter)', async () => {
    const app = await ask({ kind: 'text', id: 'target.bind', question: 'Address to listen on' });
    await app.press('abcdef');
    await app.press('\x7f\x7f\x7f');
    await app.waitForText('› abc');
    expect(app.frame()).not.toContain('abcdef');
    await app.press('\x15127.0.0.1:80\x7f\x7f8001\r');
    await app.waitFor(() => expect(app.actions.answer).toHaveBeenCalledWith('target.bind', '127.0.0.1:8001'));
  });

  it('password: a burst of backspaces erases as many characters', async () => {
    const app = await ask({ kind: 'password', id: 'target.password', question: 'Password for the server?' });
    await app.press('Kx9Vw2');
    await app.press('\x7f\x7f');
    await app.waitForText(/› \*{4}(?!\*)/);
    await app.press(KEY.enter);
    expect(app.actions.answer).toHaveBeenCalledWith('target.password', 'Kx9V');
  });

  it('text asked again: the reason shows under the question, what was typed is kept to correct', async () => {
    const app = await ask({ kind: 'text', id: 'target.bind', question: 'Address to listen on', defaultValue: '127.0.0.1:8000', value: '127.0.0.1:', problem: '"127.0.0.1:" has no port. Write HOST:PORT, e.g. 127.0.0.1:8000.' });
    expect(app.frame()).toMatch(/› 127\.0\.0\.1:/);
    expect(app.frame()).toContain('✘ "127.0.0.1:" has no port.');
    await app.press('8001');
    await app.press(KEY.enter);
    expect(app.actions.answer).toHaveBeenCalledWith('target.bind', '127.0.0.1:8001');
  });

  it('confirm: y answers yes, n answers no, enter takes the default', async () => {
    const yes = await ask({ kind: 'confirm', id: 'start', question: 'Start?', defaultYes: true });
    expect(yes.frame()).toContain('Start? Y/n');
    await yes.press('y');
    expect(yes.actions.answer).toHaveBeenCalledWith('start', true);
    cleanup();
    const no = await ask({ kind: 'confirm', id: 'start', question: 'Start?', defaultYes: true });
    await no.press('n');
    expect(no.actions.answer).toHaveBeenCalledWith('start', false);
    cleanup();
    const enter = await ask({ kind: 'confirm', id: 'config.write', question: 'Write?' });
    expect(enter.frame()).toContain('Write? y/N');
    await enter.press(KEY.enter);
    expect(enter.actions.answer).toHaveBeenCalledWith('config.write', false);
  });

  it('confirm: a burst counts from its first y, n or Enter (tmux sends "y" and Enter as one string)', async () => {
    const yes = await ask({ kind: 'confirm', id: 'start', question: 'Start?' });
    await yes.press('y\r');
    expect(yes.actions.answer).toHaveBeenCalledWith('start', true);
    expect(yes.actions.answer).toHaveBeenCalledTimes(1);
    cleanup();
    const no = await ask({ kind: 'confirm', id: 'start', question: 'Start?', defaultYes: true });
    await no.press('xn');
    expect(no.actions.answer).toHaveBeenCalledWith('start', false);
    cleanup();
    const enter = await ask({ kind: 'confirm', id: 'start', question: 'Start?', defaultYes: true });
    await enter.press('x\r');
    expect(enter.actions.answer).toHaveBeenCalledWith('start', true);
  });

  it('answers a prompt once, even when the key is pressed twice', async () => {
    const app = await ask({ kind: 'confirm', id: 'start', question: 'Start?' });
    app.stdin.write('y');
    app.stdin.write('y');
    await app.waitFor(() => expect(app.actions.answer).toHaveBeenCalled());
    expect(app.actions.answer).toHaveBeenCalledTimes(1);
  });
});
