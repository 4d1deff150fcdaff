// The inspector's view state as a pure reducer: a stack of views with their cursors and filters, what was read (by
// data key), and the query console. Loading is the controller's business (use-inspect-data.ts); this only records it.
import type { EdgeRow, RecordDetail, SourceDescription } from '../../core/inspect-types.js';
import { consoleLayout, inspectLayout } from './inspect-layout.js';
import type { ConsoleState, Frame, InspectAction, InspectState, Loadable, View } from './inspect-model.js';
import { currentFrame, dataKey, recordId, recordsPage, rowsOfTree, selectedRow, textLines, valueOf } from './inspect-select.js';
import { CHOSEN_MARK, outcomeLines, confirmLines } from './view-lines.js';
import { initialRow, selectionOf } from './tree-rows.js';
import { actionForKey } from './inspect-keys.js';

export const KEPT_PAGES = 4;
/** A cursor or scroll position meaning "the last one", clamped once the rows are known. */
const LAST = Number.MAX_SAFE_INTEGER;

const frameOf = (view: View): Frame => ({ view, cursor: 0, top: 0, page: 0, filter: '' });

export function initialInspectState(source: SourceDescription, columns: number, rows: number, history: string[] = []): InspectState {
  return {
    columns,
    rows,
    source,
    stack: [frameOf({ kind: 'tree' })],
    filterEditing: false,
    selection: source.selection,
    placed: false,
    data: {},
    pages: [],
    console: { draft: '', history, recall: null, seq: 0, running: null, confirm: null, outcome: null, scroll: 0 },
    quitting: false,
  };
}

function withFrame(state: InspectState, change: Partial<Frame>): InspectState {
  const stack = [...state.stack];
  stack[stack.length - 1] = { ...stack[stack.length - 1]!, ...change };
  return { ...state, stack };
}

function push(state: InspectState, view: View): InspectState {
  const selection = 'selection' in view ? view.selection : state.selection;
  return { ...state, stack: [...state.stack, frameOf(view)], filterEditing: false, selection };
}

const clamp = (n: number, low: number, high: number) => Math.max(low, Math.min(high, n));

/** After the tree cursor moves, the console follows the database under it. */
function followTree(state: InspectState): InspectState {
  if (state.stack.length !== 1) return state;
  const selection = selectionOf(selectedRow(state));
  return selection ? { ...state, selection } : state;
}

function moveList(state: InspectState, delta: number): InspectState {
  const frame = currentFrame(state);
  const layout = inspectLayout(state);
  if (frame.view.kind === 'tree') {
    const count = rowsOfTree(state, frame).length;
    const cursor = clamp(Math.min(frame.cursor, count - 1) + delta, 0, Math.max(0, count - 1));
    return followTree(withFrame(state, { cursor, top: follow(cursor, frame.top, layout.viewRows) }));
  }
  if (frame.view.kind === 'records') {
    const info = recordsPage(state, frame);
    const count = info.rows.length;
    const at = Math.min(frame.cursor, count - 1) + delta;
    if (at >= count) return info.hasNext && info.page?.status === 'ready' ? withFrame(state, { page: frame.page + 1, cursor: 0, top: 0 }) : state;
    if (at < 0) return frame.page > 0 ? withFrame(state, { page: frame.page - 1, cursor: LAST, top: LAST }) : withFrame(state, { cursor: 0 });
    return withFrame(state, { cursor: at, top: follow(at, Math.min(frame.top, Math.max(0, count - 1)), layout.viewRows) });
  }
  return scrollText(state, delta);
}

/** The first visible row once the cursor must be on screen. */
function follow(cursor: number, top: number, visible: number): number {
  if (cursor < top) return cursor;
  if (cursor >= top + visible) return cursor - visible + 1;
  return top;
}

function scrollText(state: InspectState, delta: number): InspectState {
  const frame = currentFrame(state);
  const layout = inspectLayout(state);
  const lines = textLines(state, frame, layout.mainWidth)?.length ?? 0;
  const max = Math.max(0, lines - layout.viewRows);
  return withFrame(state, { top: clamp(Math.min(frame.top, max) + delta, 0, max) });
}

function page(state: InspectState, delta: number): InspectState {
  const frame = currentFrame(state);
  const layout = inspectLayout(state);
  switch (frame.view.kind) {
    case 'records': {
      const info = recordsPage(state, frame);
      if (delta > 0 && !info.hasNext) return state;
      const next = clamp(frame.page + delta, 0, Math.max(frame.page, info.lastPage));
      return next === frame.page ? state : withFrame(state, { page: next, cursor: 0, top: 0 });
    }
    case 'console': {
      const lines = consoleResultCount(state, layout.mainWidth);
      const { resultRows } = consoleLayout(state.console.draft, layout.bodyRows);
      const scroll = clamp(state.console.scroll + delta * resultRows, 0, Math.max(0, lines - resultRows));
      return { ...state, console: { ...state.console, scroll } };
    }
    case 'tree':
      return moveList(state, delta * layout.viewRows);
    default:
      return scrollText(state, delta * layout.viewRows);
  }
}

function edge(state: InspectState, to: 'first' | 'last'): InspectState {
  const frame = currentFrame(state);
  if (frame.view.kind === 'records') {
    const info = recordsPage(state, frame);
    return to === 'first' ? withFrame(state, { page: 0, cursor: 0, top: 0 }) : withFrame(state, { page: info.lastPage, cursor: LAST, top: LAST });
  }
  if (frame.view.kind === 'tree') return moveList(state, to === 'first' ? -LAST / 2 : LAST / 2);
  return scrollText(state, to === 'first' ? -LAST / 2 : LAST / 2);
}

function open(state: InspectState): InspectState {
  const frame = currentFrame(state);
  if (frame.view.kind === 'tree') {
    const row = selectedRow(state);
    if (row?.kind === 'table') return push(state, { kind: 'records', selection: { namespace: row.namespace, database: row.database }, table: row.table });
    if (row?.kind === 'database') return push(state, { kind: 'database', selection: { namespace: row.namespace, database: row.database } });
    return state;
  }
  if (frame.view.kind === 'records') {
    const info = recordsPage(state, frame);
    const record = info.rows[Math.min(frame.cursor, info.rows.length - 1)];
    const id = recordId(record);
    return id ? push(state, { kind: 'record', selection: frame.view.selection, table: frame.view.table, id }) : state;
  }
  if (frame.view.kind === 'record' && frame.edge !== undefined) {
    const other = edgesOf(state, frame)[frame.edge]?.other;
    const table = other?.slice(0, other.indexOf(':'));
    return other && table ? push(state, { kind: 'record', selection: frame.view.selection, table, id: other }) : state;
  }
  return state;
}

function edgesOf(state: InspectState, frame: Frame): EdgeRow[] {
  if (frame.view.kind !== 'record') return [];
  const detail = valueOf<RecordDetail>(state, dataKey.record(frame.view.selection, frame.view.id));
  return detail ? [...detail.incoming, ...detail.outgoing] : [];
}

/** Tab through a record's edges; the chosen one is scrolled into view. */
function chooseEdge(state: InspectState, delta: number): InspectState {
  const frame = currentFrame(state);
  const count = edgesOf(state, frame).length;
  if (!count) return state;
  const edge = frame.edge === undefined ? (delta > 0 ? 0 : count - 1) : (frame.edge + delta + count) % count;
  const chosen = { ...frame, edge };
  const layout = inspectLayout(state);
  const line = (textLines(state, chosen, layout.mainWidth) ?? []).findIndex((l) => l[0]?.text.startsWith(CHOSEN_MARK));
  return withFrame(state, { edge, ...(line >= 0 ? { top: follow(line, frame.top, layout.viewRows) } : {}) });
}

function definition(state: InspectState): InspectState {
  const view = currentFrame(state).view;
  if (view.kind === 'tree') {
    const row = selectedRow(state);
    if (row?.kind === 'table') return push(state, { kind: 'definition', selection: { namespace: row.namespace, database: row.database }, table: row.table });
    if (row?.kind === 'database') return push(state, { kind: 'database', selection: { namespace: row.namespace, database: row.database } });
    return state;
  }
  if (view.kind === 'records' || view.kind === 'record') return push(state, { kind: 'definition', selection: view.selection, table: view.table });
  return state;
}

function back(state: InspectState): InspectState {
  if (state.stack.length <= 1) return state;
  const stack = state.stack.slice(0, -1);
  const below = stack[stack.length - 1]!.view;
  return followTree({ ...state, stack, filterEditing: false, selection: 'selection' in below ? below.selection : state.selection });
}

function show(state: InspectState, view: 'console' | 'status' | 'help'): InspectState {
  const current = currentFrame(state).view.kind;
  if (current === view) return view === 'help' ? back(state) : state;
  return push(state, { kind: view });
}

function setFilter(state: InspectState, filter: string, editing: boolean): InspectState {
  const next = withFrame({ ...state, filterEditing: editing }, { filter, cursor: 0, top: 0 });
  if (next.stack.length !== 1) return next;
  // In the tree the cursor goes to the first matching table, the thing being looked for.
  const first = filter ? rowsOfTree(next).findIndex((row) => row.kind === 'table') : -1;
  return followTree(first > 0 ? withFrame(next, { cursor: first }) : next);
}

export function consoleResultCount(state: InspectState, width: number): number {
  const { confirm, outcome } = state.console;
  if (confirm) return confirmLines(confirm, width).length;
  return outcome ? outcomeLines(outcome, width).length : 0;
}

function reduceConsole(state: InspectState, action: InspectAction): InspectState {
  const c = state.console;
  const set = (change: Partial<ConsoleState>) => ({ ...state, console: { ...c, ...change } });
  switch (action.type) {
    case 'consoleType':
      return c.confirm ? state : set({ draft: c.draft + action.text, recall: null });
    case 'consoleErase':
      return set({ draft: [...c.draft].slice(0, -1).join(''), recall: null });
    case 'consoleRecall': {
      const browsing = c.recall !== null && c.draft === c.history[c.recall];
      if ((c.draft !== '' && !browsing) || !c.history.length) return state;
      if (action.delta < 0) {
        const recall = c.recall === null ? c.history.length - 1 : Math.max(0, c.recall - 1);
        return set({ recall, draft: c.history[recall]! });
      }
      if (c.recall === null) return state;
      const recall = c.recall + 1;
      return recall >= c.history.length ? set({ recall: null, draft: '' }) : set({ recall, draft: c.history[recall]! });
    }
    case 'consoleRun': {
      const text = c.draft.trim();
      if (!text || c.running || c.confirm) return state;
      const seq = c.seq + 1;
      const history = c.history.at(-1) === text ? c.history : [...c.history, text];
      return set({ seq, running: { seq, text, confirmed: false, record: true }, draft: '', recall: null, history, outcome: null, scroll: 0 });
    }
    case 'consoleAnswer': {
      if (!c.confirm) return state;
      if (!action.yes) return set({ confirm: null, outcome: { kind: 'cancelled' } });
      const seq = c.seq + 1;
      return set({ seq, confirm: null, running: { seq, text: c.confirm.text, confirmed: true, record: false } });
    }
    case 'queryDone': {
      if (c.running?.seq !== action.seq) return state;
      const outcome = action.outcome;
      if (outcome.kind === 'confirm') {
        return set({ running: null, confirm: { text: c.running.text, statement: outcome.statement, keyword: outcome.keyword, reachesLive: outcome.reachesLive } });
      }
      return set({ running: null, outcome, scroll: 0 });
    }
    default:
      return state;
  }
}

function reduceData(state: InspectState, action: Extract<InspectAction, { type: 'loading' | 'loaded' | 'failed' }>): InspectState {
  const entry: Loadable<unknown> =
    action.type === 'loading' ? { status: 'loading' } : action.type === 'loaded' ? { status: 'ready', value: action.value } : { status: 'failed', error: action.error };
  let data = { ...state.data, [action.key]: entry };
  let pages = state.pages;
  if (action.key.startsWith('page:') && action.type !== 'loading') {
    pages = [...pages.filter((k) => k !== action.key), action.key];
    // Only a few pages stay in memory: the oldest is read again if the user goes back to it.
    while (pages.length > KEPT_PAGES) {
      const [oldest, ...rest] = pages;
      pages = rest;
      const { [oldest!]: _dropped, ...kept } = data;
      data = kept;
    }
  }
  let next: InspectState = { ...state, data, pages };
  if (action.key === dataKey.tree && action.type === 'loaded' && !state.placed) {
    const rows = rowsOfTree(next);
    const cursor = initialRow(rows, state.source.selection);
    const stack = [{ ...next.stack[0]!, cursor }, ...next.stack.slice(1)];
    next = { ...next, stack, placed: true };
    next = { ...next, selection: selectionOf(rows[cursor]) ?? next.selection };
  }
  return next;
}

export function reduceInspect(state: InspectState, action: InspectAction): InspectState {
  switch (action.type) {
    case 'key': {
      const result = actionForKey(state, action.input, action.key);
      if (!result) return state;
      return result.type === 'quit' ? { ...state, quitting: true } : reduceInspect(state, result);
    }
    case 'resize':
      return { ...state, columns: action.columns, rows: action.rows };
    case 'move':
      return moveList(state, action.delta);
    case 'page':
      return page(state, action.delta);
    case 'edge':
      return edge(state, action.to);
    case 'chooseEdge':
      return chooseEdge(state, action.delta);
    case 'open':
      return open(state);
    case 'definition':
      return definition(state);
    case 'back':
      return back(state);
    case 'show':
      return show(state, action.view);
    case 'refresh':
      return { ...state, data: {}, pages: [] };
    case 'filterStart':
      return { ...state, filterEditing: true };
    case 'filterType':
      return setFilter(state, currentFrame(state).filter + action.text, true);
    case 'filterErase':
      return setFilter(state, [...currentFrame(state).filter].slice(0, -1).join(''), true);
    case 'filterDone':
      return { ...state, filterEditing: false };
    case 'filterClear':
      return setFilter(state, '', false);
    case 'loading':
    case 'loaded':
    case 'failed':
      return reduceData(state, action);
    default:
      return reduceConsole(state, action);
  }
}
