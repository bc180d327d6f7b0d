/**
 * Which map cells are more than noise (docs/trajectory-maps.md): permutation tests for PSCF, CWT and difference
 * maps, and the Benjamini–Hochberg false-discovery-rate adjustment over the cells.
 *
 * The null hypothesis of every test here: which trajectory arrived with which concentration (or which trajectory
 * belongs to the high-PM subset) does not depend on where the trajectory went. Shuffling the concentrations (or the
 * subset membership) across trajectories, with a seeded generator, draws maps from that null while keeping each
 * trajectory's path and each cell's point count; a cell's p-value is `(1 + #{permuted ≥ observed}) / (1 + N)`
 * (Davison & Hinkley 1997, eq. 4.11), never 0. Our own code.
 */
import { argError, checkInt, checkPositive, createRng, HazetraceError, type Rng, type TrajectorySet } from '../core/index.js';
import type { FeatureCollection } from 'geojson';
import { cwt, pscf, resolveGrid, type PscfOptions, type TrajCell, type TrajGrid, type TrajStatResult } from './trajstats.js';
import { subsetTrajectories } from './attribute.js';
import { trajCellsToGeoJson, cellVisits, checkSet, frequencyGrid, normalise, sumVisits, type DifferenceCell, type FrequencyStatistic, type TrajectoryFrequencyOptions } from './trajmaps.js';

/** Result of {@link benjaminiHochberg}. */
export interface BhResult {
  /** Adjusted p-values (R's `p.adjust(p, 'BH')`); NaN where the p-value was NaN. */
  qValues: Float64Array;
  /** `qValues[i] ≤ q`. */
  significant: boolean[];
  /** Number flagged. */
  count: number;
  /** The FDR level used. */
  q: number;
}

/**
 * Benjamini–Hochberg false discovery rate: adjusted p-values exactly as R's `p.adjust(p, method = 'BH')`
 * (`min over j ≥ rank of m·p₍ⱼ₎/j`, capped at 1; NaN entries are left out of `m` and stay NaN) and the flags
 * `adjusted ≤ q` (default q = 0.05), which are the hypotheses the BH step-up procedure rejects.
 * Throws `E_ARG` for a p-value outside [0, 1] or q outside (0, 1].
 *
 * @example
 * ```ts
 * import { benjaminiHochberg } from 'hazetrace/attribution';
 * const r = benjaminiHochberg([0.01, 0.04, 0.03, 0.2], 0.05);
 * Array.from(r.qValues); // [0.04, 0.0533…, 0.0533…, 0.2]
 * r.significant; // [true, false, false, false]
 * ```
 */
export function benjaminiHochberg(pValues: ArrayLike<number>, q = 0.05): BhResult {
  if (!pValues || typeof pValues.length !== 'number') throw argError('pValues', pValues, 'an array-like of p-values');
  if (!(typeof q === 'number' && q > 0 && q <= 1)) throw argError('q', q, 'a number in (0, 1]');
  const idx: number[] = [];
  for (let i = 0; i < pValues.length; i++) {
    const p = pValues[i]!;
    if (Number.isNaN(p)) continue;
    if (!(p >= 0 && p <= 1)) throw argError(`pValues[${i}]`, p, 'a p-value in [0, 1] or NaN');
    idx.push(i);
  }
  idx.sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const m = idx.length;
  const qValues = new Float64Array(pValues.length).fill(NaN);
  let run = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = idx[r]!;
    run = Math.min(run, (m * pValues[i]!) / (r + 1));
    qValues[i] = run;
  }
  const significant = Array.from(qValues, (v) => v <= q);
  return { qValues, significant, count: significant.filter(Boolean).length, q };
}

/** Options of every permutation test. */
export interface PermutationOptions {
  /** Number of permutations, default 999. */
  permutations?: number;
  /** Seed of the shuffles, default 1. */
  seed?: number;
  /** FDR level for the `significant` flags, default 0.05. */
  q?: number;
  /**
   * Which side counts as extreme: `'greater'` (high values; default for PSCF/CWT), `'less'`, or `'two-sided'`
   * (|value|; default for difference maps, whose null centre is 0).
   */
  alternative?: 'greater' | 'less' | 'two-sided';
  /**
   * How the null maps are drawn: `'shuffle'` (default) permutes freely, which assumes the trajectories are
   * exchangeable; `'circular-shift'` keeps the concentrations (or flags) in time order and rotates them against the
   * trajectories (ordered by start time) by a random lag of at least `minShift` places, so the autocorrelation of an
   * hourly series survives in the null — use it for trajectories started every few hours, whose neighbours share
   * both air and pollution. With one receptor and regular starts this is the classic toroidal-shift test.
   */
  scheme?: 'shuffle' | 'circular-shift';
  /** Smallest lag of a circular shift, in trajectories, default 1 (set it to the series' decorrelation length). */
  minShift?: number;
}

/** The fields a tested cell gains. */
export interface SignificanceFields {
  /** Permutation p-value. */
  p: number;
  /** Benjamini–Hochberg adjusted p-value over the tested cells. */
  q: number;
  /** `q ≤` the FDR level. */
  significant: boolean;
}

/** Options of {@link trajStatSignificance}. */
export interface TrajStatSignificanceOptions extends PscfOptions, PermutationOptions {
  /** The map to test. */
  statistic: 'pscf' | 'cwt';
}

/** Result of {@link trajStatSignificance}: the PSCF/CWT result with `p`, `q`, `significant` on every cell. */
export interface TrajStatSignificance extends Omit<TrajStatResult, 'cells' | 'toJSON'>, PermutationSummary {
  cells: (TrajCell & SignificanceFields)[];
}

/** What every permutation-test result states: how it was run and how many cells it flagged. */
export interface PermutationSummary {
  permutations: number;
  seed: number;
  q: number;
  alternative: 'greater' | 'less' | 'two-sided';
  scheme: 'shuffle' | 'circular-shift';
  /** Cells flagged significant. */
  flagged: number;
  toJSON(): object;
}

type Scheme = 'shuffle' | 'circular-shift';

function permOptions(options: PermutationOptions, defaultAlt: 'greater' | 'two-sided'): { n: number; seed: number; q: number; alt: 'greater' | 'less' | 'two-sided'; rng: Rng; scheme: Scheme; minShift: number } {
  const n = checkInt('options.permutations', options.permutations ?? 999, 1, 1e7);
  const seed = options.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw argError('options.seed', seed, 'a finite number');
  const q = checkPositive('options.q', options.q ?? 0.05);
  if (q > 1) throw argError('options.q', q, 'a number in (0, 1]');
  const alt = options.alternative ?? defaultAlt;
  if (alt !== 'greater' && alt !== 'less' && alt !== 'two-sided') throw argError('options.alternative', alt, "'greater', 'less' or 'two-sided'");
  const scheme = options.scheme ?? 'shuffle';
  if (scheme !== 'shuffle' && scheme !== 'circular-shift') throw argError('options.scheme', scheme, "'shuffle' or 'circular-shift'");
  const minShift = checkInt('options.minShift', options.minShift ?? 1, 1, Number.MAX_SAFE_INTEGER);
  return { n, seed, q, alt, rng: createRng(seed), scheme, minShift };
}

function shuffle<T extends { length: number; [i: number]: number }>(a: T, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/**
 * A function writing one null draw of `src` into `dst`: a free shuffle, or a rotation of `src` along `order`
 * (positions sorted by start time) by a random lag in [minShift, len − minShift].
 */
function permuter(scheme: Scheme, order: ArrayLike<number>, minShift: number, rng: Rng): (src: ArrayLike<number>, dst: { length: number; [i: number]: number }) => void {
  const len = order.length;
  if (scheme === 'shuffle') {
    return (src, dst) => {
      for (let i = 0; i < len; i++) dst[i] = src[i]!;
      shuffle(dst, rng);
    };
  }
  if (len - 2 * minShift + 1 < 1) throw new HazetraceError('E_ARG', `options.minShift ${minShift} leaves no lag for ${len} trajectories`, { argument: 'options.minShift', value: minShift });
  return (src, dst) => {
    const lag = minShift + rng.int(len - 2 * minShift + 1);
    for (let i = 0; i < len; i++) dst[order[i]!] = src[order[(i + lag) % len]!]!;
  };
}

/** Positions 0..len−1 sorted by the start time of the trajectory at each (stable). */
function timeOrder(set: TrajectorySet, traj: ArrayLike<number>): Uint32Array {
  const idx = Array.from({ length: traj.length }, (_, i) => i);
  idx.sort((a, b) => set.startTime[traj[a]!]! - set.startTime[traj[b]!]! || a - b);
  return Uint32Array.from(idx);
}

/** Count, per tested cell, permuted statistics at least as extreme as the observed one (relative tolerance 1e-9). */
function exceed(obs: number, perm: number, alt: 'greater' | 'less' | 'two-sided', centre: number): boolean {
  const tol = 1e-9 * Math.max(1, Math.abs(obs));
  if (alt === 'greater') return perm >= obs - tol;
  if (alt === 'less') return perm <= obs + tol;
  return Math.abs(perm - centre) >= Math.abs(obs - centre) - tol;
}

/**
 * Permutation test for PSCF or CWT cells: the per-trajectory concentrations are shuffled across trajectories
 * (`permutations` times, default 999, seeded), the map is recomputed, and each cell's p-value is the share of
 * permuted maps at least as high as the observed one; Benjamini–Hochberg over the cells gives `q` and the
 * `significant` flag at the FDR level `q` (default 0.05). `values[t]` is the concentration that trajectory t
 * arrived with (e.g. from `trajectoryConcentrations`); trajectories with a non-finite value are left out.
 * The observed map is exactly `pscf`/`cwt` over the remaining points with the same grid/weighting/minBin options
 * (default grid: openair's 1° boxes); the PSCF threshold stays the observed one in every permutation, and since a
 * cell's count weight depends only on its point count, which shuffling keeps, the test of the weighted value equals
 * the test of the raw one.
 *
 * @example
 * ```ts
 * import { uniformWind, traceTrajectories } from 'hazetrace/wind';
 * import { trajStatSignificance } from 'hazetrace/attribution';
 * const starts = Array.from({ length: 20 }, (_, i) => ({ lng: 99, lat: 18.8, time: i * 3600e3 }));
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), starts, { hours: 12 });
 * const r = trajStatSignificance(set, starts.map((_, i) => 10 + i), { statistic: 'cwt', grid: { type: 'h3', res: 3 }, permutations: 99 });
 * r.flagged; // 0: every trajectory took the same path, so no cell can stand out
 * ```
 */
export function trajStatSignificance(set: TrajectorySet, values: ArrayLike<number>, options: TrajStatSignificanceOptions): TrajStatSignificance {
  checkSet('set', set);
  if (!values || values.length !== set.length) throw argError('values', values, `one concentration per trajectory (${set.length})`);
  const statistic = options?.statistic;
  if (statistic !== 'pscf' && statistic !== 'cwt') throw argError('options.statistic', statistic, "'pscf' or 'cwt'");
  const { n: nPerm, seed, q, alt, rng, scheme, minShift } = permOptions(options, 'greater');
  const grid: TrajGrid = resolveGrid(options.grid);
  const used: number[] = [];
  for (let t = 0; t < set.length; t++) if (Number.isFinite(values[t]!)) used.push(t);
  let nPts = 0;
  for (const t of used) nPts += set.offsets[t + 1]! - set.offsets[t]!;
  const lng = new Float64Array(nPts);
  const lat = new Float64Array(nPts);
  const val = new Float64Array(nPts);
  let k = 0;
  for (const t of used) {
    for (let i = set.offsets[t]!; i < set.offsets[t + 1]!; i++, k++) {
      lng[k] = set.lng[i]!;
      lat[k] = set.lat[i]!;
      val[k] = values[t]!;
    }
  }
  const { statistic: _s, permutations: _p, seed: _seed, q: _q, alternative: _a, scheme: _sc, minShift: _ms, ...statOptions } = options;
  const observed = statistic === 'pscf' ? pscf({ lng, lat, value: val }, { ...statOptions, grid }) : cwt({ lng, lat, value: val }, { ...statOptions, grid });
  const visits = cellVisits(set, grid);
  const cellIndex = new Map(visits.ids.map((id, c) => [id, c]));
  const tested = Int32Array.from(observed.cells, (c) => cellIndex.get(c.id) ?? -1);
  if (tested.some((c) => c < 0)) throw new HazetraceError('E_INPUT', 'trajStatSignificance: a PSCF/CWT cell was not found among the binned trajectory cells');
  // x per used trajectory: the PSCF indicator (value above the observed threshold) or the CWT concentration.
  const thr = observed.threshold ?? NaN;
  const x = Float64Array.from(used, (t) => (statistic === 'pscf' ? (values[t]! > thr ? 1 : 0) : values[t]!));
  const numer = new Float64Array(visits.ids.length);
  const fill = (xs: Float64Array): void => {
    numer.fill(0);
    for (let u = 0; u < used.length; u++) {
      const t = used[u]!;
      const xv = xs[u]!;
      if (xv === 0) continue;
      for (let e = visits.start[t]!; e < visits.start[t + 1]!; e++) numer[visits.cell[e]!]! += visits.endpoints[e]! * xv;
    }
  };
  fill(x);
  const obs = Float64Array.from(tested, (c) => numer[c]!);
  // Null centre for two-sided tests: the expected numerator, n_c × mean(x).
  let mean = 0;
  for (const v of x) mean += v;
  mean = x.length ? mean / x.length : 0;
  const centre = Float64Array.from(observed.cells, (c) => c.n * mean);
  const hits = new Float64Array(tested.length);
  const xs = new Float64Array(x.length);
  const draw = permuter(scheme, timeOrder(set, used), minShift, rng);
  for (let r = 0; r < nPerm; r++) {
    draw(x, xs);
    fill(xs);
    for (let j = 0; j < tested.length; j++) if (exceed(obs[j]!, numer[tested[j]!]!, alt, centre[j]!)) hits[j]! += 1;
  }
  const pv = Float64Array.from(hits, (h) => (1 + h) / (1 + nPerm));
  const bh = benjaminiHochberg(pv, q);
  const cells = observed.cells.map((c, j) => ({ ...c, p: pv[j]!, q: bh.qValues[j]!, significant: bh.significant[j]! }));
  const { toJSON: _t, cells: _c, ...rest } = observed;
  const body = { ...rest, cells, permutations: nPerm, seed, q, alternative: alt, scheme, flagged: bh.count };
  return { ...body, toJSON: () => ({ ...body, threshold: body.threshold ?? null }) };
}

/** Options of {@link differenceSignificance}. */
export interface DifferenceSignificanceOptions extends TrajectoryFrequencyOptions, PermutationOptions {}

/** Result of {@link differenceSignificance}: the difference map with `p`, `q`, `significant` on every cell. */
export interface DifferenceSignificance extends PermutationSummary {
  statistic: 'difference';
  basis: FrequencyStatistic;
  grid: TrajGrid;
  cells: (DifferenceCell & SignificanceFields)[];
  nSubset: number;
  nAll: number;
}

/**
 * Permutation test for a difference map (see `differenceMap`): which trajectories form the subset (`inSubset[t]`,
 * e.g. "arrived on a high-PM2.5 hour") is shuffled across all trajectories, keeping the subset's size, the map
 * recomputed, and each cell's p-value is the share of permuted differences at least as far from 0 as the observed
 * one (`alternative: 'two-sided'`, default; `'greater'` tests only over-represented cells). Cell values are exactly
 * `differenceMap(subset, all, options)`'s. Benjamini–Hochberg over the cells gives `q` and `significant`.
 *
 * @example
 * ```ts
 * import { uniformWind, traceTrajectories } from 'hazetrace/wind';
 * import { differenceSignificance } from 'hazetrace/attribution';
 * const starts = Array.from({ length: 10 }, (_, i) => ({ lng: 99, lat: 18.8, time: i * 3600e3 }));
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), starts, { hours: 12 });
 * const r = differenceSignificance(set, starts.map((_, i) => i < 3), { res: 3, permutations: 99 });
 * r.cells.every((c) => c.value === 0 && !c.significant); // true: one path, no difference
 * ```
 */
export function differenceSignificance(all: TrajectorySet, inSubset: ArrayLike<boolean | number>, options: DifferenceSignificanceOptions = {}): DifferenceSignificance {
  checkSet('all', all);
  if (!inSubset || inSubset.length !== all.length) throw argError('inSubset', inSubset, `one flag per trajectory (${all.length})`);
  const { n: nPerm, seed, q, alt, rng, scheme, minShift } = permOptions(options, 'two-sided');
  const grid = frequencyGrid(options);
  const basis = options.statistic ?? 'trajectories';
  const minBin = checkInt('options.minBin', options.minBin ?? 1, 1, Number.MAX_SAFE_INTEGER);
  const visits = cellVisits(all, grid);
  const allSums = sumVisits(visits);
  const allV = normalise(basis, allSums);
  const tested: number[] = [];
  for (let c = 0; c < visits.ids.length; c++) if (allSums.trajectories[c]! >= minBin && allSums.trajectories[c]! > 0) tested.push(c);
  const mask = Uint8Array.from({ length: all.length }, (_, t) => (inSubset[t] ? 1 : 0));
  const subSums = sumVisits(visits, mask);
  const subV = normalise(basis, subSums);
  const obs = Float64Array.from(tested, (c) => subV[c]! - allV[c]!);
  const hits = new Float64Array(tested.length);
  const perm = new Uint8Array(mask.length);
  const draw = permuter(scheme, timeOrder(all, Array.from({ length: all.length }, (_, t) => t)), minShift, rng);
  for (let r = 0; r < nPerm; r++) {
    draw(mask, perm);
    const pv = normalise(basis, sumVisits(visits, perm));
    for (let j = 0; j < tested.length; j++) if (exceed(obs[j]!, pv[tested[j]!]! - allV[tested[j]!]!, alt, 0)) hits[j]! += 1;
  }
  const p = Float64Array.from(hits, (h) => (1 + h) / (1 + nPerm));
  const bh = benjaminiHochberg(p, q);
  const cells = tested.map((c, j) => ({
    id: visits.ids[c]!,
    lng: visits.lng[c]!,
    lat: visits.lat[c]!,
    value: obs[j]!,
    subset: subV[c]!,
    all: allV[c]!,
    trajectories: allSums.trajectories[c]!,
    subsetTrajectories: subSums.trajectories[c]!,
    p: p[j]!,
    q: bh.qValues[j]!,
    significant: bh.significant[j]!,
  }));
  const body = { statistic: 'difference' as const, basis, grid, cells, nSubset: subSums.nTrajectories, nAll: allSums.nTrajectories, permutations: nPerm, seed, q, alternative: alt, scheme, flagged: bh.count };
  return { ...body, toJSON: () => body };
}

/**
 * A tested PSCF/CWT or difference map as GeoJSON polygons (H3 hexagons with property `h3`, or degree boxes with
 * `cell`), each carrying `value`, the cell's counts and the flags `p`, `q` and `significant`.
 *
 * @example
 * ```ts
 * import { uniformWind, traceTrajectories } from 'hazetrace/wind';
 * import { differenceSignificance, significanceToGeoJson } from 'hazetrace/attribution';
 * const starts = Array.from({ length: 6 }, (_, i) => ({ lng: 99, lat: 18.8, time: i * 3600e3 }));
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), starts, { hours: 6 });
 * const fc = significanceToGeoJson(differenceSignificance(set, [1, 1, 0, 0, 0, 0], { permutations: 19 }));
 * fc.features[0]?.properties?.significant; // false
 * ```
 */
export function significanceToGeoJson(result: TrajStatSignificance | DifferenceSignificance): FeatureCollection {
  if (!result || !Array.isArray(result.cells) || !result.grid) throw argError('result', result, 'the result of trajStatSignificance or differenceSignificance');
  return trajCellsToGeoJson(result.grid, result.statistic, result.cells);
}

/** Options of {@link pollutedDifference}. */
export interface PollutedDifferenceOptions extends DifferenceSignificanceOptions {
  /** Concentration above which a trajectory counts as polluted, default 37.5 µg/m³. */
  threshold?: number;
}

/**
 * The tested difference map of polluted trajectories against all: of the trajectories with a concentration
 * (`values[t]` finite, e.g. from `trajectoryConcentrations` or `clusterStatistics(...).values`), those above
 * `threshold` form the subset, and {@link differenceSignificance} runs over the ones with a value only (a trajectory
 * without an observation is neither polluted nor clean, so it is left out rather than counted as clean).
 *
 * @example
 * ```ts
 * import { uniformWind, traceTrajectories } from 'hazetrace/wind';
 * import { pollutedDifference } from 'hazetrace/attribution';
 * const starts = Array.from({ length: 8 }, (_, i) => ({ lng: 99, lat: 18.8, time: i * 3600e3 }));
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), starts, { hours: 6 });
 * const r = pollutedDifference(set, [10, 50, NaN, 60, 5, 80, 12, 40], { threshold: 37.5, permutations: 99 });
 * [r.nSubset, r.nAll]; // [4, 7]
 * ```
 */
export function pollutedDifference(set: TrajectorySet, values: ArrayLike<number>, options: PollutedDifferenceOptions = {}): DifferenceSignificance {
  checkSet('set', set);
  if (!values || typeof values.length !== 'number' || values.length !== set.length) throw argError('values', values, `one concentration per trajectory (${set.length})`);
  const threshold = options.threshold ?? 37.5;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw argError('options.threshold', threshold, 'a finite concentration');
  const keep: number[] = [];
  for (let t = 0; t < set.length; t++) if (Number.isFinite(values[t])) keep.push(t);
  if (!keep.length) throw new HazetraceError('E_INPUT', 'pollutedDifference: no trajectory has a concentration to compare');
  const sub = keep.length === set.length ? set : subsetTrajectories(set, keep);
  return differenceSignificance(sub, keep.map((t) => (values[t]! > threshold ? 1 : 0)), options);
}
