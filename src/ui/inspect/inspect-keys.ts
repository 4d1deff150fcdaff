// Which keys work now (the legend shows exactly these) and what each one does, derived from the state alone.
import type { KeyHint } from '../keys.js';
import type { InkKey, InspectAction, InspectState } from './inspect-model.js';
import { currentFrame, selectedRow } from './inspect-select.js';

export type KeyResult = InspectAction | { type: 'quit' } | undefined;

const QUIT: KeyHint = { keys: ['q'], label: 'quit' };
const HELP: KeyHint = { keys: ['?'], label: 'help' };
const FILTER: KeyHint = { keys: ['/'], label: 'filter' };
const BACK: KeyHint = { keys: ['esc'], label: 'back' };

/** Ranks say what gives way first on a narrow legend (legend-fit.ts); `?` opens the help, which lists every key. */
export function inspectHints(state: InspectState): KeyHint[] {
  const frame = currentFrame(state);
  const view = frame.view;
  if (state.filterEditing) {
    return [
      { keys: ['type'], label: 'filter' },
      { keys: ['enter'], label: 'keep' },
      { keys: ['esc'], label: 'clear' },
    ];
  }
  if (view.kind === 'console') {
    if (state.console.confirm) return [{ keys: ['y'], label: 'run it' }, { keys: ['n'], label: 'do not run' }];
    return [
      { keys: ['ctrl-d'], label: 'run' },
      { keys: ['enter'], label: 'new line', rank: 2 },
      { keys: ['↑', '↓'], label: 'history', rank: 1 },
      { keys: ['pgup', 'pgdn'], label: 'scroll results', rank: 3 },
      BACK,
      { keys: ['ctrl-c'], label: 'quit' },
    ];
  }
  const back = frame.filter ? { keys: ['esc'], label: 'clear filter' } : BACK;
  switch (view.kind) {
    case 'tree': {
      const row = selectedRow(state);
      return [
        { keys: ['↑', '↓'], label: 'move' },
        ...(row?.kind === 'table' ? [{ keys: ['enter'], label: 'records' }, { keys: ['d'], label: 'definition', rank: 2 }] : []),
        ...(row?.kind === 'database' ? [{ keys: ['enter'], label: 'definitions' }] : []),
        { keys: ['c'], label: 'console', rank: 3 },
        { keys: ['f'], label: 'facts', rank: 4 },
        { ...FILTER, rank: 1 },
        ...(frame.filter ? [back] : []),
        { keys: ['r'], label: 'refresh', rank: 5 },
        HELP,
        QUIT,
      ];
    }
    case 'records':
      return [
        { keys: ['↑', '↓'], label: 'move' },
        { keys: ['enter'], label: 'open' },
        { keys: ['pgup', 'pgdn'], label: 'page', rank: 2 },
        { keys: ['g', 'G'], label: 'first/last', rank: 4 },
        { keys: ['d'], label: 'definition', rank: 3 },
        { ...FILTER, rank: 1 },
        back,
        HELP,
        QUIT,
      ];
    case 'help':
      return [{ keys: ['↑', '↓'], label: 'scroll' }, { keys: ['esc', '?'], label: 'close' }, QUIT];
    default:
      return [
        { keys: ['↑', '↓'], label: 'scroll' },
        { keys: ['pgup', 'pgdn'], label: 'page', rank: 3 },
        ...(view.kind === 'record'
          ? [
              { keys: ['tab'], label: 'choose an edge', rank: 1 },
              ...(frame.edge !== undefined ? [{ keys: ['enter'], label: 'follow edge' }] : []),
              { keys: ['d'], label: 'definition', rank: 4 },
            ]
          : []),
        { ...FILTER, rank: 2 },
        back,
        HELP,
        QUIT,
      ];
  }
}

/** Printable text (a key or a paste); control keys are not text. */
function printable(input: string, key: InkKey): string | undefined {
  if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return undefined;
  if (!input || /^[\u0000-\u001f\u007f]+$/.test(input)) return undefined;
  return input.replace(/\r\n?/g, '\n');
}

export function actionForKey(state: InspectState, input: string, key: InkKey): KeyResult {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  const frame = currentFrame(state);
  const view = frame.view;

  if (state.filterEditing) {
    if (key.escape) return { type: 'filterClear' };
    if (key.return) return { type: 'filterDone' };
    if (key.backspace || key.delete) return { type: 'filterErase' };
    const text = printable(input, key);
    return text ? { type: 'filterType', text: text.replace(/\n/g, '') } : undefined;
  }

  if (view.kind === 'console') {
    if (state.console.confirm) {
      if (input === 'y' || input === 'Y') return { type: 'consoleAnswer', yes: true };
      if (input === 'n' || input === 'N' || key.escape) return { type: 'consoleAnswer', yes: false };
      return undefined;
    }
    if (key.ctrl && input === 'd') return { type: 'consoleRun' };
    if (key.escape) return { type: 'back' };
    if (key.return) return { type: 'consoleType', text: '\n' };
    if (key.backspace || key.delete) return { type: 'consoleErase' };
    if (key.upArrow) return { type: 'consoleRecall', delta: -1 };
    if (key.downArrow) return { type: 'consoleRecall', delta: 1 };
    if (key.pageUp) return { type: 'page', delta: -1 };
    if (key.pageDown) return { type: 'page', delta: 1 };
    const text = printable(input, key);
    return text ? { type: 'consoleType', text } : undefined;
  }

  if (view.kind === 'record' && key.tab) return { type: 'chooseEdge', delta: key.shift ? -1 : 1 };
  if (key.upArrow) return { type: 'move', delta: -1 };
  if (key.downArrow) return { type: 'move', delta: 1 };
  if (key.pageUp) return { type: 'page', delta: -1 };
  if (key.pageDown) return { type: 'page', delta: 1 };
  if (key.home || input === 'g') return { type: 'edge', to: 'first' };
  if (key.end || input === 'G') return { type: 'edge', to: 'last' };
  if (key.return) return { type: 'open' };
  if (key.escape) return frame.filter ? { type: 'filterClear' } : { type: 'back' };
  if (key.backspace || key.delete) return { type: 'back' };
  switch (input) {
    case 'q':
      return { type: 'quit' };
    case '?':
      return { type: 'show', view: 'help' };
    case '/':
      return { type: 'filterStart' };
    case 'd':
      return view.kind === 'tree' || view.kind === 'records' || view.kind === 'record' ? { type: 'definition' } : undefined;
    case 'c':
      return { type: 'show', view: 'console' };
    case 'f':
      return { type: 'show', view: 'status' };
    case 'r':
      return view.kind === 'tree' ? { type: 'refresh' } : undefined;
    case 'j':
      return { type: 'move', delta: 1 };
    case 'k':
      return { type: 'move', delta: -1 };
    default:
      return undefined;
  }
}
