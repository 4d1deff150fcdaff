// Namespaces, databases and tables with their record counts; the cursor row is inverted when the tree has the keys.
import { Box } from 'ink';
import type { InspectState } from './inspect-model.js';
import { dataKey, listWindow, loaded, rowsOfTree } from './inspect-select.js';
import { LoadState } from './load-state.js';
import { StyledText } from './styled-text.js';
import type { StyledLine } from './styled.js';
import type { TreeRow } from './tree-rows.js';
import { formatCount } from './view-lines.js';

function rowLine(row: TreeRow, width: number, current: boolean): StyledLine {
  switch (row.kind) {
    case 'namespace':
      return [{ text: row.label, tone: 'heading' }];
    case 'database': {
      const summary = `${row.tables} table${row.tables === 1 ? '' : 's'}${row.records !== null ? `, ${formatCount(row.records)} records` : ''}`;
      return [{ text: `  ${row.label}`, tone: 'accent' }, { text: `  ${summary}`, tone: 'dim' }];
    }
    case 'table': {
      const count = row.countError ? '?' : formatCount(row.count);
      const name = `${current ? '▸ ' : '  '}  ${row.label}`;
      const gap = Math.max(1, width - name.length - count.length);
      return [{ text: name }, { text: ' '.repeat(gap) }, { text: count, tone: row.countError ? 'error' : 'number' }];
    }
  }
}

export function TreeView({ state, rows, width, active }: { state: InspectState; rows: number; width: number; active: boolean }) {
  const entry = loaded(state, dataKey.tree);
  if (entry?.status !== 'ready') return <LoadState entry={entry} what="the namespaces, databases and tables" />;
  const frame = state.stack[0]!;
  const all = rowsOfTree(state, frame);
  if (!all.length) return <StyledText line={[{ text: frame.filter ? `Nothing matches "${frame.filter}".` : 'No namespaces.', tone: 'dim' }]} width={width} />;
  const { cursor, top } = listWindow(frame.cursor, frame.top, all.length, rows);
  const view = state.stack[state.stack.length - 1]!.view;
  const openTable = 'table' in view ? view : undefined;
  return (
    <Box flexDirection="column">
      {all.slice(top, top + rows).map((row, i) => {
        const current = !active && row.kind === 'table' && !!openTable && row.table === openTable.table && row.database === openTable.selection.database && row.namespace === openTable.selection.namespace;
        return <StyledText key={top + i} line={rowLine(row, width, current)} width={width} selected={active && top + i === cursor} />;
      })}
    </Box>
  );
}
