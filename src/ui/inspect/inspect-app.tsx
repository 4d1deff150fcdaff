// The inspector's shell: keys → reducer → views; the hook reads what the views need. The only place that calls exit().
import { Box, useApp, useInput, useStdout } from 'ink';
import { useCallback, useEffect, useReducer } from 'react';
import type { InspectHistory, InspectSource } from '../../core/inspect-types.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { ConsoleView } from './console-view.js';
import { Breadcrumb, Header, Legend, StatusLine } from './inspect-chrome.js';
import { inspectHints } from './inspect-keys.js';
import type { InspectState } from './inspect-model.js';
import { inspectLayout, type InspectLayout } from './inspect-layout.js';
import { currentFrame, loaded, previewLines } from './inspect-select.js';
import { initialInspectState, reduceInspect } from './inspect-state.js';
import { LoadState } from './load-state.js';
import { RecordsView } from './records-view.js';
import { StyledLines, StyledText } from './styled-text.js';
import { TextView } from './text-view.js';
import { TreeView } from './tree-view.js';
import { useInspectData } from './use-inspect-data.js';

export interface InspectAppProps {
  source: InspectSource;
  history?: InspectHistory;
  /** Fixed sizes (tests) win over the terminal's. */
  columns?: number;
  rows?: number;
}

function Preview({ state, layout }: { state: InspectState; layout: InspectLayout }) {
  const preview = previewLines(state);
  if (!preview) return <StyledText line={[{ text: 'Move to a table or a database to see its definition here.', tone: 'dim' }]} width={layout.mainWidth} />;
  if (!preview.lines) return <LoadState entry={loaded(state, preview.key)} what="the definition" />;
  return <StyledLines lines={preview.lines} top={0} rows={layout.bodyRows} width={layout.mainWidth} />;
}

function MainView({ state, layout }: { state: InspectState; layout: InspectLayout }) {
  const frame = currentFrame(state);
  switch (frame.view.kind) {
    case 'tree':
      return layout.wide ? <Preview state={state} layout={layout} /> : <TreeView state={state} rows={layout.viewRows} width={layout.mainWidth} active />;
    case 'records':
      return <RecordsView state={state} frame={frame} rows={layout.viewRows} width={layout.mainWidth} />;
    case 'console':
      return <ConsoleView state={state} rows={layout.bodyRows} width={layout.mainWidth} />;
    default:
      return <TextView state={state} frame={frame} rows={layout.viewRows} width={layout.mainWidth} />;
  }
}

export function InspectApp({ source, history, columns, rows }: InspectAppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [state, dispatch] = useReducer(reduceInspect, undefined, () =>
    initialInspectState(source.description, columns ?? stdout.columns ?? 80, rows ?? stdout.rows ?? 24, history?.entries ?? []),
  );
  const resize = useCallback((c: number, r: number) => dispatch({ type: 'resize', columns: c, rows: r }), []);
  useTerminalSize(resize, columns, rows);
  useInspectData(source, state, dispatch, history);
  useInput((input, key) => dispatch({ type: 'key', input, key }));
  useEffect(() => {
    if (state.quitting) exit();
  }, [state.quitting, exit]);

  const layout = inspectLayout(state);
  const treeActive = currentFrame(state).view.kind === 'tree';
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Header state={state} />
      <Breadcrumb state={state} />
      <Box flexDirection="row" height={layout.bodyRows} overflow="hidden">
        {layout.wide && (
          <Box flexDirection="column" width={layout.sideWidth} marginRight={2} flexShrink={0}>
            <TreeView state={state} rows={layout.bodyRows} width={layout.sideWidth} active={treeActive} />
          </Box>
        )}
        <Box flexDirection="column" width={layout.mainWidth} flexShrink={0}>
          <MainView state={state} layout={layout} />
        </Box>
      </Box>
      <StatusLine state={state} />
      <Legend hints={inspectHints(state)} width={layout.width} />
    </Box>
  );
}
