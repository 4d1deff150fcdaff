import { describe, expect, it } from 'vitest';
import { DefinitionComparer } from '../../src/core/definition-compare.js';
import { definedUsers, hidesSecrets, maskSecrets, passhashOf } from '../../src/core/definition-secrets.js';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$7oAMcDZtF6ihiyEHvlgwWA$zdzFS9EA+XPvxO0YuWAtJHE2ofdPSKV9SBtQdg43tU0';
const OTHER = '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$zdzFS9EA+XPvxO0YuWAtJHE2ofdPSKV9SBtQdg43tU0';
const user = (hash: string, roles = 'VIEWER') => `DEFINE USER bob ON DATABASE PASSHASH '${hash}' ROLES ${roles} DURATION FOR TOKEN 1h, FOR SESSION NONE`;
const access = (key: string) => `DEFINE ACCESS acc ON DATABASE TYPE JWT ALGORITHM HS512 KEY '${key}' WITH ISSUER KEY '${key}' DURATION FOR TOKEN 1h, FOR SESSION NONE`;

describe('secrets in definitions', () => {
  it('finds, masks and reads them', () => {
    expect(hidesSecrets(user('[REDACTED]'))).toBe(true);
    expect(hidesSecrets(user(HASH))).toBe(false);
    expect(maskSecrets(user(HASH))).toBe("DEFINE USER bob ON DATABASE PASSHASH '…' ROLES VIEWER DURATION FOR TOKEN 1h, FOR SESSION NONE");
    expect(maskSecrets(access('s3cret'))).not.toContain('s3cret');
    expect(passhashOf(user(HASH))).toBe(HASH);
  });

  it('reads the users of an export, quoted names too', () => {
    const text = `OPTION IMPORT;\n\nDEFINE USER bob ON DATABASE PASSHASH '${HASH}' ROLES VIEWER;\nDEFINE USER \`we ird\` ON DATABASE PASSHASH 'x' ROLES OWNER;\n`;
    const users = definedUsers(text);
    expect([...users.keys()]).toEqual(['bob', 'we ird']);
    expect(passhashOf(users.get('bob')!)).toBe(HASH);
  });
});

describe('a user whose hash the target hides (SurrealDB 3.3.5)', () => {
  const compare = (target: string, exported?: string) => {
    const comparer = new DefinitionComparer(undefined, exported ? { target: new Map([['bob', exported]]) } : {});
    comparer.compare({ users: { bob: user(HASH) } }, { users: { bob: target } }, '');
    return comparer;
  };

  it('is identical when the export shows the same hash', () => {
    const result = compare(user('[REDACTED]'), user(HASH));
    expect(result.differences).toEqual([]);
    expect(result.secrets).toEqual([expect.objectContaining({ name: 'bob', secret: 'password hash', outcome: 'proven' })]);
  });

  it('differs when the export shows another hash, without printing either', () => {
    const result = compare(user('[REDACTED]'), user(OTHER));
    expect(result.differences).toEqual([expect.objectContaining({ name: 'bob', problem: 'changed', detail: expect.stringMatching(/password hash differs/) })]);
    expect(JSON.stringify(result.differences)).not.toContain('argon2');
  });

  it('differs on what INFO still shows (roles)', () => {
    expect(compare(user('[REDACTED]', 'OWNER'), user(HASH)).differences).toHaveLength(1);
  });

  it('is named "not compared" when no export could be read, never identical', () => {
    const result = compare(user('[REDACTED]'));
    expect(result.differences).toEqual([]);
    expect(result.secrets).toEqual([expect.objectContaining({ name: 'bob', outcome: 'not compared' })]);
  });

  it('an access key hidden on both sides is named "not compared"', () => {
    const comparer = new DefinitionComparer();
    comparer.compare({ accesses: { acc: access('[REDACTED]') } }, { accesses: { acc: access('[REDACTED]') } }, '');
    expect(comparer.differences).toEqual([]);
    expect(comparer.secrets.map((s) => [s.secret, s.outcome])).toEqual([['signing key', 'not compared']]);
  });

  it('secrets both sides show are compared as text', () => {
    const comparer = new DefinitionComparer();
    comparer.compare({ users: { bob: user(HASH) } }, { users: { bob: user(OTHER) } }, '');
    expect(comparer.differences).toHaveLength(1);
    expect(comparer.secrets).toEqual([]);
  });
});
