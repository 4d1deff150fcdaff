// Typed values (see inspect-types.ts) back to plain data, and the questions the views ask about them.
import type { InspectScalar, InspectValue } from './inspect-types.js';

export function isScalar(value: InspectValue): value is InspectScalar {
  return value.type !== 'array' && value.type !== 'object';
}

/** Plain JSON-like data: ids, datetimes and friends become their SurrealQL text; numbers become numbers. */
export function toPlain(value: InspectValue): unknown {
  switch (value.type) {
    case 'array':
      return value.items.map(toPlain);
    case 'object':
      return Object.fromEntries(value.fields.map(([k, v]) => [k, toPlain(v)]));
    case 'number': {
      const n = Number(value.text);
      return Number.isSafeInteger(n) || !Number.isInteger(n) ? n : value.text;
    }
    case 'bool':
      return value.text === 'true';
    case 'null':
    case 'none':
      return null;
    default:
      return value.text;
  }
}

/** The value of a field of an object value. */
export function field(value: InspectValue | undefined, name: string): InspectValue | undefined {
  return value?.type === 'object' ? value.fields.find(([k]) => k === name)?.[1] : undefined;
}

/** Rows for a table: an array of objects whose fields are all scalars. */
export function flatRows(value: InspectValue | undefined): Array<Array<[string, InspectScalar]>> | undefined {
  if (value?.type !== 'array' || value.items.length === 0) return undefined;
  const rows: Array<Array<[string, InspectScalar]>> = [];
  for (const item of value.items) {
    if (item.type !== 'object') return undefined;
    const row: Array<[string, InspectScalar]> = [];
    for (const [key, v] of item.fields) {
      if (!isScalar(v)) return undefined;
      row.push([key, v]);
    }
    rows.push(row);
  }
  return rows;
}
