/**
 * Small numeric helpers shared inside the attribution module (not exported from the package root).
 */
import { argError, KM_PER_DEG, lowerBoundBy } from '../core/index.js';

// The shared statistics and geodesy live in core; these names stay for the attribution files that import them here.
export { quantile as quantile7, quantileSorted as quantileSorted7, median } from '../core/stats.js';
export { KM_PER_DEG } from '../core/geodesy.js';

/** An array-like of numbers (plain arrays and typed arrays both work). */
export type NumberArrayLike = ArrayLike<number>;

/**
 * Round half to even, as R's `round()` does (IEC 60559): 2.5 → 2, 3.5 → 4, −0.5 → −0.
 * openair bins trajectory points with `round_any(x, inc)` = `round(x / inc) * inc`, so reproducing
 * its boxes exactly needs this rule, not JavaScript's half-up `Math.round`.
 */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const diff = v - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Check that an array-like holds numbers, naming the argument otherwise. */
export function checkArrayLike(argument: string, value: unknown): NumberArrayLike {
  if (value === null || typeof value !== 'object' || typeof (value as { length?: unknown }).length !== 'number') {
    throw argError(argument, value, 'an array-like of numbers');
  }
  return value as NumberArrayLike;
}

/** Check a percentile in (0, 100]. */
export function checkPercentile(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 100) {
    throw argError(argument, value, 'a number in (0, 100]');
  }
  return value;
}


/**
 * Squared distance in km² between two nearby points by the local equirectangular projection
 * (cosine of the mean latitude). Within a few hundred km at the tropics this differs from the
 * haversine distance by well under 1 % — far below trajectory error (15–30 % of distance travelled,
 * docs/wind.md) — and costs no trigonometry beyond one cosine, which callers may pass in precomputed.
 */
export function localDist2Km(lng1: number, lat1: number, lng2: number, lat2: number, cosLat: number): number {
  let dl = lng2 - lng1;
  if (dl > 180) dl -= 360;
  else if (dl < -180) dl += 360;
  const dx = dl * cosLat * KM_PER_DEG;
  const dy = (lat2 - lat1) * KM_PER_DEG;
  return dx * dx + dy * dy;
}

/** Sum of a numeric record's values. */
export function sumValues(rec: Record<string, number>): number {
  let s = 0;
  for (const k in rec) s += rec[k] as number;
  return s;
}

/** Observations of one or many stations: `station` one id for all rows or one per row. */
export interface ObservationColumns {
  station: string | ArrayLike<string>;
  time: ArrayLike<number>;
  value: ArrayLike<number>;
}

/** Finite observations grouped by station (lower case), each sorted by time. */
export function groupObservations(observations: ObservationColumns): Map<string, { t: number; v: number }[]> {
  const obs = new Map<string, { t: number; v: number }[]>();
  const st = observations.station;
  for (let i = 0; i < observations.time.length; i++) {
    const t = observations.time[i] as number;
    const v = observations.value[i] as number;
    if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
    const s = (typeof st === 'string' ? st : (st[i] as string)).toLowerCase();
    let arr = obs.get(s);
    if (!arr) obs.set(s, (arr = []));
    arr.push({ t, v });
  }
  for (const arr of obs.values()) arr.sort((a, b) => a.t - b.t);
  return obs;
}

/** Index of the first element of a time-sorted array with `t ≥ time`. */
export function lowerBoundTime(arr: { t: number }[], time: number): number {
  return lowerBoundBy(arr.length, (i) => (arr[i] as { t: number }).t, time);
}
