// useReducer for a view driven by keys. A key can reach the handler of an earlier render (Ink subscribes the new one
// only after the render), so a handler must not read the state its render closed over: `newest()` is the state after
// every action so far, brought forward by `act` at once, before it hands the action to React.
import { useCallback, useReducer, useRef } from 'react';

export interface NewestReducer<S, A> {
  /** The state of this render. */
  state: S;
  act: (action: A) => void;
  /** The state after every action so far, drawn or not. */
  newest: () => S;
}

/** `reducer` must be pure and keep its identity (a module-level function): `act` applies it once more itself. */
export function useNewestReducer<S, A>(reducer: (state: S, action: A) => S, init: () => S): NewestReducer<S, A> {
  const [state, dispatch] = useReducer(reducer, undefined, init);
  const newest = useRef(state);
  // A render holds every action dispatched before it, so its state is the newest one.
  newest.current = state;
  const act = useCallback(
    (action: A) => {
      newest.current = reducer(newest.current, action);
      dispatch(action);
    },
    [reducer],
  );
  const read = useCallback(() => newest.current, []);
  return { state, act, newest: read };
}
