// Reading the inspector's state: the current view, the rows of its list, the lines of its text, the data keys.
import {
  PAGE_SIZE,
  type DatabaseDefinitions,
  type InspectTree,
  type InspectValue,
  type RecordDetail,
  type Selection,
  type SourceStatus,
  type TableDefinition,
} from '../../core/inspect-types.js';
import { field } from '../../core/inspect-value.js';
import type { Frame, InspectState, Loadable } from './inspect-model.js';
import { filterLines, lineText, type StyledLine } from './styled.js';
import { treeRows, type TreeRow } from './tree-rows.js';
import { inlineValue } from './value-format.js';
import { databaseLines, definitionLines, statusLines, helpLines, recordLines } from './view-lines.js';

export const dataKey = {
  tree: 'tree',
  status: 'status',
  count: (s: Selection, table: string) => `count:${JSON.stringify([s.namespace, s.database, table])}`,
  page: (s: Selection, table: string, start: number) => `page:${JSON.stringify([s.namespace, s.database, table, start])}`,
  definition: (s: Selection, table: string) => `definition:${JSON.stringify([s.namespace, s.database, table])}`,
  database: (s: Selection) => `database:${JSON.stringify([s.namespace, s.database])}`,
  record: (s: Selection, id: string) => `record:${JSON.stringify([s.namespace, s.database, id])}`,
};

export function currentFrame(state: InspectState): Frame {
  return state.stack[state.stack.length - 1]!;
}

export function loaded<T>(state: InspectState, key: string): Loadable<T> | undefined {
  return state.data[key] as Loadable<T> | undefined;
}

export function valueOf<T>(state: InspectState, key: string): T | undefined {
  const entry = loaded<T>(state, key);
  return entry?.status === 'ready' ? entry.value : undefined;
}

export function treeOf(state: InspectState): InspectTree | undefined {
  return valueOf<InspectTree>(state, dataKey.tree);
}

export function rowsOfTree(state: InspectState, frame: Frame = state.stack[0]!): TreeRow[] {
  return treeRows(treeOf(state), frame.filter);
}

/** The tree row under the tree's cursor. */
export function selectedRow(state: InspectState): TreeRow | undefined {
  const frame = state.stack[0]!;
  const rows = rowsOfTree(state, frame);
  return rows[Math.min(frame.cursor, rows.length - 1)];
}

/** The count of a table: from a fresh count when one was read, else from the tree. */
export function tableCount(state: InspectState, selection: Selection, table: string): number | undefined {
  const counted = valueOf<number>(state, dataKey.count(selection, table));
  if (counted !== undefined) return counted;
  const db = treeOf(state)?.namespaces.find((n) => n.name === selection.namespace)?.databases.find((d) => d.name === selection.database);
  return db?.tables.find((t) => t.name === table)?.count ?? undefined;
}

export interface RecordsPage {
  count: number | undefined;
  /** Pages, known once the count is. */
  pages: number | undefined;
  start: number;
  page: Loadable<InspectValue[]> | undefined;
  /** The page's records that match the filter. */
  rows: InspectValue[];
  hasNext: boolean;
  lastPage: number;
}

export function recordsPage(state: InspectState, frame: Frame): RecordsPage {
  const view = frame.view;
  if (view.kind !== 'records') return { count: undefined, pages: undefined, start: 0, page: undefined, rows: [], hasNext: false, lastPage: 0 };
  const count = tableCount(state, view.selection, view.table);
  const pages = count === undefined ? undefined : Math.max(1, Math.ceil(count / PAGE_SIZE));
  const start = frame.page * PAGE_SIZE;
  const page = loaded<InspectValue[]>(state, dataKey.page(view.selection, view.table, start));
  const all = page?.status === 'ready' ? page.value : [];
  const needle = frame.filter.toLowerCase();
  const rows = needle ? all.filter((r) => lineText(inlineValue(r, 2000)).toLowerCase().includes(needle)) : all;
  const hasNext = pages !== undefined ? frame.page + 1 < pages : all.length === PAGE_SIZE;
  return { count, pages, start, page, rows, hasNext, lastPage: pages !== undefined ? pages - 1 : frame.page };
}

export function recordId(record: InspectValue | undefined): string {
  const id = field(record, 'id');
  return id && id.type !== 'array' && id.type !== 'object' ? id.text : '';
}

/** The text of a scrolling view, filtered; undefined while it loads or when it failed (see viewStatus). */
export function textLines(state: InspectState, frame: Frame, width: number): StyledLine[] | undefined {
  const view = frame.view;
  let lines: StyledLine[] | undefined;
  switch (view.kind) {
    case 'definition': {
      const def = valueOf<TableDefinition>(state, dataKey.definition(view.selection, view.table));
      lines = def && definitionLines(def, tableCount(state, view.selection, view.table));
      break;
    }
    case 'database': {
      const defs = valueOf<DatabaseDefinitions>(state, dataKey.database(view.selection));
      lines = defs && databaseLines(`${view.selection.namespace}/${view.selection.database}`, defs);
      break;
    }
    case 'record': {
      const detail = valueOf<RecordDetail>(state, dataKey.record(view.selection, view.id));
      lines = detail && recordLines(detail, width, frame.edge);
      break;
    }
    case 'status': {
      const status = valueOf<SourceStatus>(state, dataKey.status);
      lines = status && statusLines(status, state.source);
      break;
    }
    case 'help':
      lines = helpLines(state.source, width);
      break;
    default:
      return undefined;
  }
  return lines && filterLines(lines, frame.filter);
}

/** The data key a view waits for, so it can say "reading…" or show the failure. */
export function viewKey(state: InspectState, frame: Frame): string | undefined {
  const view = frame.view;
  switch (view.kind) {
    case 'tree':
      return dataKey.tree;
    case 'records':
      return dataKey.page(view.selection, view.table, frame.page * PAGE_SIZE);
    case 'definition':
      return dataKey.definition(view.selection, view.table);
    case 'database':
      return dataKey.database(view.selection);
    case 'record':
      return dataKey.record(view.selection, view.id);
    case 'status':
      return dataKey.status;
    default:
      return undefined;
  }
}

/** In a wide terminal the tree has a preview beside it: the selected table's definition or database's definitions. */
export function previewLines(state: InspectState): { key: string; lines: StyledLine[] | undefined } | undefined {
  const row = selectedRow(state);
  if (!row || row.kind === 'namespace') return undefined;
  const selection = { namespace: row.namespace, database: row.database };
  if (row.kind === 'table') {
    const key = dataKey.definition(selection, row.table);
    const def = valueOf<TableDefinition>(state, key);
    return { key, lines: def && definitionLines(def, row.count ?? undefined) };
  }
  const key = dataKey.database(selection);
  const defs = valueOf<DatabaseDefinitions>(state, key);
  return { key, lines: defs && databaseLines(`${row.namespace}/${row.database}`, defs) };
}

/** Cursor and first visible row of a list of `count` rows shown `visible` at a time, kept in range. */
export function listWindow(cursor: number, top: number, count: number, visible: number): { cursor: number; top: number } {
  const c = Math.max(0, Math.min(cursor, count - 1));
  let t = Math.max(0, Math.min(top, Math.max(0, count - visible)));
  if (c < t) t = c;
  if (c >= t + visible) t = c - visible + 1;
  return { cursor: c, top: Math.max(0, t) };
}

export function breadcrumb(state: InspectState): string {
  const frame = currentFrame(state);
  const view = frame.view;
  const where = (s: Selection) => `${s.namespace} › ${s.database}`;
  switch (view.kind) {
    case 'tree':
      return 'namespaces › databases › tables';
    case 'records': {
      const info = recordsPage(state, frame);
      const shown = info.page?.status === 'ready' ? info.page.value.length : 0;
      const range = shown ? `${(info.start + 1).toLocaleString('en-US')}–${(info.start + shown).toLocaleString('en-US')}` : '–';
      const of = info.count !== undefined ? ` of ${info.count.toLocaleString('en-US')}` : '';
      const page = info.pages !== undefined ? ` · page ${frame.page + 1}/${info.pages.toLocaleString('en-US')}` : '';
      return `${where(view.selection)} › ${view.table} › records ${range}${of}${page}`;
    }
    case 'record':
      return `${where(view.selection)} › ${view.table} › ${view.id}`;
    case 'definition':
      return `${where(view.selection)} › ${view.table} › definition`;
    case 'database':
      return `${where(view.selection)} › definitions`;
    case 'console':
      return state.selection ? `query console · ${where(state.selection)}` : 'query console · no database';
    case 'status':
      return 'server facts';
    case 'help':
      return 'help';
  }
}
