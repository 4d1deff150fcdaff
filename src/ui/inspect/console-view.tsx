// The query console: a multi-line input (enter adds a line, ctrl-d runs), then the results of the last run.
import { Box } from 'ink';
import { consoleLayout } from './inspect-layout.js';
import type { InspectState } from './inspect-model.js';
import { StyledLines, StyledText } from './styled-text.js';
import type { StyledLine } from './styled.js';
import { confirmLines, outcomeLines } from './view-lines.js';

function inputLines(draft: string, rows: number): StyledLine[] {
  if (!draft) return [[{ text: '› ', tone: 'accent' }, { text: ' ', tone: 'selected' }, { text: ' SurrealQL here; enter adds a line, ctrl-d runs', tone: 'dim' }]];
  const lines = draft.split('\n');
  const first = Math.max(0, lines.length - rows);
  return lines.slice(first).map((text, i): StyledLine => {
    const index = first + i;
    const last = index === lines.length - 1;
    return [{ text: index === 0 ? '› ' : '  ', tone: 'accent' }, { text }, ...(last ? [{ text: ' ', tone: 'selected' as const }] : [])];
  });
}

export function ConsoleView({ state, rows, width }: { state: InspectState; rows: number; width: number }) {
  const c = state.console;
  const { inputRows, resultRows } = consoleLayout(c.draft, rows);
  const where = state.selection ? `${state.selection.namespace}/${state.selection.database}` : 'no database selected';
  const mode = state.source.writable ? `--write, asks first${state.source.snapshot ? ' (snapshot copy)' : ''}` : 'read-only';
  const title: StyledLine = [{ text: `SurrealQL in ${where}`, tone: 'heading' }, { text: ` · ${mode} · ${c.history.length} in history`, tone: 'dim' }];
  let results: StyledLine[];
  if (c.running) results = [[{ text: 'Running…', tone: 'dim' }]];
  else if (c.confirm) results = confirmLines(c.confirm, width);
  else if (c.outcome) results = outcomeLines(c.outcome, width);
  else results = [[{ text: 'Results appear here: a table for flat rows, a tree otherwise, with the time each statement took.', tone: 'dim' }]];
  return (
    <Box flexDirection="column">
      <StyledText line={title} width={width} />
      {inputLines(c.draft, inputRows).map((line, i) => (
        <StyledText key={`in${i}`} line={line} width={width} />
      ))}
      <StyledText line={[{ text: '─'.repeat(Math.max(0, width)), tone: 'punct' }]} width={width} />
      <StyledLines lines={results} top={c.scroll} rows={resultRows} width={width} />
    </Box>
  );
}
