// The flags of `npm run bench`, read and checked: a wrong flag is a usage line, never a stack.
import { parseArgs } from 'node:util';
import { errorText } from '../src/core/error-text.js';

export type Major = 2 | 3;
export type Driver = 'auto' | 'cli' | 'sdk';

export interface BenchArgs {
  /** Store sizes, in messages, run one after the other. */
  messages: number[];
  rounds: number;
  driver: Driver;
  /** The SurrealDB that wrote the store. */
  engine: Major;
  /** The SurrealDB the data goes to. */
  target: Major;
  /**
   * Engine 2 only: a store whose full-text indexes are defined but unbuilt (src/fixture/surreal2-writer.ts), generated
   * in minutes where the whole store takes hours at 100,000 messages. It favours the by-hand path, whose 2.x export
   * reads every key; pattern-db's snapshot leaves the index data out either way.
   */
  fullTextUnbuilt: boolean;
  /**
   * Engine 3 only: the generated store as the first surreal 3.1+ to open it leaves it (bench-store.ts), in the format
   * of a store SurrealDB 3.1 or later wrote, which the 3.0 engine cannot read: pattern-db reads it through a private
   * surreal 3.x, and `--driver sdk` is refused.
   */
  stamped: boolean;
  /** Whether the naive `surreal import` runs too: where it fails anyway, leaving it out saves up to three times the fast path's time. */
  naive: boolean;
  /** How long one command (pattern-db migrate, a `surreal export` or `surreal import`) may run before it is killed and its round fails. */
  timeoutMinutes: number;
  /**
   * pattern-db and the fast path run side by side in each round instead of one after the other: for routes where both
   * spend nearly all their time in one core's work (2.6.5 building a full-text index), a round then takes as long as
   * its longer path instead of both together.
   */
  pathsAtOnce: boolean;
}

/** How long one command may run unless --timeout-minutes says otherwise. */
const DEFAULT_TIMEOUT_MINUTES = 60;

export const BENCH_USAGE =
  `npm run bench -- [--messages 5000,20000,100000] [--rounds R] [--driver auto|cli|sdk] [--engine 2|3] [--target-version 2|3] [--full-text-unbuilt | --stamped] [--skip-naive [--paths-at-once]] [--timeout-minutes ${DEFAULT_TIMEOUT_MINUTES}]`;

export class BenchUsageError extends Error {}

function major(name: string, text: string): Major {
  if (text === '2' || text === '3') return Number(text) as Major;
  throw new BenchUsageError(`--${name} must be 2 or 3, got "${text}"`);
}

function positiveInteger(name: string, text: string): number {
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new BenchUsageError(`--${name} takes whole numbers above 0, got "${text}"`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        messages: { type: 'string', default: '5000,20000' },
        rounds: { type: 'string', default: '3' },
        driver: { type: 'string', default: 'auto' },
        engine: { type: 'string', default: '3' },
        'target-version': { type: 'string' },
        'skip-naive': { type: 'boolean', default: false },
        'full-text-unbuilt': { type: 'boolean', default: false },
        stamped: { type: 'boolean', default: false },
        'paths-at-once': { type: 'boolean', default: false },
        'timeout-minutes': { type: 'string', default: String(DEFAULT_TIMEOUT_MINUTES) },
      },
    }));
  } catch (error) {
    throw new BenchUsageError(errorText(error));
  }
  const messages = values.messages.split(',').map((part) => positiveInteger('messages', part.trim()));
  const rounds = positiveInteger('rounds', values.rounds);
  if (values.driver !== 'auto' && values.driver !== 'cli' && values.driver !== 'sdk') throw new BenchUsageError(`--driver must be auto, cli or sdk, got "${values.driver}"`);
  const engine = major('engine', values.engine);
  const target = major('target-version', values['target-version'] ?? values.engine);
  if (engine === 3 && target === 2) throw new BenchUsageError('A store written by SurrealDB 3 cannot go to a SurrealDB 2 server: drop --target-version 2.');
  const fullTextUnbuilt = values['full-text-unbuilt'];
  if (fullTextUnbuilt && engine !== 2) throw new BenchUsageError('--full-text-unbuilt is for stores written by SurrealDB 2: add --engine 2.');
  const stamped = values.stamped;
  if (stamped && engine !== 3) throw new BenchUsageError('--stamped is for stores written by SurrealDB 3: drop --engine 2.');
  if (stamped && values.driver === 'sdk') throw new BenchUsageError("--stamped gives a store the in-process engine (SurrealDB 3.0) cannot read: --driver sdk would be refused. Use auto or cli.");
  const timeoutMinutes = positiveInteger('timeout-minutes', values['timeout-minutes']);
  const pathsAtOnce = values['paths-at-once'];
  const naive = !values['skip-naive'];
  // The naive path would start once the fast one ends, beside whatever is left of pattern-db's: neither timed alone nor side by side.
  if (pathsAtOnce && naive) throw new BenchUsageError('--paths-at-once runs pattern-db and the fast path side by side, without the naive one: add --skip-naive.');
  return { messages, rounds, driver: values.driver, engine, target, fullTextUnbuilt, stamped, naive, timeoutMinutes, pathsAtOnce };
}

type RouteArgs = Pick<BenchArgs, 'engine' | 'target' | 'fullTextUnbuilt' | 'stamped'>;

/** How the route is named in file names: `3-to-3`, `2-to-3`, `2-to-3-unbuilt`, `3-to-3-stamped`. */
export function routeName(args: RouteArgs): string {
  return `${args.engine}-to-${args.target}${args.fullTextUnbuilt ? '-unbuilt' : ''}${args.stamped ? '-stamped' : ''}`;
}

/** How the route is named in titles: `3.x → 3.x`, `2.x (full-text indexes unbuilt) → 3.x`, `3.x (3.1+ format) → 3.x`. */
export function routeTitle(args: RouteArgs): string {
  return `${args.engine}.x${args.fullTextUnbuilt ? ' (full-text indexes unbuilt)' : ''}${args.stamped ? ' (3.1+ format)' : ''} → ${args.target}.x`;
}
