// `npm run bench` (its options: BENCH_USAGE in bench/bench-args.ts).
// For each size, in rounds on the same cached store (bench/bench-store.ts): `pattern-db migrate` (every
// record verified) against the fast by-hand path and the naive one (bench/by-hand-round.ts), each into a fresh memory
// server of the target's major, one after the other, or pattern-db and the fast path side by side (--paths-at-once).
// Prints one markdown table per size (bench/bench-table.ts) and writes it to test-output/bench/<route>-<messages>.md.
// A size whose store or server cannot be had is a line, and the bench goes on; it exits 1 when a size was skipped or a
// round of pattern-db or of the fast path did not count.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../src/files/compiled-path.js';
import { locateSurreal, type SurrealProgram } from '../src/surreal/cli.js';
import { BENCH_USAGE, BenchUsageError, parseBenchArgs, routeName, routeTitle, type BenchArgs, type Major } from './bench-args.js';
import type { BenchContext } from './bench-context.js';
import { failedRound, roundLine, type PathRound, type SizeRounds } from './bench-round.js';
import { benchStore } from './bench-store.js';
import { sizeTable } from './bench-table.js';
import { byHandRound, withNaive, type ByHandRound } from './by-hand-round.js';
import { patternDbRound } from './pattern-db-round.js';
import { sideBySide } from './side-by-side.js';
import { errorText } from '../src/core/error-text.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Whether every round of pattern-db and of the fast path counted (the naive path is expected to fail). */
async function benchSize(args: BenchArgs, programs: Record<Major, SurrealProgram | null>, messages: number): Promise<boolean> {
  const route = routeName(args);
  say(`== ${route}, ${messages} messages`);
  const store = await benchStore(args.engine, messages, {
    fullTextUnbuilt: args.fullTextUnbuilt,
    ...(programs[2] ? { surreal2: programs[2].path } : {}),
    ...(args.stamped ? { stampWith: programs[3]!.path } : {}),
  });
  const records = Object.values(store.counts).reduce((sum, n) => sum + n, 0);
  const ctx: BenchContext = { args, programs, store: store.path, messages: store.counts.msg ?? messages, records };
  const rounds: SizeRounds = { patternDb: [], fast: [], naive: [] };
  for (let round = 1; round <= args.rounds; round++) {
    const byHandPaths = (onStoreCopied?: () => void) =>
      byHandRound(ctx, onStoreCopied).catch((error: unknown) => withNaive(args, failedRound(error), () => failedRound(error)));
    let patternDb: PathRound;
    let byHand: ByHandRound;
    if (args.pathsAtOnce) {
      [patternDb, byHand] = await sideBySide(round, { patternDb: () => patternDbRound(ctx), byHand: byHandPaths, say });
    } else if (round % 2 === 1) {
      // Whichever path goes first in a round meets colder caches: the paths take turns at it.
      patternDb = await patternDbRound(ctx).catch(failedRound);
      byHand = await byHandPaths();
    } else {
      byHand = await byHandPaths();
      patternDb = await patternDbRound(ctx).catch(failedRound);
    }
    rounds.patternDb.push(patternDb);
    rounds.fast.push(byHand.fast);
    if (byHand.naive) rounds.naive.push(byHand.naive);
    const naive = byHand.naive ? `; ${roundLine('naive', byHand.naive)}` : '';
    say(`round ${round}: ${roundLine('pattern-db', patternDb)}; ${roundLine('fast by hand', byHand.fast)}${naive}`);
  }
  const versions = [...new Set([args.engine, args.target])].map((m) => `surreal ${programs[m]!.version}`).join(', ');
  const table = sizeTable(
    { route: routeTitle(args), messages, records, rounds: args.rounds, driver: args.driver, versions, pathsAtOnce: args.pathsAtOnce },
    rounds,
  );
  const file = path.join(repoRoot, 'test-output', 'bench', `${route}-${messages}.md`);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, table);
  process.stdout.write(`${table}\n`);
  say(`written to ${path.relative(process.cwd(), file)}`);
  return [...rounds.patternDb, ...rounds.fast].every((r) => !r.failure);
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    say(`${error.message}\nusage: ${BENCH_USAGE}`);
    return 2;
  }
  const programs: Record<Major, SurrealProgram | null> = {
    2: await locateSurreal(process.env, { major: 2 }).catch(() => null),
    3: await locateSurreal(process.env, { major: 3 }).catch(() => null),
  };
  for (const major of new Set<Major>([args.engine, args.target])) {
    if (programs[major]) continue;
    say(`No surreal ${major}.x found: run scripts/ensure-surreal ${major}, or set ${major === 2 ? 'SURREAL2_BIN' : 'SURREAL_BIN'}.`);
    return 1;
  }
  let failed = 0;
  for (const messages of args.messages) {
    try {
      if (!(await benchSize(args, programs, messages))) failed += 1;
    } catch (error) {
      failed += 1;
      say(`${messages} messages: skipped: ${errorText(error)}`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(errorText(error));
    process.exit(1);
  },
);
