// The indexes an export file defines, read from its statements as they are scanned anyway (the export's own check,
// a repair, or the import's plan), so the import can plan its work without reading the file once more.
import { parseIndexDefinition, type IndexDefinition } from './index-definition.js';
import type { Major } from './route.js';
import type { Statement } from './surql-scan.js';

export interface ExportIndexes {
  definitions: IndexDefinition[];
  /** The major whose full-text syntax the file uses (SEARCH is 2.x's, FULLTEXT 3.x's); absent without full-text. */
  syntax?: Major;
}

export class ExportIndexReader {
  private readonly definitions: IndexDefinition[] = [];
  private syntax: Major | undefined;

  add(statement: Statement): void {
    const index = statement.kind === 'define' ? parseIndexDefinition(statement.text) : undefined;
    if (!index) return;
    this.definitions.push(index);
    this.syntax ??= /\sFULLTEXT\s+ANALYZER\b/i.test(statement.text) ? 3 : /\sSEARCH\s+ANALYZER\b/i.test(statement.text) ? 2 : undefined;
  }

  result(): ExportIndexes {
    return { definitions: [...this.definitions], ...(this.syntax ? { syntax: this.syntax } : {}) };
  }
}
