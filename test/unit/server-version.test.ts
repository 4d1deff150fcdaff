import { describe, expect, it } from 'vitest';
import { meaningForPattern, parseVersion, versionNotes, writesStoresAfter30 } from '../../src/core/server-version.js';
import { surrealReads } from '../../src/surreal/store-reader.js';

describe('server versions', () => {
  it('parses what /version and `surreal version` give', () => {
    expect(parseVersion('surrealdb-3.3.5')).toEqual({ major: 3, minor: 3, patch: 5 });
    expect(parseVersion('3.1.0-beta.2')).toEqual({ major: 3, minor: 1, patch: 0 });
    expect(parseVersion('unknown')).toBeNull();
  });

  it('knows which versions write stores a 3.0 engine cannot read', () => {
    expect(writesStoresAfter30(parseVersion('3.0.5')!)).toBe(false);
    expect(writesStoresAfter30(parseVersion('3.1.0')!)).toBe(true);
    expect(writesStoresAfter30(parseVersion('3.3.5')!)).toBe(true);
    expect(writesStoresAfter30(parseVersion('2.6.5')!)).toBe(false);
  });

  it("says what a server's version means for Pattern, whose SDK 2.3 accepts servers below 3.0 only", () => {
    expect(meaningForPattern('3.3.5')).toMatch(/Rust SDK 2\.3, which refuses it .*>=1\.2\.0, <3\.0\.0.*SurrealDB 3 SDK/);
    expect(meaningForPattern('3.0.5')).toMatch(/refuses it/);
    expect(meaningForPattern('2.6.5')).toMatch(/connect to it/);
    expect(versionNotes('3.3.5')).toEqual([expect.stringMatching(/3\.1\+ format: a surreal 3\.1\+ reads them, @surrealdb\/node 3\.0\.x cannot/)]);
    expect(versionNotes('3.0.5')).toEqual([expect.stringMatching(/3\.0 format, which @surrealdb\/node 3\.0\.x reads/)]);
    expect(versionNotes('2.6.5')).toEqual([]);
  });

  it('tells which surreal reads which store format', () => {
    const surreal = (version: string) => ({ version, major: parseVersion(version)!.major });
    expect(surrealReads(surreal('3.3.5'), 'surrealkv-3.1+')).toBe(true);
    expect(surrealReads(surreal('3.0.5'), 'surrealkv-3.1+')).toBe(false);
    expect(surrealReads(surreal('3.0.5'), 'surrealkv-3.0')).toBe(true);
    expect(surrealReads(surreal('3.3.5'), 'surrealkv-3.0')).toBe(true);
    expect(surrealReads(surreal('2.6.5'), 'surrealkv-2')).toBe(true);
    expect(surrealReads(surreal('3.3.5'), 'surrealkv-2')).toBe(false);
    expect(surrealReads(surreal('3.3.5'), 'unknown')).toBe(false);
  });
});
