// Datetimes and durations as SurrealDB sends them in CBOR (tag 0 or 12; tag 13 or 14), reduced to exact
// (seconds, nanoseconds) pairs with 0 <= nanoseconds < 1e9. JavaScript's Date keeps only milliseconds, so none is used.

export interface Instant {
  seconds: bigint;
  nanos: number;
}

const NANOS = 1_000_000_000n;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: bigint, month: number, day: number): bigint {
  const y = month <= 2 ? year - 1n : year;
  const era = (y >= 0n ? y : y - 399n) / 400n;
  const yoe = y - era * 400n;
  const m = BigInt(month);
  const doy = (153n * (m > 2n ? m - 3n : m + 9n) + 2n) / 5n + BigInt(day) - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146097n + doe - 719468n;
}

/** The date of a day number (the inverse of daysFromCivil). */
function civilFromDays(days: bigint): { year: bigint; month: number; day: number } {
  const z = days + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = Number(doy - (153n * mp + 2n) / 5n + 1n);
  const month = Number(mp < 10n ? mp + 3n : mp - 9n);
  const year = yoe + era * 400n + (month <= 2 ? 1n : 0n);
  return { year, month, day };
}

function normalise(totalNanos: bigint): Instant {
  let seconds = totalNanos / NANOS;
  let nanos = totalNanos % NANOS;
  if (nanos < 0n) {
    nanos += NANOS;
    seconds -= 1n;
  }
  return { seconds, nanos: Number(nanos) };
}

/** A (seconds, nanoseconds) pair as sent, carried so that 0 <= nanoseconds < 1e9. */
export function instant(seconds: bigint | number, nanos: bigint | number): Instant {
  return normalise(BigInt(seconds) * NANOS + BigInt(nanos));
}

const RFC3339 = /^([+-]?\d{4,})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:?\d{2})$/;

/** An RFC 3339 datetime (CBOR tag 0) as an instant; undefined when the text is not one. */
export function parseDatetime(text: string): Instant | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone] = m;
  if (fraction.length > 9) return undefined;
  const days = daysFromCivil(BigInt(year!), Number(month), Number(day));
  let seconds = days * 86400n + BigInt(Number(hour) * 3600 + Number(minute) * 60 + Number(second));
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone!.startsWith('-') ? -1n : 1n;
    const digits = zone!.slice(1).replace(':', '');
    seconds -= sign * BigInt(Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  return instant(seconds, Number(fraction.padEnd(9, '0') || '0'));
}

/** An instant as RFC 3339 in UTC with all nine fraction digits that matter, e.g. 2024-05-01T10:00:00.5Z. */
export function formatDatetime({ seconds, nanos }: Instant): string {
  const days = seconds >= 0n ? seconds / 86400n : -((-seconds + 86399n) / 86400n);
  const rest = Number(seconds - days * 86400n);
  const { year, month, day } = civilFromDays(days);
  const pad = (n: number | bigint, w = 2) => String(n).padStart(w, '0');
  const y = year < 0n ? `-${pad(-year, 4)}` : year > 9999n ? `+${year}` : pad(year, 4);
  const fraction = nanos ? `.${pad(nanos, 9).replace(/0+$/, '')}` : '';
  return `${y}-${pad(month)}-${pad(day)}T${pad(Math.floor(rest / 3600))}:${pad(Math.floor(rest / 60) % 60)}:${pad(rest % 60)}${fraction}Z`;
}

const UNIT_NANOS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: NANOS,
  m: 60n * NANOS,
  h: 3600n * NANOS,
  d: 86400n * NANOS,
  w: 7n * 86400n * NANOS,
  y: 365n * 86400n * NANOS,
};

/** A SurrealQL duration text (CBOR tag 13) such as "1h30m" or "1y2w500ms"; undefined when it is not one. */
export function parseDuration(text: string): Instant | undefined {
  if (!text) return undefined;
  let total = 0n;
  let rest = text;
  while (rest) {
    const m = /^(\d+)(ns|us|µs|μs|ms|s|m|h|d|w|y)/.exec(rest);
    if (!m) return undefined;
    total += BigInt(m[1]!) * UNIT_NANOS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return normalise(total);
}

/** A duration in SurrealQL's units, largest first: 1h30m, 2s500ms, 0ns. */
export function formatDuration({ seconds, nanos }: Instant): string {
  let rest = seconds * NANOS + BigInt(nanos);
  if (rest === 0n) return '0ns';
  let text = '';
  for (const unit of ['y', 'w', 'd', 'h', 'm', 's', 'ms', 'µs', 'ns']) {
    const size = UNIT_NANOS[unit]!;
    if (rest >= size) {
      text += `${rest / size}${unit}`;
      rest %= size;
    }
  }
  return text;
}
