/**
 * Burning seasons. The dry-season burning of mainland Southeast Asia runs from about November to
 * May (peak February–April), so it straddles new year: counting calendar years would split one
 * season into two "years" and inflate repeat-burn counts. hazetrace therefore labels a detection
 * with its SEASON YEAR: local time (default UTC+07:00, Indochina Time) is taken, and a detection in
 * or after the season-start month (default November) belongs to the season of the following
 * calendar year, the year that holds the season's peak. So with the defaults 2024-11-15 and
 * 2025-04-30 are both season 2025, and 2025-10-31 (end of the wet season) is still season 2025.
 * `seasonStartMonth: 1` gives plain local calendar years.
 *
 * Repeat-burn frequency (`repeatBurnAreas` in attribution, `hotspotHistoryFactors` in risk) counts,
 * per cell, the distinct season years with at least one detection, through {@link countBurnPeriods}.
 */
import { argError, checkInt } from './errors.js';
import { KeyInterner } from './stats.js';
import { parseUtcOffset } from './time.js';
import { checkArray, checkArrayLike, checkNumber, checkOptions } from './check.js';

/**
 * Default first month (1–12) of the burning season: November (mainland South-East Asia burns ~Nov–May).
 *
 * @example
 * ```ts
 * import { DEFAULT_SEASON_START_MONTH } from 'hazetrace';
 * DEFAULT_SEASON_START_MONTH; // 11
 * ```
 */
export const DEFAULT_SEASON_START_MONTH = 11;
/**
 * Default local time of the burning season's year boundary: Indochina Time.
 *
 * @example
 * ```ts
 * import { DEFAULT_SEASON_UTC_OFFSET } from 'hazetrace';
 * DEFAULT_SEASON_UTC_OFFSET; // '+07:00'
 * ```
 */
export const DEFAULT_SEASON_UTC_OFFSET = '+07:00';

/** How a time maps to a season year (see {@link seasonYear}). */
export interface SeasonOptions {
  /** First month of the season, 1–12; detections from this month on count to the next year. Default 11 (November); 1 = calendar year. */
  seasonStartMonth?: number;
  /** Local offset for the month boundaries, `'+07:00'` or minutes east of UTC. Default `'+07:00'`. */
  utcOffset?: string | number;
}

/**
 * A function from epoch-ms time to season year for fixed options (the options are checked once;
 * use it in loops over many detections). NaN time gives NaN. Throws `E_ARG` on bad options.
 *
 * @example
 * ```ts
 * import { seasonYearOf } from 'hazetrace';
 * const year = seasonYearOf({ seasonStartMonth: 11, utcOffset: '+07:00' });
 * year(Date.UTC(2024, 11, 20)); // 2025 (December 2024 opens the 2025 season)
 * ```
 */
export function seasonYearOf(options: SeasonOptions = {}): (time: number) => number {
  checkOptions('options', options);
  const start = checkInt('options.seasonStartMonth', options.seasonStartMonth ?? DEFAULT_SEASON_START_MONTH, 1, 12);
  const offsetMs = parseUtcOffset(options.utcOffset ?? DEFAULT_SEASON_UTC_OFFSET, 'options.utcOffset') * 60_000;
  return (time: number): number => {
    const d = new Date(time + offsetMs);
    const y = d.getUTCFullYear();
    return start > 1 && d.getUTCMonth() + 1 >= start ? y + 1 : y;
  };
}

/**
 * Season year of an epoch-ms time: the local calendar year, plus one from the season-start month
 * on (see the module notes). Defaults: November start, UTC+07:00. NaN time gives NaN.
 *
 * @example
 * ```ts
 * import { seasonYear } from 'hazetrace';
 * seasonYear(Date.UTC(2024, 10, 15));                          // 2025 (15 Nov 2024)
 * seasonYear(Date.UTC(2025, 3, 30));                           // 2025 (30 Apr 2025)
 * seasonYear(Date.UTC(2024, 11, 31, 18), { seasonStartMonth: 1 }); // 2025 (already 1 Jan at +07:00)
 * ```
 */
export function seasonYear(time: number, options: SeasonOptions = {}): number {
  checkNumber('time', time);
  return seasonYearOf(options)(time);
}

/** Result of {@link countBurnPeriods}. */
export interface BurnPeriodCounts<K, P> {
  /** Distinct keys (e.g. H3 cells) in order of first appearance. */
  keys: K[];
  /** Per key, the number of distinct considered periods it appears in. */
  counts: Int32Array;
  /** The periods considered: `considered` as given, else the distinct periods seen, ascending. */
  periods: P[];
}

/**
 * Repeat-burn counting: given one (key, period) pair per detection (key a cell, period a season
 * year or label), the number of distinct periods in which each key appears. Pairs whose period is
 * not in `considered` are ignored (their key is still listed, with a count of 0 if nothing else).
 * Default `considered`: every period seen, sorted ascending.
 *
 * @example
 * ```ts
 * import { countBurnPeriods } from 'hazetrace';
 * const c = countBurnPeriods(['a', 'a', 'b', 'a'], [2023, 2023, 2024, 2025]);
 * c.keys;    // ['a', 'b']
 * c.counts;  // Int32Array [2, 1]
 * c.periods; // [2023, 2024, 2025]
 * ```
 */
export function countBurnPeriods<K, P extends string | number>(
  keys: ArrayLike<K>,
  periods: ArrayLike<P>,
  considered?: readonly P[],
): BurnPeriodCounts<K, P> {
  checkArrayLike('keys', keys);
  if (considered !== undefined) checkArray('considered', considered);
  const n = keys.length;
  if (!periods || periods.length !== n) throw argError('periods', periods?.length, `one period per key (${n})`);
  let list: P[];
  if (considered) list = [...considered];
  else {
    const seen = new Set<P>();
    for (let i = 0; i < n; i++) seen.add(periods[i]!);
    list = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  const pIndex = new Map<P, number>();
  list.forEach((p, j) => {
    if (!pIndex.has(p)) pIndex.set(p, j);
  });
  const P = list.length;
  const ids = new KeyInterner<K>();
  const pairs = new Set<number>();
  const count: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = ids.intern(keys[i]!);
    if (k === count.length) count.push(0);
    const j = pIndex.get(periods[i]!);
    if (j === undefined) continue;
    const code = k * P + j;
    if (pairs.has(code)) continue;
    pairs.add(code);
    count[k]!++;
  }
  return { keys: ids.keys, counts: Int32Array.from(count), periods: list };
}
