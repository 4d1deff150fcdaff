// What a DEFINE INDEX statement builds: its name, its table and what kind of index it is (which decides its cost).
export type IndexKind = 'full-text' | 'vector' | 'plain';

export interface IndexDefinition {
  name: string;
  table: string;
  kind: IndexKind;
}

const IDENT = String.raw`(?:\`[^\`]*\`|⟨[^⟩]*⟩|[A-Za-z0-9_]+)`;
const DEFINE_INDEX = new RegExp(String.raw`^DEFINE\s+INDEX\s+(?:(?:IF\s+NOT\s+EXISTS|OVERWRITE)\s+)?(${IDENT})\s+ON\s+(?:TABLE\s+)?(${IDENT})`, 'i');

const unquote = (ident: string): string => (/^[`⟨]/.test(ident) ? ident.slice(1, -1) : ident);

/** The index a statement defines, or undefined when it is not a DEFINE INDEX. */
export function parseIndexDefinition(text: string): IndexDefinition | undefined {
  const match = DEFINE_INDEX.exec(text);
  if (!match) return undefined;
  // SEARCH is 2.x's full-text syntax, FULLTEXT 3.x's; HNSW and MTREE are vector indexes.
  const kind: IndexKind = /\s(?:SEARCH|FULLTEXT)\s+ANALYZER\b/i.test(text) ? 'full-text' : /\s(?:HNSW|MTREE)\b/i.test(text) ? 'vector' : 'plain';
  return { name: unquote(match[1]!), table: unquote(match[2]!), kind };
}
