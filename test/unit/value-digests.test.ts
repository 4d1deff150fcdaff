// An /rpc answer of records reduced to (id, digest) pairs as it is decoded, and the answers that are refused.
import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../src/core/cbor-reader.js';
import { PatternDbError } from '../../src/core/errors.js';
import { recordDigest } from '../../src/core/record-digest.js';
import { valueDigestsOfAnswer } from '../../src/surreal/value-digests.js';
import { arr, f64, int, map, tag, text } from '../helpers/cbor-write.js';

const record = (key: string, extra: Uint8Array) => map(['id', tag(8, arr(text('msg'), text(key)))], ['score', extra], ['tags', arr(text('a'), text('b'))]);
const statement = (status: string, result: Uint8Array) => map(['result', result], ['status', text(status)], ['time', text('1ms')]);
const answer = (...statements: Uint8Array[]) => map(['id', int(1)], ['result', arr(...statements)]);

function refused(body: Uint8Array): PatternDbError {
  try {
    valueDigestsOfAnswer(body, 'POST http://127.0.0.1:8000/rpc (records of msg)');
  } catch (error) {
    expect(error).toBeInstanceOf(PatternDbError);
    return error as PatternDbError;
  }
  throw new Error('not refused');
}

describe('valueDigestsOfAnswer', () => {
  it("digests each record of the first statement as the record's own digest, in order", () => {
    const first = record('a', f64(1.5));
    const second = record('b', int(2));
    const digests = valueDigestsOfAnswer(answer(statement('OK', arr(first, second))), 'label');
    expect(digests).toEqual([recordDigest(decodeCbor(first)), recordDigest(decodeCbor(second))]);
    expect(digests.map(([id]) => id)).toEqual(['msg:a', 'msg:b']);
    expect(valueDigestsOfAnswer(answer(statement('OK', arr())), 'label')).toEqual([]);
  });

  it("refuses a failed statement with the server's text, and what is not an answer of one statement", () => {
    const failed = refused(answer(statement('ERR', text('The table msg does not exist'))));
    expect(failed.code).toBe('E_STATEMENT');
    expect(failed.message).toContain('The table msg does not exist');
    const two = refused(answer(statement('OK', arr(record('a', int(1)))), statement('OK', arr(record('b', int(2))))));
    expect(two.code).toBe('E_HTTP');
    expect(two.message).toContain('records beyond its first statement');
    expect(refused(Uint8Array.of(0x82, 0x01)).message).toContain('CBOR this program cannot read');
    expect(refused(arr(int(1))).message).toContain('not an RPC answer');
  });
});
