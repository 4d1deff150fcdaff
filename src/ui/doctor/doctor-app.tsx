// The doctor's shell: runs the checks through the runner it is given, and turns keys into actions.
import { useApp, useInput } from 'ink';
import { useCallback, useEffect, useState } from 'react';
import type { CheckResult } from '../../core/doctor-model.js';
import { useNewestReducer } from '../use-newest-reducer.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { doctorReducer, initialDoctorState, selectedCheck, type CheckEntry } from './doctor-state.js';
import { DoctorView } from './doctor-view.js';

/** What the view needs from the doctor, without knowing how checks reach config files or servers. */
export interface DoctorRunner {
  checks: CheckEntry[];
  /** Runs all checks, or the one named and those it builds on; each result as it comes. */
  run(onResult: (result: CheckResult) => void, upTo?: string): Promise<void>;
}

export interface DoctorAppProps {
  runner: DoctorRunner;
  /** Called with the latest result of every check when the user quits. */
  onQuit: (results: CheckResult[]) => void;
  columns?: number;
  rows?: number;
}

export function DoctorApp({ runner, onQuit, columns, rows }: DoctorAppProps) {
  const { exit } = useApp();
  const { state, act, newest } = useNewestReducer(doctorReducer, () => initialDoctorState(runner.checks));
  const [size, setSize] = useState({ columns: columns ?? 80, rows: rows ?? 24 });
  useTerminalSize(useCallback((c: number, r: number) => setSize({ columns: c, rows: r }), []), columns, rows);

  const start = useCallback(
    (upTo?: string) => {
      const index = upTo ? runner.checks.findIndex((c) => c.id === upTo) : runner.checks.length - 1;
      act({ type: 'runStarted', ids: runner.checks.slice(0, index + 1).map((c) => c.id) });
      void runner.run((result) => act({ type: 'result', result }), upTo).finally(() => act({ type: 'runFinished' }));
    },
    [runner, act],
  );
  useEffect(() => start(), [start]);

  useInput((input, key) => {
    const state = newest();
    if (key.upArrow || input === 'k') act({ type: 'move', by: -1 });
    else if (key.downArrow || input === 'j') act({ type: 'move', by: 1 });
    else if (key.pageUp) act({ type: 'move', by: -10 });
    else if (key.pageDown) act({ type: 'move', by: 10 });
    else if (key.return || input === ' ') act({ type: 'toggle' });
    else if (input === '?') act({ type: 'toggleHelp' });
    else if (input === 'r' && state.idle) start(selectedCheck(state)?.id);
    else if (input === 'a' && state.idle) start();
    else if (input === 'q' || (key.ctrl && input === 'c') || key.escape) {
      onQuit(runner.checks.flatMap((c) => (state.results[c.id] ? [state.results[c.id]!] : [])));
      exit();
    }
  });

  return <DoctorView state={state} columns={size.columns} rows={size.rows} />;
}
