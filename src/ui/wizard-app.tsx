// The wizard's shell: bus → reducer → panels; keys → actions. The only place that calls exit().
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useCallback, useRef } from 'react';
import type { Answer, WizardActions, WizardBus } from './contract.js';
import { DiagnosticsArea } from './diagnostics-area.js';
import { KeyLegend } from './key-legend.js';
import { availableKeys, commandForKey, keyNames, scrolledOffset, type KeyCommand } from './keys.js';
import { layoutFor } from './layout.js';
import { LogPanel } from './log-panel.js';
import { PhasePanel } from './phase-panel.js';
import { PromptPanel } from './prompt-panel.js';
import { SCROLL_KEYS, scrollable, unreadDiffRows } from './scroll-content.js';
import { Line } from './rows.js';
import { StepList } from './step-list.js';
import { TONE } from './tone.js';
import { currentStep, headerTitle, promptShown, promptShowsDetail, promptWarning, shownDiagnostics, shownSteps } from './selectors.js';
import { useNewestReducer } from './use-newest-reducer.js';
import { useTerminalSize } from './use-terminal-size.js';
import { useWizardBus, type Stamped } from './use-wizard-bus.js';
import { initialWizardState, reduceWizard, type UiAction, type WizardState } from './wizard-state.js';

export interface WizardAppProps {
  bus: WizardBus;
  actions: WizardActions;
  columns?: number;
  rows?: number;
  /** For rate and time left; tests pass a fake one. */
  clock?: () => number;
}

const reduceBatch = (state: WizardState, batch: Stamped[]) => batch.reduce((s, { input, at }) => reduceWizard(s, input, at), state);

export function WizardApp({ bus, actions, columns, rows, clock = Date.now }: WizardAppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const { state, act, newest } = useNewestReducer(reduceBatch, () => initialWizardState(columns ?? stdout.columns ?? 80, rows ?? stdout.rows ?? 24));
  const clockRef = useRef(clock);
  clockRef.current = clock;
  const ui = useCallback((action: UiAction) => act([{ input: action, at: clockRef.current() }]), [act]);
  const resize = useCallback((c: number, r: number) => ui({ type: 'resize', columns: c, rows: r }), [ui]);
  useWizardBus(bus, act, clock);
  useTerminalSize(resize, columns, rows);

  // Each prompt is answered once; a yes to the config waits until the whole diff has been on screen.
  const answeredSeq = useRef(0);
  const answer = (seq: number, id: string, value: Answer) => {
    if (seq <= answeredSeq.current) return;
    if (value === true && unreadDiffRows(newest()) > 0) return ui({ type: 'nudgeReading' });
    answeredSeq.current = seq;
    ui({ type: 'promptAnswered', id });
    actions.answer(id, value);
  };

  const run = (command: KeyCommand, name: string) => {
    const current = newest();
    switch (command) {
      case 'toggleLogs':
      case 'toggleHelp':
      case 'toggleDiagnosis':
      case 'toggleVerify':
        return ui({ type: command });
      case 'scrollVerify':
        return ui({ type: 'scrollVerify', offset: scrolledOffset(current, name) });
      case 'cancel':
        ui({ type: 'requested', request: 'cancel' });
        return actions.cancel();
      case 'retry':
        ui({ type: 'requested', request: 'retry' });
        return actions.retry();
      case 'quit':
        ui({ type: 'requested', request: 'quit' });
        actions.quit();
        return exit();
      case 'useGenerated': {
        const prompt = current.prompt;
        if (prompt?.spec.kind === 'password' && prompt.spec.generated) answer(prompt.seq, prompt.spec.id, prompt.spec.generated);
        return;
      }
      case 'acknowledge': {
        const prompt = current.prompt;
        if (prompt?.spec.kind === 'secret') answer(prompt.seq, prompt.spec.id, true);
        return;
      }
      case 'scroll': {
        const content = scrollable(current);
        const move = SCROLL_KEYS[name];
        if (content && move) ui({ type: 'scroll', move, total: content.rows.length, rows: content.viewRows });
        return;
      }
    }
  };

  useInput((input, key) => {
    for (const name of keyNames(input, key)) {
      const command = commandForKey(newest(), name);
      if (command) run(command, name);
      if (command === 'quit' || command === 'cancel') return;
    }
  });

  const layout = layoutFor(state);
  const prompt = promptShown(state) ? state.prompt : undefined;
  const logStep = currentStep(state);
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Line>
        <Text bold>pattern-db</Text> · {headerTitle(state)}
        {state.request === 'cancel' && <Text color={TONE.warn}> (stopping…)</Text>}
      </Line>
      <StepList steps={shownSteps(state)} width={layout.width} />
      <Box flexDirection="column" marginTop={1} flexGrow={1} flexShrink={1} overflow="hidden">
        <PhasePanel state={state} rows={layout.contentRows} width={layout.width} clock={clock} />
        {prompt && (
          <PromptPanel
            key={prompt.seq}
            spec={prompt.spec}
            showDetail={promptShowsDetail(state)}
            warning={promptWarning(state)}
            width={layout.width}
            onAnswer={(value) => answer(prompt.seq, prompt.spec.id, value)}
            onDraft={(value) => ui({ type: 'editPrompt', id: prompt.spec.id, value })}
          />
        )}
        {state.showLogs && <LogPanel step={logStep} lines={(logStep && state.logs[logStep]) || []} rows={layout.logRows} />}
      </Box>
      <DiagnosticsArea diagnostics={shownDiagnostics(state)} rows={layout.diagnosticRows} width={layout.width} />
      <KeyLegend hints={availableKeys(state)} width={layout.width} />
    </Box>
  );
}
