// What must be read for the screen as it is now: a pure function of the state, so the controller only runs it.
import { PAGE_SIZE, type Selection } from '../../core/inspect-types.js';
import { inspectLayout } from './inspect-layout.js';
import type { InspectState } from './inspect-model.js';
import { currentFrame, dataKey, selectedRow } from './inspect-select.js';

export type Load =
  | { key: string; kind: 'tree' }
  | { key: string; kind: 'status' }
  | { key: string; kind: 'count'; selection: Selection; table: string }
  | { key: string; kind: 'page'; selection: Selection; table: string; start: number; limit: number }
  | { key: string; kind: 'definition'; selection: Selection; table: string }
  | { key: string; kind: 'database'; selection: Selection }
  | { key: string; kind: 'record'; selection: Selection; id: string };

export function neededLoads(state: InspectState): Load[] {
  const loads: Load[] = [
    { key: dataKey.tree, kind: 'tree' },
    // The header shows the version and latency.
    { key: dataKey.status, kind: 'status' },
  ];
  const frame = currentFrame(state);
  const view = frame.view;
  switch (view.kind) {
    case 'records': {
      const start = frame.page * PAGE_SIZE;
      loads.push(
        { key: dataKey.count(view.selection, view.table), kind: 'count', selection: view.selection, table: view.table },
        { key: dataKey.page(view.selection, view.table, start), kind: 'page', selection: view.selection, table: view.table, start, limit: PAGE_SIZE },
      );
      break;
    }
    case 'record':
      loads.push({ key: dataKey.record(view.selection, view.id), kind: 'record', selection: view.selection, id: view.id });
      break;
    case 'definition':
      loads.push({ key: dataKey.definition(view.selection, view.table), kind: 'definition', selection: view.selection, table: view.table });
      break;
    case 'database':
      loads.push({ key: dataKey.database(view.selection), kind: 'database', selection: view.selection });
      break;
    case 'tree': {
      // A wide terminal previews what the cursor is on.
      const row = selectedRow(state);
      if (!inspectLayout(state).wide || !row || row.kind === 'namespace') break;
      const selection = { namespace: row.namespace, database: row.database };
      loads.push(
        row.kind === 'table'
          ? { key: dataKey.definition(selection, row.table), kind: 'definition', selection, table: row.table }
          : { key: dataKey.database(selection), kind: 'database', selection },
      );
      break;
    }
    default:
      break;
  }
  return loads.filter((load) => !(load.key in state.data));
}
