// `pattern-db demo`: a Pattern folder to try the whole flow on, for people who have none yet.
import path from 'node:path';
import { asPatternDbError, EXIT_CODES, exitCodeFor, PatternDbError } from '../core/errors.js';
import { writeDemo } from '../fixture/demo.js';
import type { FixtureEngine } from '../fixture/generate.js';
import type { Io } from './command-runner.js';
import { formatError } from '../render/plain.js';
import { seconds } from '../core/seconds-text.js';

function engineOf(text: string | undefined): FixtureEngine {
  if (text === undefined || text === '2') return 2;
  if (text === '3') return 3;
  throw new PatternDbError('E_USAGE', `--engine must be 2 or 3, got "${text}".`, {
    fix: 'Use --engine 2 (a store written by SurrealDB 2, as Pattern writes it) or --engine 3 (written by SurrealDB 3).',
  });
}

export async function runDemo(flags: { dir?: string; messages?: string; seed?: string; engine?: string }, io: Io): Promise<number> {
  const dir = path.resolve(flags.dir ?? 'pattern-demo');
  try {
    const started = Date.now();
    const engine = engineOf(flags.engine);
    const demo = await writeDemo({ dir, messages: Number(flags.messages ?? 2000), seed: Number(flags.seed ?? 1), engine });
    const total = Object.values(demo.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    io.stdout.write(
      `Demo ready in ${dir} (${total} records, ${seconds(Date.now() - started)}):\n` +
        `  config: ${demo.configPath}\n  store:  ${demo.storePath} (written by SurrealDB ${demo.engine})\n` +
        `Try it:\n  cd ${path.relative(process.cwd(), dir) || '.'} && SURREAL_PASS=… pattern-db migrate --start-server memory\n`,
    );
    return EXIT_CODES.ok;
  } catch (error) {
    const failure = asPatternDbError(error);
    io.stderr.write(formatError(failure));
    return exitCodeFor(failure);
  }
}
