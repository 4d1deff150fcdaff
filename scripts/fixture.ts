// `npm run fixture -- --out DIR --messages N [--seed S] [--engine 2|3]`: writes a Pattern-shaped embedded store.
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, generateStore, type FixtureEngine } from '../src/fixture/generate.js';
import { errorText } from '../src/core/error-text.js';

const USAGE =
  'usage: npm run fixture -- --out DIR --messages N [--seed S] [--engine 2|3]\n' +
  '  --engine 2   written by SurrealDB 2 (a surreal 2.x: SURREAL2_BIN, PATH, or scripts/ensure-surreal 2), as Pattern writes it\n' +
  '  --engine 3   written by SurrealDB 3 through @surrealdb/node (the default)';

function usage(problem: string): never {
  process.stderr.write(`fixture: ${problem}\n${USAGE}\n`);
  process.exit(2);
}

function wholeNumber(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) usage(`--${name} is required`);
    return fallback;
  }
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) usage(`--${name} must be a whole number, got "${text}"`);
  return Number(text);
}

function engineOf(text: string | undefined): FixtureEngine {
  if (text === undefined || text === '3') return 3;
  if (text === '2') return 2;
  usage(`--engine must be 2 or 3, got "${text}"`);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB`;
}

async function main(): Promise<void> {
  let values: { out?: string; messages?: string; seed?: string; engine?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { out: { type: 'string' }, messages: { type: 'string' }, seed: { type: 'string' }, engine: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    usage(errorText(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.out) usage('--out is required');
  const messages = wholeNumber('messages', values.messages);
  const seed = wholeNumber('seed', values.seed, DEFAULT_SEED);
  const engine = engineOf(values.engine);

  let lastLine = 0;
  const result = await generateStore({
    out: values.out,
    messages,
    seed,
    engine,
    onProgress: (done, total) => {
      const now = Date.now();
      if (done !== total && now - lastLine < 1000) return;
      lastLine = now;
      process.stderr.write(`messages ${done}/${total}\n`);
    },
  });

  const width = Math.max(...Object.keys(result.counts).map((t) => t.length));
  const lines = Object.entries(result.counts).map(([table, n]) => `  ${table.padEnd(width)}  ${n}`);
  process.stdout.write(
    `store    ${result.path}\nengine   SurrealDB ${result.engine}\nseed     ${seed}\nsize     ${megabytes(result.bytes)} (${result.bytes} bytes)\ntime     ${(result.ms / 1000).toFixed(1)} s\nrecords\n${lines.join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  const message = errorText(error);
  const fix = (error as { fix?: string }).fix;
  process.stderr.write(`fixture: ${message}\n${fix ? `${fix}\n` : ''}`);
  process.exit(1);
});
