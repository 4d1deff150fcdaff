import { describe, expect, it } from 'vitest';
import { unrestorableAccessKey, withoutRedactedRecordKey } from '../../src/core/redacted-access-key.js';

// As SurrealDB 3.3.5 exports them.
const RECORD = "DEFINE ACCESS acc ON DATABASE TYPE RECORD SIGNUP (CREATE user SET name = $name) SIGNIN (SELECT * FROM user WHERE name = $name) WITH JWT ALGORITHM HS512 KEY '[REDACTED]' WITH ISSUER KEY '[REDACTED]' DURATION FOR TOKEN 1h, FOR SESSION 1h;";
const JWT = "DEFINE ACCESS jw ON DATABASE TYPE JWT ALGORITHM HS256 KEY '[REDACTED]' WITH ISSUER KEY '[REDACTED]' DURATION FOR TOKEN 1h, FOR SESSION 1h;";
const PUBLIC = "DEFINE ACCESS rs ON DATABASE TYPE JWT ALGORITHM RS256 KEY '-----BEGIN PUBLIC KEY-----\\nMIIB\\n-----END PUBLIC KEY-----' DURATION FOR SESSION 1h;";

describe('access keys SurrealDB 3 exports as [REDACTED]', () => {
  it('a record access loses only its key clause, so the server makes a new key', () => {
    expect(withoutRedactedRecordKey(RECORD)).toBe(
      'DEFINE ACCESS acc ON DATABASE TYPE RECORD SIGNUP (CREATE user SET name = $name) SIGNIN (SELECT * FROM user WHERE name = $name) DURATION FOR TOKEN 1h, FOR SESSION 1h;',
    );
    expect(unrestorableAccessKey(RECORD)).toBeNull();
  });

  it('a JWT access that verifies tokens signed elsewhere cannot be restored without its key; keys that are shown are left alone', () => {
    expect(withoutRedactedRecordKey(JWT)).toBeUndefined();
    expect(unrestorableAccessKey(JWT)).toMatch(/access jw's key only as '\[REDACTED\]'/);
    expect(withoutRedactedRecordKey(PUBLIC)).toBeUndefined();
    expect(unrestorableAccessKey(PUBLIC)).toBeNull();
    expect(withoutRedactedRecordKey(RECORD.replace(/'\[REDACTED\]'/g, "'real-key'"))).toBeUndefined();
  });
});
