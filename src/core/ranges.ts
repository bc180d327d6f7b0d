/**
 * One home for what a value may plausibly be: plausible ranges per quantity (PM2.5, PM10, FRP, wind
 * speed, latitude, longitude, brightness temperature, scan/track), the missing-value codes data
 * providers write instead of a value (9999, -999, -9999, 'NA', …), the reason a cell is not a plain
 * decimal number, and the one message format for "first N rejections, and K more".
 *
 * Readers in `hazetrace/io` and `hazetrace/wind` use these, so a value is judged by the same rule
 * whichever file it came from. docs/io.md lists the ranges with their sources.
 */
import { HazetraceError, showValue } from './errors.js';

/** A quantity with a documented plausible range (see {@link PLAUSIBLE}). */
export type Quantity = 'pm25' | 'pm10' | 'frp' | 'windSpeed' | 'lat' | 'lng' | 'brightness' | 'scanTrack';

/** A closed plausible range `[min, max]` in `unit`, with the reasoning behind the bounds. */
export interface PlausibleRange {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly why: string;
}

/**
 * Plausible ranges per quantity; a value outside is rejected by the readers (`E_RANGE`) rather than
 * kept as data. Bounds are deliberately wide — they catch sentinels, sign errors and unit mix-ups, not
 * unusual but real values:
 * - `pm25` 0–2000 µg/m³ (hourly; the worst smoke episodes on record peak near 1000–2000),
 * - `pm10` 0–5000 µg/m³ (hourly; dust storms),
 * - `frp` 0–50 000 MW (the largest single-pixel FRP in MODIS/VIIRS archives is ~10⁴ MW),
 * - `windSpeed` 0–100 m/s (above any surface or 850 hPa wind outside a tornado),
 * - `lat` −90–90 and `lng` −180–180 degrees,
 * - `brightness` 150–800 K (MODIS/VIIRS brightness temperatures; 0 or 9999 are sentinels),
 * - `scanTrack` 0–20 km (MODIS pixel size grows to ~4.8 km at the scan edge).
 *
 * @example
 * ```ts
 * import { PLAUSIBLE } from 'hazetrace';
 * PLAUSIBLE.pm25.max; // 2000
 * PLAUSIBLE.windSpeed.unit; // 'm/s'
 * ```
 */
export const PLAUSIBLE: Readonly<Record<Quantity, PlausibleRange>> = Object.freeze({
  pm25: { min: 0, max: 2000, unit: 'µg/m³', why: 'hourly PM2.5; the worst recorded smoke episodes peak near 1000–2000' },
  pm10: { min: 0, max: 5000, unit: 'µg/m³', why: 'hourly PM10; dust storms reach a few thousand' },
  frp: { min: 0, max: 50_000, unit: 'MW', why: 'fire radiative power per pixel; archive maxima are ~10,000 MW' },
  windSpeed: { min: 0, max: 100, unit: 'm/s', why: 'faster than any surface or 850 hPa wind outside a tornado' },
  lat: { min: -90, max: 90, unit: 'degrees', why: 'WGS84 latitude' },
  lng: { min: -180, max: 180, unit: 'degrees', why: 'WGS84 longitude' },
  brightness: { min: 150, max: 800, unit: 'K', why: 'MODIS/VIIRS brightness temperatures; 0 and 9999 are sentinels' },
  scanTrack: { min: 0, max: 20, unit: 'km', why: 'MODIS/VIIRS pixel size along scan/track' },
});

/**
 * Why `value` is not a plausible `quantity`, as a short reason naming the range, or `null` when it is
 * plausible. NaN and ±Infinity are never plausible.
 *
 * @example
 * ```ts
 * import { implausibleReason } from 'hazetrace';
 * implausibleReason('pm25', 35); // null
 * implausibleReason('pm25', -3); // 'pm25 -3 is outside the plausible range 0..2000 µg/m³'
 * ```
 */
export function implausibleReason(quantity: Quantity, value: number): string | null {
  const r = typeof quantity === 'string' && Object.hasOwn(PLAUSIBLE, quantity) ? PLAUSIBLE[quantity] : undefined;
  if (r === undefined) throw new HazetraceError('E_ARG', `quantity must be one of ${Object.keys(PLAUSIBLE).join(', ')}, got ${showValue(quantity)}`, { argument: 'quantity', value: quantity });
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${quantity} ${showValue(value)} is not a finite number`;
  if (value < r.min || value > r.max) return `${quantity} ${value} is outside the plausible range ${r.min}..${r.max} ${r.unit}`;
  return null;
}

/**
 * The quantity a column name denotes, for the range check, or null: `pm25`, `pm2.5`, `pm25_ugm3`,
 * `PM2_5` → `pm25`; `pm10…` → `pm10`; `frp` → `frp`; `wind_speed`, `ws`, `speed` → `windSpeed`.
 *
 * @example
 * ```ts
 * import { quantityOfColumn } from 'hazetrace';
 * quantityOfColumn('pm25_ugm3'); // 'pm25'
 * quantityOfColumn('o3_ppb'); // null
 * ```
 */
export function quantityOfColumn(name: string): Quantity | null {
  const n = String(name).trim().toLowerCase();
  if (/^pm[ _.]?2[._]?5(\b|_|$)/.test(n)) return 'pm25';
  if (/^pm[ _.]?10(\b|_|$)/.test(n)) return 'pm10';
  if (n === 'frp') return 'frp';
  if (/^(wind_?speed|ws|speed|wspd)(\b|_|$)/.test(n)) return 'windSpeed';
  return null;
}

/**
 * Cell texts that mean "no value" in the files hazetrace reads (compared after trimming; numeric codes
 * also match by value, so `-999.0` is `-999`): empty, `NA`, `N/A`, `NaN`, `null`, `-`, `--`, and the
 * numeric sentinels 9999, 99999, -999, -9999. The station series reader adds `-1` (Thai PCD files)
 * to its default list.
 *
 * @example
 * ```ts
 * import { MISSING_CODES } from 'hazetrace';
 * MISSING_CODES.includes('-999'); // true
 * ```
 */
export const MISSING_CODES: readonly string[] = Object.freeze(['', 'NA', 'N/A', 'NaN', 'null', '-', '--', '9999', '99999', '-999', '-9999']);

const DEFAULT_TEXT = new Set(MISSING_CODES.map((c) => c.toLowerCase()));
const DEFAULT_NUMS = new Set([9999, 99999, -999, -9999]);

/**
 * True when a cell is a missing-value code: its trimmed text is one of `codes` (case-insensitive), or it
 * is a number equal to a numeric code (`-999.0` matches `-999`). Default codes: {@link MISSING_CODES}.
 *
 * @example
 * ```ts
 * import { isMissingCode } from 'hazetrace';
 * isMissingCode('9999'); // true
 * isMissingCode('-999.0'); // true
 * isMissingCode('35.2'); // false
 * isMissingCode('-1', ['-1', '']); // true
 * ```
 */
export function isMissingCode(raw: string, codes?: readonly string[]): boolean {
  if (typeof raw !== 'string') return false;
  const s = raw.trim();
  if (codes === undefined) {
    if (DEFAULT_TEXT.has(s.toLowerCase())) return true;
    if (!/^[+-]?\d/.test(s)) return false;
    const v = Number(s);
    return DEFAULT_NUMS.has(v);
  }
  return new MissingCodeSet(codes).has(s);
}

/**
 * A compiled set of missing-value codes, for checking many cells (see {@link isMissingCode}).
 *
 * @example
 * ```ts
 * import { MissingCodeSet } from 'hazetrace';
 * const m = new MissingCodeSet(['', 'NA', '-999']);
 * m.has('-999.00'); // true
 * ```
 */
export class MissingCodeSet {
  private readonly text: Set<string>;
  private readonly nums: Set<number>;
  constructor(codes: readonly string[] = MISSING_CODES) {
    if (!Array.isArray(codes) || !codes.every((c) => typeof c === 'string')) {
      throw new HazetraceError('E_ARG', `missing-value codes must be an array of strings, got ${showValue(codes)}`, { argument: 'missingValues', value: codes });
    }
    this.text = new Set(codes.map((c) => c.trim().toLowerCase()));
    this.nums = new Set();
    for (const c of codes) {
      const t = c.trim();
      if (t !== '' && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) this.nums.add(Number(t));
    }
  }
  /** True when `raw` (trimmed) is one of the codes; `value` is its parsed number when known (saves a parse). */
  has(raw: string, value?: number): boolean {
    if (typeof raw !== 'string') return false;
    const s = raw.trim();
    if (this.text.has(s)) return true;
    // Case-insensitive match only for cells with letters (most cells are numbers: no lower-case copy for them).
    const c = s.charCodeAt(0) | 32;
    if (c >= 97 && c <= 122 && this.text.has(s.toLowerCase())) return true;
    if (this.nums.size === 0) return false;
    const v = typeof value === 'number' ? value : /^[+-]?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : NaN;
    return !Number.isNaN(v) && this.nums.has(v);
  }
}

const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parse a plain decimal number (`12`, `-3.5`, `.5`, `1e3`; surrounding spaces allowed). Returns NaN for
 * anything else — hex (`0x10`), `Infinity`, overflow (`1e400`), decimal commas (`1,5`), thousands
 * separators, units (`35ug`) — unlike `Number()`, which reads `0x10` as 16 and `''` as 0.
 *
 * @example
 * ```ts
 * import { parseDecimal } from 'hazetrace';
 * parseDecimal(' 12.5 '); // 12.5
 * parseDecimal('0x10'); // NaN
 * parseDecimal('1e400'); // NaN
 * ```
 */
export function parseDecimal(raw: string): number {
  if (typeof raw !== 'string') return NaN;
  const s = raw.trim();
  if (!DECIMAL_RE.test(s)) return NaN;
  const v = Number(s);
  return Number.isFinite(v) ? v : NaN;
}

/**
 * Why `raw` is not a plain finite decimal number, as a short reason (used in rejection messages), or
 * null when it is one.
 *
 * @example
 * ```ts
 * import { numberProblem } from 'hazetrace';
 * numberProblem('0x10'); // '"0x10" is a hexadecimal numeral, not a decimal number'
 * numberProblem('1e400'); // '"1e400" overflows to Infinity'
 * numberProblem('42'); // null
 * ```
 */
export function numberProblem(raw: string): string | null {
  const s = String(raw).trim();
  const shown = showValue(s);
  if (s === '') return 'the cell is empty';
  if (DECIMAL_RE.test(s)) return Number.isFinite(Number(s)) ? null : `${shown} overflows to Infinity`;
  if (/^[+-]?0[xX][0-9a-fA-F]*$/.test(s)) return `${shown} is a hexadecimal numeral, not a decimal number`;
  if (/^[+-]?0[bBoO]\d*$/.test(s)) return `${shown} is a binary/octal numeral, not a decimal number`;
  if (/^[+-]?(inf|infinity)$/i.test(s)) return `${shown} is infinite, not a finite number`;
  if (/^nan$/i.test(s)) return `${shown} is not a number`;
  if (/^[+-]?\d+,\d+$/.test(s)) return `${shown} uses a decimal comma; write a decimal point`;
  if (/^[+-]?\d{1,3}([,_ ]\d{3})+(\.\d+)?$/.test(s)) return `${shown} has thousands separators; write plain digits`;
  if (/^[+-]?(\d+\.?\d*|\.\d+)\s*[a-zA-Zµ/%°]+/.test(s)) return `${shown} has a unit or suffix; write the number only`;
  return `${shown} is not a decimal number`;
}

/** The fields of a rejection the summary needs (a reader's `RejectedRow` fits). */
export interface RejectionLike {
  row: number;
  column?: string;
  code: string;
  message: string;
}

/**
 * The one message format for a list of rejections: the first `max` reasons (default 5), then
 * "and K more". Returns `''` for an empty list. `what` names the input (`'FIRMS CSV'`).
 *
 * @example
 * ```ts
 * import { summarizeRejections } from 'hazetrace';
 * summarizeRejections([
 *   { row: 2, code: 'E_DATE', message: 'row 2: acq_date "2025-02-30" is not a real date' },
 *   { row: 5, code: 'E_COORD', message: 'row 5: latitude "95" is not a number in -90..90' },
 *   { row: 9, code: 'E_COORD', message: 'row 9: latitude "" is not a number in -90..90' },
 * ], { what: 'FIRMS CSV', max: 2 });
 * // 'FIRMS CSV: 3 rejected: row 2: acq_date "2025-02-30" is not a real date; row 5: latitude "95" is not a number in -90..90; and 1 more'
 * ```
 */
export function summarizeRejections(rejected: readonly RejectionLike[], options: { what?: string; max?: number } = {}): string {
  if (options === null || typeof options !== 'object') throw new HazetraceError('E_ARG', `options must be an object, got ${showValue(options)}`, { argument: 'options', value: options });
  if (!Array.isArray(rejected)) throw new HazetraceError('E_ARG', `rejected must be an array of rejections, got ${showValue(rejected)}`, { argument: 'rejected', value: rejected });
  const max = options.max ?? 5;
  if (!Number.isInteger(max) || max < 0) throw new HazetraceError('E_ARG', `max must be an integer >= 0, got ${showValue(max)}`, { argument: 'max', value: max });
  if (rejected.length === 0) return '';
  const head = rejected.slice(0, max).map((r) => (r && typeof r.message === 'string' ? r.message : showValue(r)));
  const rest = rejected.length - head.length;
  const parts = rest > 0 ? [...head, `and ${rest} more`] : head;
  const prefix = `${options.what ? options.what + ': ' : ''}${rejected.length} rejected`;
  return `${prefix}: ${parts.join('; ')}`;
}

/**
 * Count rejections per code, e.g. `{ E_DATE: 3, E_COORD: 1 }` (for summaries and `--json`).
 *
 * @example
 * ```ts
 * import { countRejections } from 'hazetrace';
 * countRejections([{ row: 1, code: 'E_DATE', message: '' }, { row: 4, code: 'E_DATE', message: '' }]); // { E_DATE: 2 }
 * ```
 */
export function countRejections(rejected: readonly RejectionLike[]): Record<string, number> {
  if (!Array.isArray(rejected)) throw new HazetraceError('E_ARG', `rejected must be an array of rejections, got ${showValue(rejected)}`, { argument: 'rejected', value: rejected });
  const out: Record<string, number> = {};
  for (const r of rejected) {
    const c = r && typeof r.code === 'string' ? r.code : 'unknown';
    out[c] = (out[c] ?? 0) + 1;
  }
  return out;
}

/**
 * Counts every reader result carries, so nothing disappears uncounted: `rows = accepted + rejected +
 * duplicates` (`duplicates` is non-zero only where a reader merges repeated records; see the reader). `rows` counts data rows
 * (CSV: records after the header, blank lines excluded; GeoJSON: features).
 */
export interface ReadCounts {
  rows: number;
  accepted: number;
  rejected: number;
  /** Records merged into an earlier one (duplicates; 0 for readers that do not merge). */
  duplicates: number;
  /** Rejections per code, e.g. `{ E_DATE: 2 }`. */
  byCode: Record<string, number>;
}

/**
 * Build {@link ReadCounts} from a reader's accepted count and rejection list (`rows = accepted + rejected
 * + extra`, where `extra` counts records merged away, such as duplicates).
 *
 * @example
 * ```ts
 * import { readCounts } from 'hazetrace';
 * readCounts(3, [{ row: 2, code: 'E_DATE', message: 'row 2: …' }]); // { rows: 4, accepted: 3, rejected: 1, duplicates: 0, byCode: { E_DATE: 1 } }
 * ```
 */
export function readCounts(accepted: number, rejected: readonly RejectionLike[], extra = 0): ReadCounts {
  if (typeof accepted !== 'number' || !Number.isInteger(accepted) || accepted < 0) {
    throw new HazetraceError('E_ARG', `accepted must be an integer >= 0, got ${showValue(accepted)}`, { argument: 'accepted', value: accepted });
  }
  if (typeof extra !== 'number' || !Number.isInteger(extra) || extra < 0) {
    throw new HazetraceError('E_ARG', `extra must be an integer >= 0, got ${showValue(extra)}`, { argument: 'extra', value: extra });
  }
  const byCode = countRejections(rejected);
  return { rows: accepted + rejected.length + extra, accepted, rejected: rejected.length, duplicates: extra, byCode };
}
