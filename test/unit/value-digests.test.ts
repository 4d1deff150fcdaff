// An /rpc answer of records reduced to (id, digest) pairs as it is decoded, and the answers that are refused.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../src/core/cbor-reader.js';
import { PatternDbError } from '../../src/core/errors.js';
import { recordDigest } from '../../src/core/record-digest.js';
import { encodedRangeOfAnswer, valueDigestsOfAnswer } from '../../src/surreal/value-digests.js';
import { arr, f32, f64, int, map, tag, text } from '../helpers/cbor-write.js';

const record = (key: string, extra: Uint8Array) => map(['id', tag(8, arr(text('msg'), text(key)))], ['score', extra], ['tags', arr(text('a'), text('b'))]);
const statement = (status: string, result: Uint8Array) => map(['result', result], ['status', text(status)], ['time', text('1ms')]);
const answer = (...statements: Uint8Array[]) => map(['id', int(1)], ['result', arr(...statements)]);

function refused(body: Uint8Array, read: (body: Uint8Array, label: string) => unknown = valueDigestsOfAnswer): PatternDbError {
  try {
    read(body, 'POST http://127.0.0.1:8000/rpc (records of msg)');
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

describe('encodedRangeOfAnswer', () => {
  const range = (...records: Uint8Array[]) => encodedRangeOfAnswer(answer(statement('OK', arr(...records))), 'label');

  it("reduces the first statement's records to their count, the last one's id and one digest of their bytes", () => {
    const [a, b] = [record('a', f64(1.5)), record('b ', int(2))];
    expect(range(a, b)).toEqual({ count: 2, last: 'msg:⟨b ⟩', digest: createHash('sha256').update(a).update(b).digest('hex') });
    expect(range()).toEqual({ count: 0, digest: createHash('sha256').digest('hex') });
    // The answer around the records (its id, the statement's time) is not part of the digest.
    const elsewhere = map(['id', int(9)], ['result', arr(map(['result', arr(a, b)], ['status', text('OK')], ['time', text('9s')]))]);
    expect(encodedRangeOfAnswer(elsewhere, 'label')).toEqual(range(a, b));
  });

  it('tells apart records that differ by one byte, or only by the order they came in', () => {
    const [a, b] = [record('a', f64(1.5)), record('b', int(2))];
    expect(range(a, b).digest).not.toBe(range(record('a', f64(1.25)), b).digest);
    // The same value sent in another width is other bytes: a range that differs so is compared record by record, by value.
    expect(range(a, b).digest).not.toBe(range(record('a', f32(1.5)), b).digest);
    expect(range(a, b).digest).not.toBe(range(b, a).digest);
  });

  it('refuses what valueDigestsOfAnswer refuses, and a record with no id', () => {
    const read = encodedRangeOfAnswer;
    expect(refused(answer(statement('ERR', text('The table msg does not exist'))), read).code).toBe('E_STATEMENT');
    expect(refused(answer(statement('OK', arr(record('a', int(1)))), statement('OK', arr(record('b', int(2))))), read).message).toContain('records beyond its first statement');
    const whole = answer(statement('OK', arr(record('a', int(1)))));
    expect(refused(whole.subarray(0, whole.length - 4), read).message).toContain('CBOR this program cannot read');
    expect(() => range(map(['score', int(1)]))).toThrow(/no id field/);
  });
});
