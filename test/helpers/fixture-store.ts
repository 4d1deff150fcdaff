// Pattern-shaped stores for tests: generated once per (messages, seed, engine) and copied for each test.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULTS, type RunOptions } from '../../src/core/options.js';
import { generateStore, type FixtureEngine } from '../../src/fixture/generate.js';
import { repoRoot } from './pattern-db.js';
import { surreal2Bin } from './surreal.js';
import { removeWhenFileEnds } from './temp-folders.js';

const cacheRoot = path.join(os.tmpdir(), 'pattern-db-test-fixtures');

/**
 * Stores are cached per version of the generator and of Pattern's schema, so a changed one never serves an old store.
 * The schema counts by what the built generator writes (its statements and version), wherever that is spelled.
 */
async function generatorVersion(): Promise<string> {
  const fixture = path.join(repoRoot, 'dist', 'src', 'fixture');
  const files = (await fs.readdir(fixture)).filter((f) => f.endsWith('.js')).sort().map((f) => path.join(fixture, f));
  const hash = createHash('sha256');
  for (const file of files) hash.update(await fs.readFile(file));
  hash.update(await builtSchemaContent());
  return hash.digest('hex').slice(0, 12);
}

async function builtSchemaContent(): Promise<string> {
  const core = path.join(repoRoot, 'dist', 'src', 'core');
  const text = (await import(pathToFileURL(path.join(core, 'pattern-schema-text.js')).href)) as typeof import('../../src/core/pattern-schema-text.js');
  const schema = (await import(pathToFileURL(path.join(core, 'pattern-schema.js')).href)) as typeof import('../../src/core/pattern-schema.js');
  return JSON.stringify({ 2: text.PATTERN_SCHEMA_2, 3: text.PATTERN_SCHEMA_3, version: schema.PATTERN_SCHEMA_VERSION });
}

async function cachedStore(messages: number, seed: number, engine: FixtureEngine): Promise<{ path: string; counts: Record<string, number> }> {
  const dir = path.join(cacheRoot, `m${messages}-s${seed}-e${engine}-${await generatorVersion()}`);
  const store = path.join(dir, 'pattern.db');
  const countsFile = path.join(dir, 'counts.json');
  const cached = await fs.readFile(countsFile, 'utf8').catch(() => null);
  if (cached) return { path: store, counts: JSON.parse(cached) as Record<string, number> };
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const generated = await generateStore({ out: store, messages, seed, engine, ...(engine === 2 ? { surreal2: await surreal2Bin() } : {}) });
  await fs.writeFile(countsFile, JSON.stringify(generated.counts));
  return { path: store, counts: generated.counts };
}

export const PATTERN_TOML = `# Pattern config (test copy)
[user]
id = "188aa44f0c9f458e8adb4232332ce8fe"   # keep it
name = "Test Constellation"

[agent]
name = "Pattern"
system_prompt_path = "pattern-system-prompt.md"

[context]                       # ignored by Pattern, must survive
max_messages = 200

[model]
provider = "Anthropic"
model = "claude-sonnet-4"

[database]
type = "embedded"               # moved by pattern-db
path = "./pattern.db"
strict_mode = false

[[groups]]
name = "Pattern Cluster"
description = "Public-facing constellation"
pattern = { type = "dynamic", selector = "supervisor" }
`;

export interface PatternFolder {
  dir: string;
  configPath: string;
  storePath: string;
  counts: Record<string, number>;
}

/**
 * A fresh folder holding pattern.toml and a copy of a generated store at ./pattern.db, written by SurrealDB `engine`
 * (2 as in every Pattern installation, through a surreal 2.x; 3 through @surrealdb/node).
 */
export async function patternFolder(messages: number, seed = 1, toml = PATTERN_TOML, engine: FixtureEngine = 3): Promise<PatternFolder> {
  const store = await cachedStore(messages, seed, engine);
  const dir = removeWhenFileEnds(await fs.mkdtemp(path.join(os.tmpdir(), 'pattern-db-test-')));
  const storePath = path.join(dir, 'pattern.db');
  await fs.cp(store.path, storePath, { recursive: true, filter: (src) => path.basename(src) !== 'LOCK' });
  const configPath = path.join(dir, 'pattern.toml');
  await fs.writeFile(configPath, toml);
  return { dir, configPath, storePath, counts: store.counts };
}

/** A digest of every file in a folder, to prove a store was not touched. */
export async function folderDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = (await fs.readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const file of entries) {
    hash.update(path.relative(dir, file));
    hash.update(await fs.readFile(file));
  }
  return hash.digest('hex');
}

/** Run options for an interactive run (the wizard) inside a pattern folder, with nothing answered up front. */
export function interactiveOptions(folder: PatternFolder): RunOptions {
  return {
    ...DEFAULTS,
    cwd: folder.dir,
    exportFile: path.join(folder.dir, 'pattern_export.surql'),
    stateDir: path.join(folder.dir, '.pattern-db'),
    yes: false,
    dryRun: false,
    resume: false,
    writeEnv: false,
  };
}
