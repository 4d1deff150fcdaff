import { describe, expect, it } from 'vitest';
import { V3IssueReader } from '../../src/core/v3-issues.js';

// As SurrealDB 2.6.5 prints them (colours included).
const WITH_SNIPPET = [
  '\u001b[2m2026-11-30T05:31:58.582053Z\u001b[0m \u001b[33m WARN\u001b[0m \u001b[2msurrealdb_core::kvs::ds\u001b[0m\u001b[2m:\u001b[0m Export for version 3 encountered issue: The `SEARCH` index has been renamed to `FULLTEXT` and some of it\'s parameters have been removed',
  ' --> [1:37]',
  '  |',
  '1 | DEFINE INDEX s ON msg FIELDS content FULLTEXT ANALYZER a BM25(1.2,0.75)',
  '  |                                     ^^^^^^^^^^^^^^^^^^^  \u001b[3missue\u001b[0m\u001b[2m=\u001b[0m"search index" \u001b[3mseverity\u001b[0m\u001b[2m=\u001b[0m"unlikely_break"',
];

describe('V3IssueReader', () => {
  it('reads a warning with its snippet, its kind and its severity', () => {
    const reader = new V3IssueReader();
    for (const line of ['INFO something else', ...WITH_SNIPPET, 'INFO The SurrealQL file was exported successfully']) reader.line(line);
    reader.flush();
    expect(reader.issues).toEqual([
      {
        message: "The `SEARCH` index has been renamed to `FULLTEXT` and some of it's parameters have been removed",
        kind: 'search index',
        severity: 'unlikely_break',
        location: ' --> [1:37]\n  |\n1 | DEFINE INDEX s ON msg FIELDS content FULLTEXT ANALYZER a BM25(1.2,0.75)\n  |                                     ^^^^^^^^^^^^^^^^^^^',
      },
    ]);
  });

  it('reads a warning on one line, and one whose fields never came', () => {
    const reader = new V3IssueReader();
    reader.line('WARN x: Export for version 3 encountered issue: Found use of deprecated `MTREE` index issue="mtree index" severity="will_break"');
    reader.line('WARN x: Export for version 3 encountered issue: cut short');
    reader.flush();
    expect(reader.issues).toEqual([
      { message: 'Found use of deprecated `MTREE` index', kind: 'mtree index', severity: 'will_break' },
      { message: 'cut short' },
    ]);
  });
});
