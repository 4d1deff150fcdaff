// The doctor view's state: every check's latest result, which are running, the cursor and what is expanded.
import type { CheckGroup, CheckResult } from '../../core/doctor-model.js';

export interface CheckEntry {
  id: string;
  group: CheckGroup;
  title: string;
}

export interface DoctorState {
  checks: CheckEntry[];
  results: Record<string, CheckResult>;
  running: string[];
  cursor: number;
  expanded: string[];
  /** No run is going on: keys that start one are live. */
  idle: boolean;
  showHelp: boolean;
}

export type DoctorAction =
  | { type: 'runStarted'; ids: string[] }
  | { type: 'result'; result: CheckResult }
  | { type: 'runFinished' }
  | { type: 'move'; by: number }
  | { type: 'toggle' }
  | { type: 'toggleHelp' };

export function initialDoctorState(checks: CheckEntry[]): DoctorState {
  return { checks, results: {}, running: [], cursor: 0, expanded: [], idle: true, showHelp: false };
}

/** Warnings and failures open by default, so their evidence and fix are on screen without a key press. */
const opensByItself = (result: CheckResult) => result.status === 'warn' || result.status === 'fail';

export function doctorReducer(state: DoctorState, action: DoctorAction): DoctorState {
  switch (action.type) {
    case 'runStarted':
      return { ...state, running: action.ids, idle: false };
    case 'result': {
      const { result } = action;
      const expanded = state.expanded.filter((id) => id !== result.id);
      if (opensByItself(result)) expanded.push(result.id);
      return {
        ...state,
        results: { ...state.results, [result.id]: result },
        running: state.running.filter((id) => id !== result.id),
        expanded,
      };
    }
    case 'runFinished':
      return { ...state, running: [], idle: true };
    case 'move': {
      const last = state.checks.length - 1;
      return { ...state, cursor: Math.max(0, Math.min(last, state.cursor + action.by)) };
    }
    case 'toggle': {
      const id = state.checks[state.cursor]?.id;
      if (!id) return state;
      const open = state.expanded.includes(id);
      return { ...state, expanded: open ? state.expanded.filter((x) => x !== id) : [...state.expanded, id] };
    }
    case 'toggleHelp':
      return { ...state, showHelp: !state.showHelp };
  }
}

export function selectedCheck(state: DoctorState): CheckEntry | undefined {
  return state.checks[state.cursor];
}

export function completedResults(state: DoctorState): CheckResult[] {
  return state.checks.flatMap((c) => (state.results[c.id] ? [state.results[c.id]!] : []));
}
