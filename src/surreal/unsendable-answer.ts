// A query whose answer holds a value CBOR has no encoding for (a regex such as /a/; on 2.x a closure too). SurrealDB
// runs the query first and encodes its answer after, so the statements ran (writes included) and only the answer is
// lost: /rpc gives a 400 in place of it, in words that do not say so.
import { PatternDbError } from '../core/errors.js';

/** 2.x names the problem. */
const UNSUPPORTED_2X = /unsupported SurrealQL value being encoded into a CBOR value/i;
/**
 * 3.x says only "Parse error", as it does for a request body it cannot decode; a query that does not parse comes back
 * in a 200 with the place it stopped. Read only for a body of our own CBOR encoder, which 3.x can always decode.
 */
const BARE_PARSE_ERROR_3X = /^Parse error\.?$/;

/** For a query typed by the user (the inspector's console); pattern-db's own queries ask for the default. */
export const CAST_TO_TEXT_FIX = 'Ask for the value as text: RETURN <string> /a/, or SELECT <string> field AS field FROM table for a field that holds one.';

const DEFAULT_FIX = 'pattern-db cannot read such a value as it is; report this with the evidence, which names the request.';

export function isUnsendableAnswer(status: number, serverText: string): boolean {
  return status === 400 && (UNSUPPORTED_2X.test(serverText) || BARE_PARSE_ERROR_3X.test(serverText.trim()));
}

export function unsendableAnswerError(request: string, status: number, body: string, fix = DEFAULT_FIX): PatternDbError {
  return new PatternDbError(
    'E_STATEMENT',
    'The server ran the query but could not send its answer: the answer holds a value that has no encoding on the wire (a regex such as /a/, or a closure), so no result can be shown. Changes the query made are kept.',
    { evidence: `${request} → ${status} ${body.trim().slice(0, 2000)}`, fix },
  );
}
