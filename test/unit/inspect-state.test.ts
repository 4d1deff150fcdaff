import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, type InspectTree, type InspectValue, type SourceDescription } from '../../src/core/inspect-types.js';
import { inspectHints } from '../../src/ui/inspect/inspect-keys.js';
import { neededLoads } from '../../src/ui/inspect/inspect-loads.js';
import { currentFrame, dataKey, recordsPage, selectedRow } from '../../src/ui/inspect/inspect-select.js';
import type { InkKey, InspectAction, InspectState } from '../../src/ui/inspect/inspect-model.js';
import { initialInspectState, KEPT_PAGES, reduceInspect } from '../../src/ui/inspect/inspect-state.js';

const source: SourceDescription = { kind: 'server', location: 'http://127.0.0.1:8000', writable: false, selection: { namespace: 'pattern', database: 'pattern' } };
const sel = { namespace: 'pattern', database: 'pattern' };
const tree: InspectTree = {
  namespaces: [
    { name: 'main', databases: [{ name: 'main', tables: [] }] },
    { name: 'pattern', databases: [{ name: 'pattern', tables: [{ name: 'agent', count: 3 }, { name: 'msg', count: 120 }] }] },
  ],
};
const page = (start: number, n: number): InspectValue[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'object', fields: [['id', { type: 'record', text: `msg:${start + i}` }]] }));

const NO_KEY: InkKey = { upArrow: false, downArrow: false, pageUp: false, pageDown: false, home: false, end: false, return: false, escape: false, ctrl: false, backspace: false, delete: false, tab: false, meta: false, shift: false };
const key = (input: string, flags: Partial<InkKey> = {}): InspectAction => ({ type: 'key', input, key: { ...NO_KEY, ...flags } });

function run(state: InspectState, ...actions: InspectAction[]): InspectState {
  return actions.reduce(reduceInspect, state);
}

/** Answers every load the state asks for, as the controller would. */
function settle(state: InspectState, pages: Record<number, number> = {}): InspectState {
  for (let round = 0; round < 5; round += 1) {
    const loads = neededLoads(state);
    if (!loads.length) return state;
    for (const load of loads) {
      const value =
        load.kind === 'tree' ? tree : load.kind === 'count' ? 120 : load.kind === 'page' ? page(load.start, pages[load.start] ?? Math.min(load.limit, 120 - load.start)) : {};
      state = reduceInspect(state, { type: 'loaded', key: load.key, value });
    }
  }
  return state;
}

const start = () => settle(initialInspectState(source, 80, 24));

describe('inspector state', () => {
  it('asks for the tree and the status first, then places the cursor on the wanted database', () => {
    const fresh = initialInspectState(source, 80, 24);
    expect(neededLoads(fresh).map((l) => l.kind)).toEqual(['tree', 'status']);
    const state = start();
    expect(selectedRow(state)).toMatchObject({ kind: 'database', namespace: 'pattern', database: 'pattern' });
    expect(state.selection).toEqual(sel);
  });

  it('opens a table on one page of PAGE_SIZE records and pages with pgdn, G and g', () => {
    let state = run(start(), key('', { downArrow: true }), key('', { downArrow: true }), key('', { return: true }));
    expect(currentFrame(state).view).toEqual({ kind: 'records', selection: sel, table: 'msg' });
    const loads = neededLoads(state);
    expect(loads).toEqual([
      { key: dataKey.count(sel, 'msg'), kind: 'count', selection: sel, table: 'msg' },
      { key: dataKey.page(sel, 'msg', 0), kind: 'page', selection: sel, table: 'msg', start: 0, limit: PAGE_SIZE },
    ]);
    state = settle(state);
    expect(recordsPage(state, currentFrame(state))).toMatchObject({ count: 120, pages: 3, start: 0, hasNext: true, lastPage: 2 });
    state = settle(run(state, key('', { pageDown: true })));
    expect(currentFrame(state).page).toBe(1);
    state = settle(run(state, key('G')));
    expect(currentFrame(state).page).toBe(2);
    expect(recordsPage(state, currentFrame(state)).rows).toHaveLength(20);
    expect(run(state, key('', { pageDown: true }))).toBe(state); // no page after the last
    state = run(state, key('g'));
    expect(currentFrame(state)).toMatchObject({ page: 0, cursor: 0 });
  });

  it('keeps only a few pages in memory', () => {
    let state = start();
    const view = { kind: 'records' as const, selection: sel, table: 'msg' };
    state = { ...state, stack: [...state.stack, { view, cursor: 0, top: 0, page: 0, filter: '' }] };
    for (let i = 0; i < KEPT_PAGES + 2; i += 1) state = reduceInspect(state, { type: 'loaded', key: dataKey.page(sel, 'msg', i * PAGE_SIZE), value: page(i * PAGE_SIZE, 1) });
    expect(Object.keys(state.data).filter((k) => k.startsWith('page:'))).toHaveLength(KEPT_PAGES);
    expect(dataKey.page(sel, 'msg', 0) in state.data).toBe(false);
  });

  it('moves down past the last row of a page onto the next page, and up past the first onto the previous', () => {
    let state = settle(run(start(), key('', { downArrow: true }), key('', { downArrow: true }), key('', { return: true })));
    state = settle(run(state, key('', { pageDown: true }), key('', { upArrow: true })));
    expect(currentFrame(state).page).toBe(0);
    state = run(state, key('', { downArrow: true }));
    expect(currentFrame(state)).toMatchObject({ page: 1, cursor: 0 });
  });

  it('enter on a record opens it; d its table definition; esc goes back one view at a time', () => {
    let state = settle(run(start(), key('', { downArrow: true }), key('', { downArrow: true }), key('', { return: true })));
    state = run(state, key('', { downArrow: true }), key('', { return: true }));
    expect(currentFrame(state).view).toEqual({ kind: 'record', selection: sel, table: 'msg', id: 'msg:1' });
    expect(neededLoads(state)).toEqual([{ key: dataKey.record(sel, 'msg:1'), kind: 'record', selection: sel, id: 'msg:1' }]);
    state = run(state, key('d'));
    expect(currentFrame(state).view).toEqual({ kind: 'definition', selection: sel, table: 'msg' });
    state = run(state, key('', { escape: true }), key('', { escape: true }), key('', { backspace: true }));
    expect(state.stack).toHaveLength(1);
    expect(run(state, key('', { escape: true }))).toBe(state);
  });

  it('/ filters the view; letters go to the filter while typing, esc clears it', () => {
    let state = run(start(), key('/'), key('m'), key('s'), key('q'));
    expect(state.quitting).toBe(false);
    expect(currentFrame(state).filter).toBe('msq');
    state = run(state, key('', { backspace: true }), key('', { return: true }));
    expect(state.filterEditing).toBe(false);
    expect(selectedRow(state)).toMatchObject({ kind: 'table', table: 'msg' });
    expect(inspectHints(state).map((h) => h.label)).toContain('clear filter');
    state = run(state, key('', { escape: true }));
    expect(currentFrame(state).filter).toBe('');
  });

  it('runs a console query once, asks before a write, and keeps the history', () => {
    let state = run(start(), key('c'), key('S'), key('E'), key('L'), key('q'));
    expect(state.console.draft).toBe('SELq');
    expect(state.quitting).toBe(false);
    state = run(state, key('d', { ctrl: true }));
    expect(state.console.running).toMatchObject({ seq: 1, text: 'SELq', confirmed: false, record: true });
    expect(state.console.draft).toBe('');
    expect(run(state, key('d', { ctrl: true })).console.running?.seq).toBe(1);
    state = reduceInspect(state, { type: 'queryDone', seq: 1, outcome: { kind: 'confirm', statement: 'SELq', keyword: 'CREATE', reachesLive: true } });
    expect(state.console.confirm).toMatchObject({ text: 'SELq', keyword: 'CREATE' });
    expect(inspectHints(state).map((h) => h.keys.join('/'))).toEqual(['y', 'n']);
    state = run(state, key('y'));
    expect(state.console.running).toMatchObject({ seq: 2, text: 'SELq', confirmed: true, record: false });
    state = reduceInspect(state, { type: 'queryDone', seq: 2, outcome: { kind: 'done', statements: [], elapsedMs: 1 } });
    expect(state.console.outcome?.kind).toBe('done');
    expect(state.console.history).toEqual(['SELq']);
    state = run(state, key('', { upArrow: true }));
    expect(state.console.draft).toBe('SELq');
  });

  it('ctrl-c quits from anywhere; q quits outside the console and the filter', () => {
    expect(run(start(), key('q')).quitting).toBe(true);
    expect(run(start(), key('c'), key('c', { ctrl: true })).quitting).toBe(true);
  });

  it('the console runs in the database under the tree cursor', () => {
    const twoDbs: InspectTree = { namespaces: [{ name: 'a', databases: [{ name: 'one', tables: [] }, { name: 'two', tables: [] }] }] };
    let state = reduceInspect(initialInspectState({ ...source, selection: undefined }, 80, 24), { type: 'loaded', key: 'tree', value: twoDbs });
    expect(state.selection).toEqual({ namespace: 'a', database: 'one' });
    state = run(state, key('', { downArrow: true }));
    expect(state.selection).toEqual({ namespace: 'a', database: 'two' });
  });
});
