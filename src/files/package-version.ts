// The version in pattern-db's own package.json: what `pattern-db --version` prints.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './compiled-path.js';

export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}
