/**
 * PM2.5 per transport pathway (docs/trajectory-maps.md): join a concentration series to trajectories by receptor and
 * start time, then summarise it per cluster (openair `trajCluster` followed by a pollutant join), and carry each
 * cluster's attributed shares by category and region from `attributeSeries`/`attribute` results. Our own code.
 */
import { argError, checkPositive, quantile, type TrajectorySet } from '../core/index.js';
import type { BandedShare, EpisodeAttribution } from './types.js';
import { checkSet } from './trajmaps.js';
import { groupObservations, lowerBoundTime } from './util.js';

/** A concentration series: one station id for all rows or one per row, times in UTC ms. */
export interface ConcentrationSeries {
  station: string | ArrayLike<string>;
  time: ArrayLike<number>;
  value: ArrayLike<number>;
}

/** Options of {@link trajectoryConcentrations}. */
export interface ConcentrationJoinOptions {
  /** Largest gap between a trajectory's start and the observation matched to it, minutes; default 30. */
  maxTimeGapMinutes?: number;
}

/**
 * The concentration each trajectory arrived with: the observation of the trajectory's receptor (station ids compared
 * case-insensitively) nearest in time to its start, within `maxTimeGapMinutes` (default 30); NaN when there is none.
 * Trajectories without a receptor id (`''`) take the series' station when the series has exactly one.
 * Series and trajectory times must mark the same instant (e.g. both hour-start).
 *
 * @example
 * ```ts
 * import { uniformWind, traceTrajectories } from 'hazetrace/wind';
 * import { trajectoryConcentrations } from 'hazetrace/attribution';
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), [{ lng: 99, lat: 18.8, time: 0, receptor: 'cm' }, { lng: 99, lat: 18.8, time: 7200e3, receptor: 'cm' }], { hours: 6 });
 * Array.from(trajectoryConcentrations(set, { station: 'CM', time: [0, 3600e3], value: [40, 55] })); // [40, NaN]: no value within 30 min of 02:00
 * ```
 */
export function trajectoryConcentrations(set: TrajectorySet, series: ConcentrationSeries, options: ConcentrationJoinOptions = {}): Float64Array {
  checkSet('set', set);
  if (!series || typeof series !== 'object' || !series.time || !series.value || series.station === undefined) {
    throw argError('series', series, '{ station, time, value } columns');
  }
  if (series.time.length !== series.value.length || (typeof series.station !== 'string' && series.station.length !== series.time.length)) {
    throw argError('series', `${series.time.length} times, ${series.value.length} values`, 'columns of equal length');
  }
  const maxGap = checkPositive('options.maxTimeGapMinutes', options.maxTimeGapMinutes ?? 30, true) * 60_000;
  const obs = groupObservations(series);
  const only = obs.size === 1 ? [...obs.values()][0] : undefined;
  const out = new Float64Array(set.length).fill(NaN);
  for (let t = 0; t < set.length; t++) {
    const r = (set.receptor[t] ?? '').toLowerCase();
    const arr = r === '' ? only : obs.get(r);
    if (!arr) continue;
    const time = set.startTime[t]!;
    const lo = lowerBoundTime(arr, time);
    let best = NaN;
    let bestGap = Infinity;
    for (const j of [lo - 1, lo]) {
      const o = arr[j];
      if (!o) continue;
      const gap = Math.abs(o.t - time);
      if (gap <= maxGap && gap < bestGap) {
        best = o.v;
        bestGap = gap;
      }
    }
    out[t] = best;
  }
  return out;
}

/** Options of {@link clusterStatistics}. */
export interface ClusterStatisticsOptions extends ConcentrationJoinOptions {
  /** Concentration above which an hour counts as polluted, default 37.5 µg/m³ (Thailand's 24-h PM2.5 standard). */
  threshold?: number;
  /** Number of clusters, default 1 + the largest index in `assignment`. */
  k?: number;
  /**
   * Attributed episodes (`attributeSeries(...).episodes` or `attribute(...).episodes`): each episode's trajectories
   * are matched to `set` by receptor and start time, and its category/region shares credited to the clusters those
   * trajectories belong to, in proportion.
   */
  attribution?: readonly Pick<EpisodeAttribution, 'trajectories' | 'sharesByCategory' | 'sharesByRegion' | 'totalScore'>[];
}

/** PM2.5 (or any series) on the trajectories of one cluster. */
export interface ClusterStat {
  cluster: number;
  /** Trajectories in the cluster and their share of all assigned trajectories (%). */
  n: number;
  percent: number;
  /** Trajectories with a matched concentration. */
  matched: number;
  mean: number;
  p10: number;
  p50: number;
  p90: number;
  /** Share (0–1) of matched trajectories above the threshold. */
  aboveShare: number;
  /** Attributed episodes credited to the cluster (weight summed over episodes); only with `attribution`. */
  episodes?: number;
  /** Mean attributed share per category / region over the credited episodes (0–1); only with `attribution`. */
  sharesByCategory?: Record<string, number>;
  sharesByRegion?: Record<string, number>;
}

/** Result of {@link clusterStatistics}. */
export interface ClusterStatistics {
  clusters: ClusterStat[];
  /** The concentration matched to each trajectory (NaN when none). */
  values: Float64Array;
  threshold: number;
  /** Assigned trajectories with no matched concentration. */
  unmatched: number;
  toJSON(): object;
}

/**
 * Per-cluster statistics of a concentration series (openair's `trajCluster` + pollutant join): for each cluster the
 * trajectory count and %, and over the concentrations joined by {@link trajectoryConcentrations} the mean, type-7
 * p10/p50/p90 and the share above `threshold` (default 37.5 µg/m³). `assignment[t]` is trajectory t's 0-based
 * cluster (e.g. `clusterTrajectories(set, …).assignment`); negative entries are left out. With `attribution`, each
 * cluster also gets the mean category and region shares of the attributed episodes whose trajectories it holds.
 *
 * @example
 * ```ts
 * import { uniformWind, traceTrajectories } from 'hazetrace/wind';
 * import { clusterStatistics } from 'hazetrace/attribution';
 * const starts = [0, 1, 2, 3].map((h) => ({ lng: 99, lat: 18.8, time: h * 3600e3, receptor: 'cm' }));
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), starts, { hours: 6 });
 * const s = clusterStatistics(set, [0, 0, 1, 1], { station: 'cm', time: [0, 3600e3, 7200e3, 10800e3], value: [20, 30, 60, 80] });
 * s.clusters[1]?.mean; // 70
 * s.clusters[1]?.aboveShare; // 1
 * ```
 */
export function clusterStatistics(set: TrajectorySet, assignment: ArrayLike<number>, series: ConcentrationSeries, options: ClusterStatisticsOptions = {}): ClusterStatistics {
  checkSet('set', set);
  if (!assignment || assignment.length !== set.length) throw argError('assignment', assignment, `one cluster index per trajectory (${set.length})`);
  let maxK = -1;
  for (let t = 0; t < assignment.length; t++) {
    const a = assignment[t]!;
    if (!Number.isInteger(a)) throw argError(`assignment[${t}]`, a, 'an integer cluster index');
    maxK = Math.max(maxK, a);
  }
  const k = options.k ?? maxK + 1;
  if (!Number.isInteger(k) || k < maxK + 1) throw argError('options.k', k, `an integer ≥ ${maxK + 1} (1 + the largest cluster index)`);
  const threshold = checkPositive('options.threshold', options.threshold ?? 37.5, true);
  const values = trajectoryConcentrations(set, series, options);
  const groups: number[][] = Array.from({ length: k }, () => []);
  const counts = new Array<number>(k).fill(0);
  let assigned = 0;
  let unmatched = 0;
  for (let t = 0; t < set.length; t++) {
    const a = assignment[t]!;
    if (a < 0) continue;
    assigned++;
    counts[a]!++;
    if (Number.isFinite(values[t]!)) groups[a]!.push(values[t]!);
    else unmatched++;
  }
  const clusters: ClusterStat[] = groups.map((g, c) => {
    let sum = 0;
    let above = 0;
    for (const v of g) {
      sum += v;
      if (v > threshold) above++;
    }
    return {
      cluster: c,
      n: counts[c]!,
      percent: assigned ? (100 * counts[c]!) / assigned : 0,
      matched: g.length,
      mean: g.length ? sum / g.length : NaN,
      p10: quantile(g, 0.1),
      p50: quantile(g, 0.5),
      p90: quantile(g, 0.9),
      aboveShare: g.length ? above / g.length : NaN,
    };
  });
  if (options.attribution) creditAttribution(set, assignment, k, options.attribution, clusters);
  const body = { clusters, threshold, unmatched };
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    ...body,
    values,
    toJSON: () => ({
      ...body,
      clusters: clusters.map((c) => ({ ...c, mean: finite(c.mean), p10: finite(c.p10), p50: finite(c.p50), p90: finite(c.p90), aboveShare: finite(c.aboveShare) })),
    }),
  };
}

function creditAttribution(
  set: TrajectorySet,
  assignment: ArrayLike<number>,
  k: number,
  episodes: NonNullable<ClusterStatisticsOptions['attribution']>,
  clusters: ClusterStat[],
): void {
  if (!Array.isArray(episodes)) throw argError('options.attribution', episodes, 'an array of attributed episodes');
  // (receptor, start time) → cluster counts of the set's trajectories with that key.
  const byKey = new Map<string, Float64Array>();
  for (let t = 0; t < set.length; t++) {
    const a = assignment[t]!;
    if (a < 0) continue;
    const key = `${(set.receptor[t] ?? '').toLowerCase()}|${set.startTime[t]}`;
    let row = byKey.get(key);
    if (!row) byKey.set(key, (row = new Float64Array(k)));
    row[a]! += 1;
  }
  const weight = new Float64Array(k);
  const cat: Record<string, number>[] = Array.from({ length: k }, () => ({}));
  const reg: Record<string, number>[] = Array.from({ length: k }, () => ({}));
  for (const ep of episodes) {
    if (!ep || !ep.trajectories || !(ep.totalScore > 0)) continue;
    const w = new Float64Array(k);
    const tr = ep.trajectories;
    for (let t = 0; t < tr.length; t++) {
      const row = byKey.get(`${(tr.receptor[t] ?? '').toLowerCase()}|${tr.startTime[t]}`);
      if (!row) continue;
      let tot = 0;
      for (const v of row) tot += v;
      for (let c = 0; c < k; c++) w[c]! += row[c]! / tot;
    }
    let sw = 0;
    for (const v of w) sw += v;
    if (sw <= 0) continue;
    for (let c = 0; c < k; c++) {
      const f = w[c]! / sw;
      if (f === 0) continue;
      weight[c]! += f;
      for (const [name, s] of Object.entries(ep.sharesByCategory ?? {}) as [string, BandedShare][]) cat[c]![name] = (cat[c]![name] ?? 0) + f * s.share;
      for (const [name, s] of Object.entries(ep.sharesByRegion ?? {}) as [string, BandedShare][]) reg[c]![name] = (reg[c]![name] ?? 0) + f * s.share;
    }
  }
  for (let c = 0; c < k; c++) {
    const cl = clusters[c]!;
    const wc = weight[c]!;
    cl.episodes = wc;
    cl.sharesByCategory = Object.fromEntries(Object.entries(cat[c]!).map(([n, v]) => [n, v / wc]));
    cl.sharesByRegion = Object.fromEntries(Object.entries(reg[c]!).map(([n, v]) => [n, v / wc]));
  }
}
