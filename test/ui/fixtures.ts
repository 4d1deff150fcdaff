// Inputs a controller would send, shaped like a real Pattern installation.
import type { PatternDbEvent } from '../../src/core/events.js';
import type { VerifyReport } from '../../src/core/verify-report.js';
import type { MigrationPreview } from '../../src/core/migration-preview.js';
import type { DoneSummary } from '../../src/core/done-summary.js';
import type { WizardInput } from '../../src/ui/contract.js';

export const event = (e: PatternDbEvent): WizardInput => ({ type: 'event', event: e });
export const phase = (p: Extract<WizardInput, { type: 'phase' }>['phase']): WizardInput => ({ type: 'phase', phase: p });
export const status = (step: string, state: 'running' | 'done' | 'failed' | 'skipped'): WizardInput => event({ type: 'status', step, state });

const LONG = '/home/someone/projects/a-rather-long-folder-name/that-keeps-going/and-going/further-still';

export function facts(tableCount = 6, longPaths = false): MigrationPreview {
  const names = ['message', 'memory', 'agent', 'tool_call', 'archival', 'group'];
  const tables = Array.from({ length: tableCount }, (_, i) => ({ table: names[i] ?? `table_${i}`, records: (tableCount - i) * 1_000 + i }));
  const base = longPaths ? LONG : '/home/someone/pattern';
  return {
    configPath: `${base}/pattern.toml`,
    storePath: `${base}/pattern.db`,
    storeBytes: 12_345_678,
    storeFormat: 'surrealkv',
    tables,
    surreal: `3.0.5 at ${base}/bin/surreal (PATH)`,
    engine: '@surrealdb/node 3.0.3 (SurrealDB 3.0.2)',
    exportFile: `${base}/pattern-export.surql`,
    willChange: ['[database] in pattern.toml (after a backup)', 'A SurrealDB server on 127.0.0.1:8000'],
    untouched: ['The embedded store (read from a copy)', 'Every other section of pattern.toml'],
  };
}

export function verifyReport(tables: number, broken = false): VerifyReport {
  const list = Array.from({ length: tables }, (_, i) => {
    const name = i === 0 ? 'message' : `table_${i}`;
    const bad = broken && i === 0;
    const differences = bad ? { examples: ['message:a', 'message:b', 'message:z'], exampleOf: { missing: 'message:a', extra: 'message:z' } } : { examples: [] };
    return { table: name, source: 1_000, target: bad ? 999 : 1_000, missing: bad ? 2 : 0, extra: bad ? 1 : 0, changed: 0, compared: bad ? 1_001 : 1_000, ...differences };
  });
  const method = {
    records: 'hash' as const,
    reason: 'both sides are SurrealDB 3',
    definitions: 'text' as const,
    source: { engine: '@surrealdb/node', major: 3 },
    target: { version: '3.3.5', major: 3 },
  };
  return { ok: !broken, method, compared: [], tables: list, definitions: [], definitionsCompared: 12 * tables, rules: [], secrets: [], records: tables * 1_000 };
}

export const summary: DoneSummary = {
  lines: [
    { label: 'Server', value: 'http://127.0.0.1:8000 (SurrealDB 3.0.5)' },
    { label: 'Export', value: '/home/someone/pattern/pattern-export.surql' },
    { label: 'Backup', value: '/home/someone/pattern/pattern.toml.bak' },
    { label: 'Stop', value: 'pattern-db server stop' },
  ],
  nextCommands: ['pattern-cli agent list', 'pattern-db server status'],
  production: ['Run the server under systemd or another supervisor.'],
};

export const diff = [
  '--- /home/someone/pattern/pattern.toml',
  '+++ /home/someone/pattern/pattern.toml (new)',
  '@@ -1,3 +1,6 @@',
  ' [database]',
  '-type = "surrealkv"',
  '-path = "./pattern.db"',
  '+type = "remote"',
  '+url = "ws://127.0.0.1:8000"',
  '+namespace = "pattern"',
  '+database = "pattern"',
].join('\n');
