// One page of a table's records: the id, then the other fields on the same line. The footer says where in the table.
import { Box } from 'ink';
import type { Frame, InspectState } from './inspect-model.js';
import { listWindow, recordId, recordsPage } from './inspect-select.js';
import { LoadState } from './load-state.js';
import { StyledText } from './styled-text.js';
import { recordPreview } from './value-format.js';

export function RecordsView({ state, frame, rows, width }: { state: InspectState; frame: Frame; rows: number; width: number }) {
  const view = frame.view;
  if (view.kind !== 'records') return null;
  const info = recordsPage(state, frame);
  if (info.page?.status !== 'ready') return <LoadState entry={info.page} what={`records of ${view.table}`} />;
  if (!info.rows.length) {
    const text = frame.filter ? `No record on this page matches "${frame.filter}" (the filter reads the page in view).` : `${view.table} has no records.`;
    return <StyledText line={[{ text, tone: 'dim' }]} width={width} />;
  }
  const { cursor, top } = listWindow(frame.cursor, frame.top, info.rows.length, rows);
  const idWidth = Math.min(Math.floor(width / 2), Math.max(...info.rows.map((r) => recordId(r).length)));
  const footer = frame.filter
    ? `${info.rows.length} of ${info.page.value.length} on this page match "${frame.filter}"`
    : `${(info.start + cursor + 1).toLocaleString('en-US')} of ${info.count !== undefined ? info.count.toLocaleString('en-US') : '?'}`;
  return (
    <Box flexDirection="column">
      {info.rows.slice(top, top + rows).map((record, i) => {
        const id = recordId(record);
        return (
          <StyledText
            key={top + i}
            selected={top + i === cursor}
            width={width}
            line={[{ text: id.padEnd(idWidth), tone: 'record' }, { text: '  ' }, ...recordPreview(record, Math.max(10, width - idWidth - 2))]}
          />
        );
      })}
      <StyledText line={[{ text: footer, tone: 'dim' }]} width={width} />
    </Box>
  );
}
