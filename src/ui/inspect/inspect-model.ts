// The inspector's model: its views, view state and actions, as types only. The reducer, the key map, the layout and
// the selectors all read these; none of them is imported back.
import type { OutcomeError, QueryOutcome, Selection, SourceDescription } from '../../core/inspect-types.js';

/** The parts of Ink's key object the inspector reads. */
export interface InkKey {
  upArrow: boolean;
  downArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  backspace: boolean;
  delete: boolean;
  tab: boolean;
  shift: boolean;
  meta: boolean;
}

export type View =
  | { kind: 'tree' }
  | { kind: 'records'; selection: Selection; table: string }
  | { kind: 'record'; selection: Selection; table: string; id: string }
  | { kind: 'definition'; selection: Selection; table: string }
  | { kind: 'database'; selection: Selection }
  | { kind: 'console' }
  | { kind: 'status' }
  | { kind: 'help' };

export interface Frame {
  view: View;
  /** Lists: the row under the cursor (records: within the page). */
  cursor: number;
  /** The first row shown; for text views the scroll position. */
  top: number;
  /** Records: the page shown (PAGE_SIZE records each). */
  page: number;
  filter: string;
  /** A record: the edge chosen with tab (incoming ones first), whose other end enter opens. */
  edge?: number;
}

export type Loadable<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; error: OutcomeError };

export interface ConsoleState {
  draft: string;
  /** Oldest first, as kept across sessions. */
  history: string[];
  /** The history entry shown in the input, while it is unchanged. */
  recall: number | null;
  seq: number;
  /** A query handed to the controller: `record` means it is new and goes into the history file. */
  running: { seq: number; text: string; confirmed: boolean; record: boolean } | null;
  confirm: { text: string; statement: string; keyword: string; reachesLive: boolean } | null;
  outcome: QueryOutcome | { kind: 'cancelled' } | null;
  scroll: number;
}

export interface InspectState {
  columns: number;
  rows: number;
  source: SourceDescription;
  stack: Frame[];
  filterEditing: boolean;
  /** The database the console runs in: follows the tree cursor and the views opened from it. */
  selection: Selection | undefined;
  /** Whether the tree cursor was placed on the wanted database after the first read. */
  placed: boolean;
  data: Record<string, Loadable<unknown>>;
  /** Page keys, least recently read first: only a few pages stay in memory. */
  pages: string[];
  console: ConsoleState;
  /** q or ctrl-c was pressed: the app exits. */
  quitting: boolean;
}

export type InspectAction =
  /** A key, read against the newest state (keys can arrive faster than renders). */
  | { type: 'key'; input: string; key: InkKey }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'move'; delta: number }
  | { type: 'page'; delta: number }
  | { type: 'edge'; to: 'first' | 'last' }
  /** A record: choose the next (or previous) of its edges. */
  | { type: 'chooseEdge'; delta: number }
  | { type: 'open' }
  | { type: 'definition' }
  | { type: 'back' }
  | { type: 'show'; view: 'console' | 'status' | 'help' }
  | { type: 'refresh' }
  | { type: 'filterStart' }
  | { type: 'filterType'; text: string }
  | { type: 'filterErase' }
  | { type: 'filterDone' }
  | { type: 'filterClear' }
  | { type: 'consoleType'; text: string }
  | { type: 'consoleErase' }
  | { type: 'consoleRecall'; delta: number }
  | { type: 'consoleRun' }
  | { type: 'consoleAnswer'; yes: boolean }
  | { type: 'queryDone'; seq: number; outcome: QueryOutcome }
  | { type: 'loading'; key: string }
  | { type: 'loaded'; key: string; value: unknown }
  | { type: 'failed'; key: string; error: OutcomeError };
