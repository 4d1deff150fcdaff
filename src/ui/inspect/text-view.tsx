// A scrolling view of styled lines (definitions, a record, facts, help), or what it waits for.
import type { Frame, InspectState } from './inspect-model.js';
import { loaded, textLines, viewKey } from './inspect-select.js';
import { LoadState } from './load-state.js';
import { StyledLines, StyledText } from './styled-text.js';

const WHAT: Record<string, string> = {
  definition: 'the table definition',
  database: 'the database definitions',
  record: 'the record and its edges',
  status: 'the server facts',
};

export function TextView({ state, frame, rows, width }: { state: InspectState; frame: Frame; rows: number; width: number }) {
  const lines = textLines(state, frame, width);
  if (!lines) {
    const key = viewKey(state, frame);
    return <LoadState entry={key ? loaded(state, key) : undefined} what={WHAT[frame.view.kind] ?? 'this view'} />;
  }
  if (!lines.length && frame.filter) return <StyledText line={[{ text: `No line matches "${frame.filter}".`, tone: 'dim' }]} width={width} />;
  return <StyledLines lines={lines} top={frame.top} rows={rows} width={width} />;
}
