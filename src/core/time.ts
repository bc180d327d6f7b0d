/**
 * Time helpers. Inside hazetrace every time is UTC epoch milliseconds; local
 * clock times are converted at the reader with an explicit offset (Thailand
 * is +07:00 all year, no daylight saving).
 */
import { HazetraceError, showValue } from './errors.js';

/**
 * One hour in milliseconds.
 *
 * @example
 * ```ts
 * import { HOUR_MS, toIsoUtc } from 'hazetrace';
 * toIsoUtc(Date.UTC(2025, 3, 22) + 7 * HOUR_MS); // '2025-04-22T07:00:00Z'
 * ```
 */
export const HOUR_MS = 3_600_000;
/**
 * One day in milliseconds.
 *
 * @example
 * ```ts
 * import { DAY_MS } from 'hazetrace';
 * Math.floor(Date.UTC(2025, 3, 22, 15) / DAY_MS) * DAY_MS === Date.UTC(2025, 3, 22); // true: start of the UTC day
 * ```
 */
export const DAY_MS = 86_400_000;

/**
 * Parse a UTC offset: `'+07:00'`, `'+0700'`, `'+07'`, `'-05:30'`, `'Z'`, or a number of minutes.
 * Returns minutes east of UTC. Throws `E_ARG` on anything else.
 *
 * @example
 * ```ts
 * import { parseUtcOffset } from 'hazetrace';
 * parseUtcOffset('+07:00'); // 420
 * ```
 */
export function parseUtcOffset(offset: string | number, argument = 'utcOffset'): number {
  if (typeof offset === 'number') {
    if (Number.isFinite(offset) && Math.abs(offset) <= 18 * 60) return offset;
  } else {
    if (offset === 'Z' || offset === 'z') return 0;
    const m = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(offset.trim());
    if (m) {
      const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
      if (minutes <= 18 * 60) return m[1] === '-' ? -minutes : minutes;
    }
  }
  throw new HazetraceError('E_ARG', `${argument} must be like "+07:00" or minutes east of UTC, got ${showValue(offset)}`, {
    argument,
    value: offset,
  });
}

/**
 * Parse `YYYY-MM-DD` (also `YYYY/MM/DD`, and day-first `DD/MM/YYYY`) into [year, month, day]; null if invalid
 * (including impossible dates such as 2025-02-30).
 *
 * @example
 * ```ts
 * import { parseDateParts } from 'hazetrace';
 * parseDateParts('2025-04-22'); // [2025, 4, 22]
 * parseDateParts('22/04/2025'); // [2025, 4, 22]
 * ```
 */
export function parseDateParts(date: string): [number, number, number] | null {
  const s = date.trim();
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(s);
  let y: number, mo: number, d: number;
  if (m) {
    y = Number(m[1]);
    mo = Number(m[2]);
    d = Number(m[3]);
  } else {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    if (!m) return null;
    d = Number(m[1]);
    mo = Number(m[2]);
    y = Number(m[3]);
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null;
  return [y, mo, d];
}

/**
 * Parse a clock time `HH:MM`, `HH:MM:SS`, `HHMM` or `HMM`/`MM` (FIRMS drops leading zeros) into minutes of the day.
 * `24:00` is accepted (end-of-day labels). Returns NaN when invalid.
 *
 * @example
 * ```ts
 * import { parseClockMinutes } from 'hazetrace';
 * parseClockMinutes('0325'); // 205
 * parseClockMinutes(600); // 360
 * ```
 */
export function parseClockMinutes(time: string | number): number {
  const s = String(time).trim();
  let m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (m) {
    const h = Number(m[1]);
    const mi = Number(m[2]);
    const se = Number(m[3] ?? '0');
    if (h > 24 || mi > 59 || se > 59 || (h === 24 && (mi > 0 || se > 0))) return NaN;
    return h * 60 + mi + se / 60;
  }
  m = /^(\d{1,4})$/.exec(s);
  if (m) {
    const n = Number(m[1]);
    const h = Math.floor(n / 100);
    const mi = n % 100;
    if (h > 23 || mi > 59) return NaN;
    return h * 60 + mi;
  }
  return NaN;
}

/**
 * FIRMS `acq_date` (`YYYY-MM-DD`, UTC) + `acq_time` (`HHMM` UTC, given as `0325`, `325` or the number 325)
 * to UTC epoch ms. Returns NaN when either part is invalid.
 *
 * @example
 * ```ts
 * import { firmsTime } from 'hazetrace';
 * new Date(firmsTime('2025-04-22', '0325')).toISOString(); // '2025-04-22T03:25:00.000Z'
 * ```
 */
export function firmsTime(acqDate: string, acqTime: string | number): number {
  const d = parseDateParts(acqDate);
  if (!d) return NaN;
  const mins = parseClockMinutes(acqTime);
  if (!Number.isFinite(mins) || mins >= 24 * 60) return NaN;
  return Date.UTC(d[0], d[1] - 1, d[2]) + mins * 60_000;
}

/**
 * A local date and clock time with an explicit UTC offset (minutes east, or `'+07:00'`) to UTC epoch ms.
 * Returns NaN when the date or time is invalid.
 *
 * @example
 * ```ts
 * import { localToUtc } from 'hazetrace';
 * new Date(localToUtc('2026-01-01', '07:00', '+07:00')).toISOString(); // '2026-01-01T00:00:00.000Z'
 * ```
 */
export function localToUtc(date: string, time: string | number, utcOffset: string | number): number {
  const off = typeof utcOffset === 'number' ? utcOffset : parseUtcOffset(utcOffset);
  const d = parseDateParts(date);
  if (!d) return NaN;
  const mins = parseClockMinutes(time);
  if (!Number.isFinite(mins)) return NaN;
  return Date.UTC(d[0], d[1] - 1, d[2]) + (mins - off) * 60_000;
}

/**
 * Parse an ISO 8601 date-time to UTC ms; a string without a zone is taken as UTC (never machine-local).
 * Returns NaN when invalid.
 *
 * @example
 * ```ts
 * import { parseIsoUtc } from 'hazetrace';
 * parseIsoUtc('2025-04-22T06:00'); // Date.UTC(2025, 3, 22, 6)
 * ```
 */
export function parseIsoUtc(s: string): number {
  const t = s.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return NaN;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(t) && t.length > 10;
  const v = Date.parse(hasZone || t.length === 10 ? t : t + 'Z');
  return Number.isFinite(v) ? v : NaN;
}

/**
 * Parse a time a person typed, reading it in `utcOffset` unless it carries its own zone.
 * Accepts a date (`2025-04-23`, `2025/04/23`, day-first `23/04/2025`; local midnight) optionally followed
 * by `T` or spaces and a clock time `HH:MM[:SS[.fff]]`, optionally followed by `Z` or an offset
 * (`+07:00`, `+0700`, `-05`) which then wins over `utcOffset`. `utcOffset` is required (no default: the
 * CLI passes its `--utc-offset`, default `+07:00`) and is a string like `'+07:00'` or minutes east of UTC
 * as a number. Returns UTC epoch ms, or NaN when the text is not such a time (impossible dates included);
 * throws `E_ARG` when `utcOffset` itself is invalid.
 *
 * @example
 * ```ts
 * import { parseLocalTime, toIsoUtc } from 'hazetrace';
 * toIsoUtc(parseLocalTime('2025-04-23 12:00', '+07:00')); // '2025-04-23T05:00:00Z'
 * toIsoUtc(parseLocalTime('2025-04-23T12:00Z', '+07:00')); // '2025-04-23T12:00:00Z' (own zone wins)
 * toIsoUtc(parseLocalTime('2025-04-23', 420)); // '2025-04-22T17:00:00Z' (local midnight)
 * parseLocalTime('yesterday', '+07:00'); // NaN
 * ```
 */
export function parseLocalTime(text: string, utcOffset: string | number): number {
  const fallback = parseUtcOffset(utcOffset);
  const m = /^(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}\/\d{1,2}\/\d{4})(?:(?:T|\s+)(\d{1,2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(
    String(text).trim(),
  );
  if (!m) return NaN;
  const d = parseDateParts(m[1] as string);
  if (!d) return NaN;
  const mins = m[2] === undefined ? 0 : parseClockMinutes(m[2]);
  if (!Number.isFinite(mins)) return NaN;
  let off = fallback;
  if (m[4] !== undefined) {
    try {
      off = parseUtcOffset(m[4]);
    } catch {
      return NaN;
    }
  }
  const frac = m[3] === undefined ? 0 : Math.round(Number(m[3]) * 1000);
  return Date.UTC(d[0], d[1] - 1, d[2]) + (mins - off) * 60_000 + frac;
}

/**
 * Format UTC ms as ISO 8601 (`2025-04-22T06:00:00Z`, seconds precision).
 *
 * @example
 * ```ts
 * import { toIsoUtc } from 'hazetrace';
 * toIsoUtc(0); // '1970-01-01T00:00:00Z'
 * ```
 */
export function toIsoUtc(ms: number): string {
  if (!Number.isFinite(ms)) throw new HazetraceError('E_ARG', `time must be finite epoch ms, got ${showValue(ms)}`, { value: ms });
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
