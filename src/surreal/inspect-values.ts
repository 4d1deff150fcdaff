// SDK values (decoded from CBOR by the HTTP source, or returned by the embedded engine) as typed, plain values
// that can cross the child-process boundary and be coloured by type.
import { DateTime, Decimal, Duration, FileRef, Geometry, RecordId, RecordIdRange, StringRecordId, Table, Uuid, Value } from 'surrealdb';
import type { InspectValue, ScalarType } from '../core/inspect-types.js';

const MAX_BYTES_SHOWN = 64;

function valueType(value: Value): ScalarType {
  if (value instanceof RecordId || value instanceof StringRecordId || value instanceof RecordIdRange) return 'record';
  if (value instanceof DateTime) return 'datetime';
  if (value instanceof Uuid) return 'uuid';
  if (value instanceof Duration) return 'duration';
  if (value instanceof Decimal) return 'decimal';
  if (value instanceof Geometry) return 'geometry';
  if (value instanceof Table) return 'table';
  if (value instanceof FileRef) return 'other';
  return 'other';
}

function bytesText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.subarray(0, MAX_BYTES_SHOWN)).toString('hex');
  return `${bytes.length} bytes ${hex}${bytes.length > MAX_BYTES_SHOWN ? '…' : ''}`;
}

export function toInspectValue(value: unknown): InspectValue {
  if (value === undefined) return { type: 'none', text: 'NONE' };
  if (value === null) return { type: 'null', text: 'NULL' };
  switch (typeof value) {
    case 'string':
      return { type: 'string', text: value };
    case 'number':
    case 'bigint':
      return { type: 'number', text: String(value) };
    case 'boolean':
      return { type: 'bool', text: String(value) };
    default:
      break;
  }
  if (value instanceof Value) return { type: valueType(value), text: value.toString() };
  if (value instanceof Date) return { type: 'datetime', text: value.toISOString() };
  if (value instanceof Uint8Array) return { type: 'bytes', text: bytesText(value) };
  if (value instanceof ArrayBuffer) return { type: 'bytes', text: bytesText(new Uint8Array(value)) };
  if (Array.isArray(value)) return { type: 'array', items: value.map(toInspectValue) };
  if (value instanceof Set) return { type: 'array', items: [...value].map(toInspectValue) };
  if (value instanceof Map) return { type: 'object', fields: [...value].map(([k, v]) => [String(k), toInspectValue(v)]) };
  if (typeof value === 'object') {
    return { type: 'object', fields: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toInspectValue(v)]) };
  }
  return { type: 'other', text: String(value) };
}
