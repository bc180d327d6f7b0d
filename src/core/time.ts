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
  } else if (typeof offset === 'string') {
    if (offset === 'Z' || offset === 'z') return 0;
    const m = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(offset.trim());
    if (m) {
      const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
      if (minutes <= 18 * 60) return m[1] === '-' ? -minutes : minutes;
    }
  }
  throw new HazetraceError('E_ARG', `${String(argument)} must be like "+07:00" or minutes east of UTC, got ${showValue(offset)}`, {
    argument,
    value: offset,
  });
}

/**
 * Order of the parts of a date written with the year last (`04/05/2025`): `'DMY'` (day first, as in
 * Thailand and Europe) or `'MDY'` (month first, as in the US). `'YMD'` is the ISO order, which is
 * always accepted and needs no option.
 */
export type DateOrder = 'YMD' | 'DMY' | 'MDY';

/** The outcome of {@link parseDateStrict}: the parts and the UTC midnight, or a reason. */
export type StrictDate =
  | { ok: true; year: number; month: number; day: number; /** UTC epoch ms of 00:00 UTC that day. */ utcMidnight: number }
  | { ok: false; reason: string };

/**
 * Check a `dateOrder` option: undefined or one of `'YMD'`, `'DMY'`, `'MDY'` (case-insensitive); returns
 * it upper-cased. Throws `E_ARG` otherwise.
 *
 * @example
 * ```ts
 * import { checkDateOrder } from 'hazetrace';
 * checkDateOrder('dmy'); // 'DMY'
 * checkDateOrder(undefined); // undefined
 * ```
 */
export function checkDateOrder(value: unknown, argument = 'dateOrder'): DateOrder | undefined {
  if (value === undefined) return undefined;
  if (typeof argument !== 'string') argument = 'dateOrder';
  const v = typeof value === 'string' ? value.toUpperCase() : '';
  if (v === 'YMD' || v === 'DMY' || v === 'MDY') return v;
  throw new HazetraceError('E_ARG', `${argument} must be "DMY", "MDY" or "YMD", got ${showValue(value)}`, { argument, value });
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function checkParts(y: number, mo: number, d: number, text: string): StrictDate {
  if (mo < 1 || mo > 12) return { ok: false, reason: `date ${showValue(text)} has month ${mo}, not 1..12` };
  const dim = daysInMonth(y, mo);
  if (d < 1 || d > dim) return { ok: false, reason: `date ${showValue(text)} does not exist (month ${mo} of ${y} has ${dim} days)` };
  return { ok: true, year: y, month: mo, day: d, utcMidnight: Date.UTC(y, mo - 1, d) };
}

/**
 * Parse a calendar date strictly, never rolling over (`2025-02-30` is an error, not 2 March).
 * - Year first — `YYYY-MM-DD` or `YYYY/MM/DD` — is always accepted.
 * - Year last — `DD/MM/YYYY`, `MM/DD/YYYY` (also with `.` or `-`) — is ambiguous and accepted only with
 *   `dateOrder` (`'DMY'` or `'MDY'`); without it the reason says to pass one.
 * - Two-digit years, month names, extra text and impossible dates are rejected with a reason.
 * Returns `{ ok: true, year, month, day, utcMidnight }` or `{ ok: false, reason }` (no throw: readers turn
 * the reason into a rejected row). Throws `E_ARG` only for an invalid `dateOrder`.
 *
 * @example
 * ```ts
 * import { parseDateStrict } from 'hazetrace';
 * parseDateStrict('2025-04-22'); // { ok: true, year: 2025, month: 4, day: 22, utcMidnight: 1745280000000 }
 * parseDateStrict('2025-02-30').ok; // false (February 2025 has 28 days)
 * parseDateStrict('04/05/2025').ok; // false (ambiguous: pass dateOrder)
 * parseDateStrict('04/05/2025', 'DMY'); // { ok: true, year: 2025, month: 5, day: 4, utcMidnight: 1746316800000 }
 * ```
 */
export function parseDateStrict(text: string, dateOrder?: DateOrder): StrictDate {
  const order = checkDateOrder(dateOrder);
  if (typeof text !== 'string') return { ok: false, reason: `date ${showValue(text)} is not text` };
  const s = text.trim();
  if (s === '') return { ok: false, reason: 'date is empty' };
  let m = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(s);
  if (m) return checkParts(Number(m[1]), Number(m[3]), Number(m[4]), s);
  m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(s);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const y = Number(m[4]);
    if (order === 'DMY') return checkParts(y, b, a, s);
    if (order === 'MDY') return checkParts(y, a, b, s);
    return { ok: false, reason: `date ${showValue(s)} has the year last, so day/month order is ambiguous (D/M/Y or M/D/Y); write YYYY-MM-DD or pass dateOrder 'DMY' or 'MDY'` };
  }
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/.test(s)) return { ok: false, reason: `date ${showValue(s)} has a two-digit year; write YYYY-MM-DD` };
  return { ok: false, reason: `date ${showValue(s)} is not a YYYY-MM-DD date` };
}

/**
 * Parse `YYYY-MM-DD` (also `YYYY/MM/DD`) into [year, month, day]; null if invalid, including impossible
 * dates such as 2025-02-30 (never rolled over). A year-last slash date is read in `dateOrder` when
 * given; without it only an unambiguous day-first date (`22/04/2025`: 22 cannot be a month) is read, and
 * an ambiguous one (`04/05/2025`) is null. Readers use {@link parseDateStrict}, which also says why.
 *
 * @example
 * ```ts
 * import { parseDateParts } from 'hazetrace';
 * parseDateParts('2025-04-22'); // [2025, 4, 22]
 * parseDateParts('22/04/2025'); // [2025, 4, 22]
 * parseDateParts('04/05/2025'); // null (ambiguous)
 * parseDateParts('04/05/2025', 'MDY'); // [2025, 4, 5]
 * ```
 */
export function parseDateParts(date: string, dateOrder?: DateOrder): [number, number, number] | null {
  if (typeof date !== 'string') return null;
  let order = checkDateOrder(dateOrder);
  const s = date.trim();
  if (order === undefined) {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    if (m) {
      const a = Number(m[1]);
      const b = Number(m[2]);
      if (a > 12 || a === b) order = 'DMY';
      else return null;
    }
  }
  const r = parseDateStrict(s, order);
  return r.ok ? [r.year, r.month, r.day] : null;
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
 * Parse an ISO 8601 date-time to UTC ms: `YYYY-MM-DD`, optionally `T` (or a space) and `HH:MM`,
 * `HH:MM:SS` or `HH:MM:SS.fff`, optionally `Z` or an offset (`+07:00`, `+0700`, `-05`). A string
 * without a zone is taken as UTC (never machine-local). Strict: impossible dates (`2025-02-30`) and
 * times (`25:00`) are NaN, never rolled over; `24:00:00` is the end of the day. Returns NaN when invalid.
 *
 * @example
 * ```ts
 * import { parseIsoUtc } from 'hazetrace';
 * parseIsoUtc('2025-04-22T06:00'); // Date.UTC(2025, 3, 22, 6)
 * parseIsoUtc('2025-04-22T13:00+07:00'); // Date.UTC(2025, 3, 22, 6)
 * parseIsoUtc('2025-02-30T00:00Z'); // NaN
 * ```
 */
export function parseIsoUtc(s: string): number {
  if (typeof s !== 'string') return NaN;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(s.trim());
  if (!m) return NaN;
  const d = checkParts(Number(m[1]), Number(m[2]), Number(m[3]), s);
  if (!d.ok) return NaN;
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const se = m[6] === undefined ? 0 : Number(m[6]);
  const frac = m[7] === undefined ? 0 : Number(m[7]);
  if (h > 24 || mi > 59 || se > 59 || (h === 24 && (mi > 0 || se > 0 || frac > 0))) return NaN;
  let off = 0;
  if (m[8] !== undefined) {
    if (m[4] === undefined) return NaN; // a zone on a bare date means nothing
    try {
      off = parseUtcOffset(m[8]);
    } catch {
      return NaN;
    }
  }
  return d.utcMidnight + ((h * 60 + mi - off) * 60 + se) * 1000 + Math.round(frac * 1000);
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
