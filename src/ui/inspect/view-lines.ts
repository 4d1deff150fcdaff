// What the scrolling views show, as styled lines: definitions, a record and its edges, server facts, help, results.
import { INDEX_KIND_LABEL, DATABASE_DEFINITION_KINDS } from '../../core/info-definitions.js';
import type {
  DatabaseDefinitions,
  QueryOutcome,
  RecordDetail,
  SourceDescription,
  SourceStatus,
  StatementOutcome,
  TableDefinition,
} from '../../core/inspect-types.js';
import { flatRows } from '../../core/inspect-value.js';
import { plain, wrapText, type StyledLine } from './styled.js';
import { tableLines, valueLines } from './value-format.js';

const heading = (text: string): StyledLine => [{ text, tone: 'heading' }];
const blank: StyledLine = [];

/** "DEFINE FIELD name ON msg TYPE string" → "TYPE string": the list already shows the name and the table. */
export function definitionTail(text: string): string {
  return text.replace(/^DEFINE\s+\w+\s+(?:OVERWRITE\s+|IF\s+NOT\s+EXISTS\s+)?\S+\s+ON\s+(?:TABLE\s+)?\S+\s*/i, '') || text;
}

function nameColumn(names: string[]): number {
  return Math.min(28, Math.max(8, ...names.map((n) => n.length)));
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '?' : n.toLocaleString('en-US');
}

export function definitionLines(def: TableDefinition, count?: number): StyledLine[] {
  const lines: StyledLine[] = [
    [
      { text: `Table ${def.table}`, tone: 'heading' },
      { text: `  ${def.schema}, TYPE ${def.type}${count !== undefined ? `, ${formatCount(count)} records` : ''}`, tone: 'dim' },
    ],
    plain(def.text || '(no DEFINE TABLE: the table exists because records were written to it)', def.text ? undefined : 'dim'),
    [{ text: 'Permissions: ', tone: 'key' }, { text: def.permissions || '(none stated)' }],
    blank,
  ];
  const section = (title: string, items: Array<{ name: string; text: string }>, kind?: (i: number) => string) => {
    lines.push(heading(`${title} (${items.length})`));
    if (!items.length) lines.push(plain('  none', 'dim'));
    const width = nameColumn(items.map((i) => i.name));
    items.forEach((item, i) => {
      lines.push([
        { text: `  ${item.name.padEnd(width)}  `, tone: 'key' },
        ...(kind ? [{ text: `${kind(i).padEnd(16)}`, tone: 'accent' as const }] : []),
        { text: definitionTail(item.text) },
      ]);
    });
    lines.push(blank);
  };
  section('Fields', def.fields);
  section('Indexes', def.indexes, (i) => INDEX_KIND_LABEL[def.indexes[i]!.kind]);
  section('Events', def.events);
  return lines.slice(0, -1);
}

const KIND_TITLES: Record<string, string> = {
  analyzers: 'Analyzers',
  functions: 'Functions',
  params: 'Params',
  users: 'Users (password hashes hidden)',
  accesses: 'Accesses (keys hidden)',
  sequences: 'Sequences',
};

export function databaseLines(name: string, defs: DatabaseDefinitions): StyledLine[] {
  const lines: StyledLine[] = [heading(`Database ${name}`), blank];
  const kinds = [...DATABASE_DEFINITION_KINDS, ...Object.keys(defs).filter((k) => !(DATABASE_DEFINITION_KINDS as readonly string[]).includes(k))];
  for (const kind of kinds) {
    const items = defs[kind] ?? [];
    lines.push(heading(`${KIND_TITLES[kind] ?? kind} (${items.length})`));
    if (!items.length) lines.push(plain('  none', 'dim'));
    for (const item of items) lines.push([{ text: `  ${item.name}  `, tone: 'key' }, { text: item.text }]);
    lines.push(blank);
  }
  return lines.slice(0, -1);
}

/** Marks the edge chosen with tab. */
export const CHOSEN_MARK = '▸';

export function recordLines(detail: RecordDetail, width: number, chosenEdge?: number): StyledLine[] {
  let index = 0;
  if (!detail.record) return [plain(`${detail.id} does not exist (any more).`, 'warn')];
  const lines: StyledLine[] = [...valueLines(detail.record, width), blank];
  const edges = (title: string, arrow: string, rows: RecordDetail['incoming']) => {
    const more = rows.length >= detail.edgeLimit ? ` (first ${detail.edgeLimit})` : '';
    lines.push(heading(`${title} (${rows.length}${more})`));
    if (!rows.length) lines.push(plain('  none', 'dim'));
    for (const edge of rows) {
      const chosen = index++ === chosenEdge;
      const head: StyledLine = [
        { text: `${chosen ? CHOSEN_MARK : ' '} ${arrow} `, tone: chosen ? 'accent' : 'punct' },
        { text: edge.id, tone: 'record' },
        { text: arrow === '←' ? '  from ' : '  to ', tone: 'dim' },
        { text: edge.other, tone: 'record' },
      ];
      lines.push(head);
    }
  };
  edges('Edges in', '←', detail.incoming);
  lines.push(blank);
  edges('Edges out', '→', detail.outgoing);
  return lines;
}

export function statusLines(status: SourceStatus, description: SourceDescription): StyledLine[] {
  const row = (key: string, value: string, tone?: StyledLine[number]['tone']): StyledLine => [
    { text: `${key.padEnd(10)}`, tone: 'key' },
    tone ? { text: value, tone } : { text: value },
  ];
  return [
    row('Source', status.kind === 'server' ? `server ${status.location}` : `embedded store ${status.location}`),
    ...(status.snapshot ? [row('Snapshot', `${status.snapshot} (a copy; removed when the inspector closes)`)] : []),
    row('Version', status.kind === 'server' ? `SurrealDB ${status.version}` : status.version),
    row('Health', status.healthy ? `healthy (${status.health})` : `NOT healthy: ${status.health}`, status.healthy ? 'done' : 'error'),
    row('Latency', `${status.latencyMs.toFixed(1)} ms (median of 5 round trips)`),
    ...(status.user ? [row('User', status.user)] : []),
    row('Mode', description.writable ? 'writes allowed after a yes (--write)' : 'read-only', description.writable ? 'warn' : undefined),
  ];
}

const HELP_KEYS: Array<[string, string]> = [
  ['↑/↓', 'move in a list, scroll a page of text'],
  ['enter', 'open: a table\'s records, a record, a database\'s definitions'],
  ['pgup/pgdn', 'previous/next page of records (50 at a time, read from the database)'],
  ['g/G', 'first/last page'],
  ['tab', 'in a record: choose one of its edges; enter opens the record at its other end'],
  ['d', 'the definition of the table (fields, indexes, events, permissions), or of the database'],
  ['c', 'query console: enter adds a line, ctrl-d runs, ↑/↓ recall history while the input is empty'],
  ['f', 'server facts: version, health, latency'],
  ['/', 'filter the list in view (enter keeps it, esc clears it)'],
  ['r', 'read the tree and counts again'],
  ['esc/backspace', 'back'],
  ['?', 'this help (a narrow legend leaves some keys out; all of them are here)'],
  ['q, ctrl-c', 'quit'],
];

export function helpLines(description: SourceDescription, width: number): StyledLine[] {
  const lines: StyledLine[] = [heading('Keys')];
  for (const [keys, what] of HELP_KEYS) {
    // Descriptions wrap under themselves, beside the key column.
    wrapText(what, width - 16).forEach((line, i) => lines.push([{ text: i ? ' '.repeat(16) : `  ${keys.padEnd(14)}`, tone: 'key' }, ...line]));
  }
  lines.push(blank, heading('Read-only'));
  lines.push(
    ...wrapText(
      description.writable
        ? 'Opened with --write: a statement that changes data runs only after you answer y.'
        : 'Console queries run as a user that can only read, so the server refuses any change; statements that plainly change data (CREATE, UPDATE, DELETE, DEFINE, REMOVE, …) are refused before they are sent. Open with --write to allow them.',
      width,
    ),
  );
  if (description.snapshot) lines.push(...wrapText('This is a snapshot copy of the store: nothing done here reaches the folder Pattern uses.', width, 'dim'));
  return lines;
}

function statementLines(statement: StatementOutcome, index: number, width: number): StyledLine[] {
  const lines: StyledLine[] = [
    [
      { text: `[${index + 1}] `, tone: 'punct' },
      statement.status === 'OK' ? { text: 'OK', tone: 'done' } : { text: 'ERR', tone: 'error' },
      { text: statement.time ? `  ${statement.time}` : '', tone: 'dim' },
      { text: statement.text ? `  ${statement.text.replace(/\s+/g, ' ')}` : '', tone: 'dim' },
    ],
  ];
  if (statement.status === 'ERR') {
    for (const line of (statement.error ?? '').split('\n')) lines.push(plain(`  ${line}`, 'error'));
    return lines;
  }
  const result = statement.result;
  if (!result) return lines;
  const rows = flatRows(result);
  const body = rows ? tableLines(rows, width - 2) : valueLines(result, width - 2);
  if (result.type === 'array' && result.items.length === 0) body.splice(0, body.length, plain('(no rows)', 'dim'));
  return [...lines, ...body.map((line): StyledLine => [{ text: '  ' }, ...line])];
}

export function outcomeLines(outcome: QueryOutcome | { kind: 'cancelled' }, width: number): StyledLine[] {
  switch (outcome.kind) {
    case 'cancelled':
      return [plain('Not run.', 'dim')];
    case 'confirm':
      return [];
    case 'refused':
      return [
        [{ text: `Refused (${outcome.error.code})`, tone: 'error' }],
        ...wrapText(outcome.error.message, width),
        ...(outcome.error.fix ? wrapText(outcome.error.fix, width, 'dim') : []),
      ];
    case 'failed':
      return [
        [{ text: `The query failed after ${outcome.elapsedMs.toFixed(1)} ms `, tone: 'error' }, { text: `(${outcome.error.code})`, tone: 'dim' }],
        // Parse errors point at a column with ^: their lines are kept as they are.
        ...outcome.error.message.split('\n').map((line) => plain(line, 'error')),
        ...(outcome.error.fix ? wrapText(outcome.error.fix, width, 'dim') : []),
      ];
    case 'done': {
      const errors = outcome.statements.filter((s) => s.status === 'ERR').length;
      const lines: StyledLine[] = [
        [
          { text: `${outcome.statements.length} statement${outcome.statements.length === 1 ? '' : 's'} in ${outcome.elapsedMs.toFixed(1)} ms`, tone: 'heading' },
          ...(errors ? [{ text: `  ${errors} failed`, tone: 'error' as const }] : []),
        ],
      ];
      outcome.statements.forEach((s, i) => lines.push(...statementLines(s, i, width)));
      return lines;
    }
  }
}

export function confirmLines(confirm: { statement: string; keyword: string; reachesLive: boolean }, width: number): StyledLine[] {
  return [
    [{ text: `This statement changes data (${confirm.keyword}):`, tone: 'warn' }],
    ...wrapText(confirm.statement, width - 2).map((line): StyledLine => [{ text: '  ' }, ...line]),
    ...wrapText(
      confirm.reachesLive
        ? 'It runs on the server itself. Run it? y = yes, n = no'
        : 'It runs on the snapshot copy; the store Pattern uses is never changed. Run it? y = yes, n = no',
      width,
      'warn',
    ),
  ];
}
