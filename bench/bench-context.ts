// What every round of one size needs to know: the flags, the surreal programs, the cached store and its size.
import type { SurrealProgram } from '../src/surreal/cli.js';
import type { BenchArgs, Major } from './bench-args.js';

export interface BenchContext {
  args: BenchArgs;
  programs: Record<Major, SurrealProgram | null>;
  /** The cached store's folder: pattern-db reads it in place, the by-hand paths a throwaway copy (bench-server.ts). */
  store: string;
  messages: number;
  records: number;
}

/** How long one command of a round may run (`--timeout-minutes`). */
export const commandLimitMs = (ctx: BenchContext): number => ctx.args.timeoutMinutes * 60_000;

/** The surreal program of a major; the bench checks they exist before the first round. */
export function programOf(ctx: BenchContext, major: Major): string {
  const program = ctx.programs[major];
  if (!program) throw new Error(`no surreal ${major}.x`);
  return program.path;
}
