// The managed server: its own log lines while it starts, then where it listens and keeps its data.
import { Spinner, StatusMessage } from '@inkjs/ui';
import { Box } from 'ink';
import type { ServerResult } from '../steps/run-state.js';
import { Line } from './rows.js';
import { TONE } from './tone.js';
import type { LogLine, StepView } from './wizard-state.js';

export function ServerPanel({ server, step, logs, rows }: { server?: ServerResult; step?: StepView; logs: LogLine[]; rows: number }) {
  const facts = server ? [`Data  ${server.storage}`, `Log   ${server.logFile}`] : [];
  const tail = logs.slice(-Math.max(0, rows - 1 - facts.length));
  return (
    <Box flexDirection="column">
      {server && (step?.state === 'done' || step?.state === 'skipped') ? (
        <StatusMessage variant="success">{`Server ready at ${server.url} (SurrealDB ${server.version}, pid ${server.pid})`}</StatusMessage>
      ) : step?.state === 'skipped' ? (
        <StatusMessage variant="info">{`No server to start${step.message ? `: ${step.message}` : ''}`}</StatusMessage>
      ) : (
        <Spinner label="Starting SurrealDB…" />
      )}
      {facts.map((fact) => (
        <Line key={fact}>{fact}</Line>
      ))}
      {tail.map((log, i) => (
        <Line key={i} dimColor={log.stream === 'stdout'} {...(log.stream === 'stderr' ? { color: TONE.warn } : {})}>
          {log.line}
        </Line>
      ))}
    </Box>
  );
}
