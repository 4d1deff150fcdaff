import { describe, expect, it } from 'vitest';
import { serverText } from '../../src/surreal/http.js';

describe('serverText', () => {
  it("gives a SurrealDB 2 refusal in the words 3.x uses, without 2.x's generic prefix", () => {
    // 2.6.5's 401 to a wrong password on /sql, and 3.3.5's.
    expect(serverText('There was a problem with the database: The password did not verify')).toBe('The password did not verify');
    expect(serverText('The password did not verify')).toBe('The password did not verify');
    // 2.6.5's 400 to a query it cannot parse.
    const parse = JSON.stringify({ code: 400, details: 'Request problems detected', information: 'There was a problem with the database: Parse error: Unexpected token' });
    expect(serverText(parse)).toBe('Parse error: Unexpected token');
    expect(serverText(JSON.stringify({ code: 401, information: 'There was a problem with authentication' }))).toBe('There was a problem with authentication');
  });
});
