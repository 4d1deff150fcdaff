// The markdown a size's rounds become: per-step medians with their spread and records/s, the ratio, the peak memory
// and CPU time of every kind of process, and what failed, in the programs' own words.
import type { PathRound, SizeRounds } from './bench-round.js';
import { median, spreadOf, type Spread } from './bench-stats.js';

export interface SizeTitle {
  /** e.g. `3.x → 3.x` */
  route: string;
  messages: number;
  /** Records in the store: the unit of records/s. */
  records: number;
  rounds: number;
  driver: string;
  versions: string;
  /** pattern-db and the fast path ran side by side in each round (--paths-at-once). */
  pathsAtOnce?: boolean;
}

const PATHS = [
  { key: 'patternDb', name: 'pattern-db migrate' },
  { key: 'fast', name: 'fast by hand' },
  { key: 'naive', name: 'naive by hand' },
] as const;

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (s: number) => `${s.toFixed(2)} s`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function timeCell(spread: Spread | undefined): string {
  if (!spread) return '—';
  return spread.min === spread.max ? secs(spread.median) : `${secs(spread.median)} (${spread.min.toFixed(2)}–${spread.max.toFixed(2)})`;
}

function rateCell(records: number, spread: Spread | undefined): string {
  return spread && spread.median > 0 ? thousands(records / spread.median) : '—';
}

/** Step names in the order they first appear over the rounds. */
function stepNames(rounds: PathRound[]): string[] {
  const names: string[] = [];
  for (const round of rounds) for (const { step } of round.steps) if (!names.includes(step)) names.push(step);
  return names;
}

function counted(rounds: PathRound[]): PathRound[] {
  return rounds.filter((r) => !r.failure);
}

function stepRows(name: string, rounds: PathRound[], records: number): string[] {
  const rows = stepNames(rounds).map((step) => {
    const spread = spreadOf(rounds.flatMap((r) => r.steps.filter((s) => s.step === step).map((s) => s.seconds)));
    return `| ${name} | ${step} | ${timeCell(spread)} | ${rateCell(records, spread)} |`;
  });
  const total = spreadOf(rounds.map((r) => r.totalSeconds).filter(Number.isFinite));
  rows.push(`| ${name} | **total** | **${timeCell(total)}** | ${rateCell(records, total)} |`);
  return rows;
}

/** The rounds that counted; when none did, what the failed ones took, and why the first failed. */
function pathRows(name: string, rounds: PathRound[], records: number): string[] {
  const ok = counted(rounds);
  if (ok.length) return stepRows(name, ok, records);
  const first = rounds.find((r) => r.failure);
  const timed = rounds.filter((r) => r.steps.length);
  return [
    ...(timed.length ? stepRows(`${name} (failed)`, timed, records) : []),
    `| ${name} | FAILED ${rounds.length} of ${rounds.length} | ${escape(first?.failure ?? 'not run')} | — |`,
  ];
}

/**
 * pattern-db's total over the fast by-hand total, per round where both counted; with `failedFast`, per round where
 * pattern-db counted and the fast path failed but ran to its end (the upgrade: SurrealDB 3 refuses part of the file).
 */
export function ratios(rounds: SizeRounds, failedFast = false): number[] {
  return rounds.patternDb.flatMap((ours, i) => {
    const theirs = rounds.fast[i];
    const timed = theirs && (failedFast ? theirs.failure && Number.isFinite(theirs.totalSeconds) : !theirs.failure);
    return !ours.failure && timed ? [ours.totalSeconds / theirs.totalSeconds] : [];
  });
}

function ratioCell(values: number[]): string | undefined {
  const ratio = spreadOf(values);
  return ratio && `**${ratio.median.toFixed(2)}**${ratio.min === ratio.max ? '' : ` (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`}`;
}

function peakKinds(rounds: SizeRounds): string[] {
  const kinds = new Set<string>();
  for (const { key } of PATHS) for (const round of rounds[key]) for (const kind of round.peaks.keys()) kinds.add(kind);
  return [...kinds].sort();
}

function peakOf(rounds: PathRound[], kind: string): string {
  const values = rounds.flatMap((r) => (r.peaks.has(kind) ? [r.peaks.get(kind)!] : []));
  return values.length ? mb(Math.max(...values)) : '—';
}

const ALL_PROCESSES = 'all of the path’s processes';

function cpuKinds(rounds: SizeRounds): string[] {
  const kinds = new Set<string>();
  for (const { key } of PATHS) for (const round of rounds[key]) for (const kind of round.cpuSeconds?.keys() ?? []) kinds.add(kind);
  return kinds.size ? [...[...kinds].sort(), ALL_PROCESSES] : [];
}

/** The median over the rounds that sampled it, failed rounds included (a 2.x route's by-hand rounds all fail). */
function cpuOf(rounds: PathRound[], kind: string): string {
  const values = rounds.flatMap(({ cpuSeconds }) => {
    if (!cpuSeconds?.size) return [];
    if (kind === ALL_PROCESSES) return [[...cpuSeconds.values()].reduce((a, b) => a + b, 0)];
    return cpuSeconds.has(kind) ? [cpuSeconds.get(kind)!] : [];
  });
  return values.length ? `${median(values).toFixed(1)} s` : '—';
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function outcomeLines(rounds: SizeRounds): string[] {
  return PATHS.flatMap(({ key, name }) => {
    const all = rounds[key];
    if (!all.length) return [];
    const lines = [`- ${name}: ${counted(all).length} of ${all.length} rounds counted`];
    all.forEach((round, i) => {
      if (round.failure || round.detail) lines.push(`  - round ${i + 1}: ${round.failure ? `FAILED: ${round.failure}` : 'ok'}${round.detail ? ` [${round.detail}]` : ''}`);
    });
    return lines;
  });
}

export function sizeTable(title: SizeTitle, rounds: SizeRounds): string {
  const againstFailed = ratioCell(ratios(rounds, true));
  const kinds = peakKinds(rounds);
  const cpu = cpuKinds(rounds);
  // A path that did not run (the naive one, with --skip-naive) has no rows and no column.
  const ran = PATHS.filter(({ key }) => rounds[key].length);
  const naive = rounds.naive.length ? ' Naive: `surreal import` of the whole export.' : ' The naive `surreal import` of the whole export was not run.';
  return [
    `### ${title.route}, ${thousands(title.messages)} messages (${thousands(title.records)} records)`,
    '',
    `${title.versions}; ${title.rounds} round${title.rounds === 1 ? '' : 's'}, ${title.pathsAtOnce ? 'pattern-db and the fast path side by side on the same machine' : 'the paths taking turns at going first'}, each into a fresh memory server; ` +
      `pattern-db --driver ${title.driver}. Medians (min–max) over the rounds that counted; records/s = the store's records / the median. ` +
      'Fast by hand: `surreal export`, every DEFINE INDEX moved to a second file, `surreal import` of the data then of the indexes, ' +
      `no verification (the split is timed apart and left out of its total).${naive}`,
    '',
    '| path | step | time | records/s |',
    '|---|---|---|---|',
    ...ran.flatMap(({ key, name }) => pathRows(name, rounds[key], title.records)),
    `| **ratio** pattern-db / fast by hand | total | ${ratioCell(ratios(rounds)) ?? 'no round where both counted'} | goal ≤ 1.00 |`,
    ...(againstFailed ? [`| ratio pattern-db / fast by hand's failed rounds, timed to their end | total | ${againstFailed} | what it failed to load is missing there |`] : []),
    '',
    `| peak memory (VmHWM, highest over the rounds) | ${ran.map(({ name }) => name).join(' | ')} |`,
    `|---|${ran.map(() => '---|').join('')}`,
    ...(kinds.length ? kinds.map((kind) => `| ${kind} | ${ran.map(({ key }) => peakOf(rounds[key], kind)).join(' | ')} |`) : [`| no process was sampled |${ran.map(() => ' — |').join('')}`]),
    '',
    ...(cpu.length
      ? [
          `| CPU time (user + system, summed over a kind’s processes, median over the rounds) | ${ran.map(({ name }) => name).join(' | ')} |`,
          `|---|${ran.map(() => '---|').join('')}`,
          ...cpu.map((kind) => `| ${kind} | ${ran.map(({ key }) => cpuOf(rounds[key], kind)).join(' | ')} |`),
          '',
        ]
      : []),
    ...outcomeLines(rounds),
    '',
  ].join('\n');
}
