// The one hook between the inspector's state and its source: reads what neededLoads asks for, runs the console's
// queries, and records each new query in the history. Components never call the source.
import { useEffect, useRef } from 'react';
import { asPatternDbError } from '../../core/errors.js';
import type { InspectHistory, InspectSource, OutcomeError } from '../../core/inspect-types.js';
import { neededLoads, type Load } from './inspect-loads.js';
import type { InspectAction, InspectState } from './inspect-model.js';

export function errorInfo(error: unknown): OutcomeError {
  const failure = asPatternDbError(error);
  return { code: failure.code, message: failure.message, ...(failure.fix ? { fix: failure.fix } : {}) };
}

function perform(source: InspectSource, load: Load): Promise<unknown> {
  switch (load.kind) {
    case 'tree':
      return source.tree();
    case 'status':
      return source.status();
    case 'count':
      return source.count(load.selection, load.table);
    case 'page':
      return source.records(load.selection, load.table, load.start, load.limit);
    case 'definition':
      return source.tableDefinition(load.selection, load.table);
    case 'database':
      return source.databaseDefinitions(load.selection);
    case 'record':
      return source.record(load.selection, load.id);
  }
}

export function useInspectData(source: InspectSource, state: InspectState, dispatch: (action: InspectAction) => void, history?: InspectHistory): void {
  const inflight = useRef(new Set<string>());
  const started = useRef(new Set<number>());
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const send = (action: InspectAction) => {
    if (mounted.current) dispatch(action);
  };

  useEffect(() => {
    for (const load of neededLoads(state)) {
      if (inflight.current.has(load.key)) continue;
      inflight.current.add(load.key);
      send({ type: 'loading', key: load.key });
      perform(source, load)
        .then(
          (value) => send({ type: 'loaded', key: load.key, value }),
          (error: unknown) => send({ type: 'failed', key: load.key, error: errorInfo(error) }),
        )
        .finally(() => inflight.current.delete(load.key));
    }
    const running = state.console.running;
    if (running && !started.current.has(running.seq)) {
      started.current.add(running.seq);
      if (running.record) history?.append(running.text);
      source.query(state.selection, running.text, { confirmed: running.confirmed }).then(
        (outcome) => send({ type: 'queryDone', seq: running.seq, outcome }),
        (error: unknown) => send({ type: 'queryDone', seq: running.seq, outcome: { kind: 'failed', error: errorInfo(error), elapsedMs: 0 } }),
      );
    }
  });
}
