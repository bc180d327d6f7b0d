/**
 * Trajectory-to-trajectory distances for clustering (docs/trajectory-clustering.md): openair's two
 * trajCluster distances reproduced as openair computes them, and their correct spherical versions.
 * Browser-safe; all matrices are condensed lower triangles in R's `dist` order.
 */
import { HazetraceError, argError } from '../core/errors.js';
import { EARTH_RADIUS_M } from '../core/geodesy.js';
import type { TrajectorySet } from '../core/types.js';
import { checkOptions, checkTrajectorySet } from '../core/check.js';

/** Distance between two trajectories; see {@link trajectoryDistances}. */
export type ClusterDistance = 'euclid-openair' | 'angle-openair' | 'euclid' | 'angle';
/** How trajectories of unequal length are handled: keep the most common length (openair) or throw. */
export type LengthPolicy = 'most-common' | 'error';

export const CLUSTER_DISTANCES: readonly ClusterDistance[] = ['euclid-openair', 'angle-openair', 'euclid', 'angle'];
const RAD = Math.PI / 180;
const R_KM = EARTH_RADIUS_M / 1000;

/** Trajectories of one common length, stored oldest point first (openair's row order), receptor last. */
export interface Tracks {
  /** Number of trajectories kept. */
  n: number;
  /** Points per trajectory. */
  m: number;
  /** Indices (in the input set) of the trajectories kept, in set order. */
  kept: number[];
  /** Longitudes, `n × m`, trajectory-major, oldest point first. */
  lng: Float64Array;
  /** Latitudes, same layout. */
  lat: Float64Array;
  /** Age in hours of each point of the first kept trajectory, hazetrace order (receptor first). */
  ageHours: Float64Array;
}

/**
 * Keep trajectories of one length. `'most-common'` keeps the most common point count; for the openair
 * modes the count is weighted by rows as openair's `tabulate` over points does, ties to the length seen first.
 */
export function prepareTracks(set: TrajectorySet, lengths: LengthPolicy, rowWeighted: boolean): Tracks {
  if (set === null || typeof set !== 'object' || !(set.offsets instanceof Uint32Array) || typeof set.length !== 'number') {
    throw argError('set', set, 'a TrajectorySet (from traceTrajectories, traceEnsemble or readTdump)');
  }
  const count = new Map<number, number>();
  for (let t = 0; t < set.length; t++) {
    const len = set.offsets[t + 1]! - set.offsets[t]!;
    count.set(len, (count.get(len) ?? 0) + (rowWeighted ? len : 1));
  }
  let best = -1;
  let bestCount = -1;
  for (const [len, c] of count) {
    if (c > bestCount) {
      best = len;
      bestCount = c;
    }
  }
  if (count.size > 1 && lengths === 'error') {
    throw new HazetraceError('E_INPUT', `trajectories have ${count.size} different lengths; use lengths: 'most-common'`, { lengths: [...count.keys()] });
  }
  const kept: number[] = [];
  for (let t = 0; t < set.length; t++) if (set.offsets[t + 1]! - set.offsets[t]! === best) kept.push(t);
  const m = best;
  if (kept.length < 2 || m < 2) {
    throw new HazetraceError('E_INPUT', `need at least 2 trajectories of at least 2 points, got ${kept.length} of ${Math.max(m, 0)} points`);
  }
  const n = kept.length;
  const lng = new Float64Array(n * m);
  const lat = new Float64Array(n * m);
  for (let c = 0; c < n; c++) {
    const a = set.offsets[kept[c]!]!;
    for (let p = 0; p < m; p++) {
      const x = set.lng[a + p]!;
      const y = set.lat[a + p]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        throw new HazetraceError('E_INPUT', `trajectory ${kept[c]} has a non-finite coordinate at point ${p}`, { trajectory: kept[c], point: p });
      }
      lng[c * m + (m - 1 - p)] = x;
      lat[c * m + (m - 1 - p)] = y;
    }
  }
  const a0 = set.offsets[kept[0]!]!;
  const ageHours = set.ageHours ? Float64Array.from(set.ageHours.subarray(a0, a0 + m)) : new Float64Array(m);
  return { n, m, kept, lng, lat, ageHours };
}

/** A distance between kept trajectories `i < j` (the openair Euclid quirk depends on the order). */
export type PairDistance = (i: number, j: number) => number;

/** Build the pair-distance function of one mode over prepared tracks. */
export function pairDistance(tr: Tracks, mode: ClusterDistance): PairDistance {
  const { n, m, lng, lat } = tr;
  if (mode === 'euclid-openair') {
    // openair distEuclid(lon, lat): the "lat" slot holds longitudes, so the cosine is of the longitude of
    // trajectory i, and it scales the latitude difference. Summed per point, 110 km per degree.
    const cosA = new Float64Array(n * m);
    for (let q = 0; q < n * m; q++) cosA[q] = Math.cos((lng[q]! * Math.PI) / 180);
    return (i, j) => {
      const a = i * m;
      const b = j * m;
      let sum = 0;
      for (let k = 0; k < m; k++) {
        const d1 = lng[a + k]! - lng[b + k]!;
        const d2 = (lat[a + k]! - lat[b + k]!) * cosA[a + k]!;
        sum += 110 * Math.sqrt(d1 * d1 + d2 * d2);
      }
      return sum;
    };
  }
  if (mode === 'angle-openair') {
    // openair distAngle: origin = receptor of the first trajectory; angle at the origin by the law of
    // cosines in degree space, mean over all points but the receptor; a NaN anywhere makes the pair 0.
    const x0 = lng[m - 1]!;
    const y0 = lat[m - 1]!;
    const A = new Float64Array(n * m);
    for (let q = 0; q < n * m; q++) {
      const dx = lng[q]! - x0;
      const dy = lat[q]! - y0;
      A[q] = dx * dx + dy * dy;
    }
    return (i, j) => {
      const a = i * m;
      const b = j * m;
      let sum = 0;
      for (let k = 0; k < m - 1; k++) {
        const dx = lng[b + k]! - lng[a + k]!;
        const dy = lat[b + k]! - lat[a + k]!;
        const ai = A[a + k]!;
        const bj = A[b + k]!;
        let v = (0.5 * (ai + bj - (dx * dx + dy * dy))) / Math.sqrt(ai * bj);
        if (v > 1) v = 1;
        if (v < -1) v = -1;
        sum += Math.acos(v);
      }
      const d = sum / (m - 1);
      return Number.isNaN(d) ? 0 : d;
    };
  }
  if (mode === 'euclid') {
    // sum over points of the great-circle distance (km) between corresponding points
    const X = new Float64Array(n * m);
    const Y = new Float64Array(n * m);
    const Z = new Float64Array(n * m);
    for (let q = 0; q < n * m; q++) {
      const p = lat[q]! * RAD;
      const l = lng[q]! * RAD;
      X[q] = Math.cos(p) * Math.cos(l);
      Y[q] = Math.cos(p) * Math.sin(l);
      Z[q] = Math.sin(p);
    }
    return (i, j) => {
      const a = i * m;
      const b = j * m;
      let sum = 0;
      for (let k = 0; k < m; k++) {
        const dx = X[a + k]! - X[b + k]!;
        const dy = Y[a + k]! - Y[b + k]!;
        const dz = Z[a + k]! - Z[b + k]!;
        const h = 0.5 * Math.sqrt(dx * dx + dy * dy + dz * dz);
        sum += Math.asin(h < 1 ? h : 1);
      }
      return 2 * R_KM * sum;
    };
  }
  if (mode === 'angle') {
    // mean angle (radians) between the initial great-circle bearings from each trajectory's own receptor
    // to its point k; a point sitting on its receptor has no bearing and adds 0.
    const cb = new Float64Array(n * m);
    const sb = new Float64Array(n * m);
    for (let t = 0; t < n; t++) {
      const r = t * m + m - 1;
      const p1 = lat[r]! * RAD;
      for (let k = 0; k < m - 1; k++) {
        const q = t * m + k;
        const p2 = lat[q]! * RAD;
        const dl = (lng[q]! - lng[r]!) * RAD;
        const y = Math.sin(dl) * Math.cos(p2);
        const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
        const h = Math.hypot(x, y);
        cb[q] = h > 0 ? x / h : NaN;
        sb[q] = h > 0 ? y / h : NaN;
      }
    }
    return (i, j) => {
      const a = i * m;
      const b = j * m;
      let sum = 0;
      for (let k = 0; k < m - 1; k++) {
        const v = cb[a + k]! * cb[b + k]! + sb[a + k]! * sb[b + k]!;
        if (v === v) sum += Math.acos(v > 1 ? 1 : v < -1 ? -1 : v);
      }
      return sum / (m - 1);
    };
  }
  throw argError('distance', mode, `one of ${CLUSTER_DISTANCES.map((d) => `'${d}'`).join(', ')}`);
}

/** Position of pair `i < j` in a condensed matrix of `n` objects (R's `dist` order: by columns of the lower triangle). */
export function pairIndex(n: number, i: number, j: number): number {
  return i * n - (i * (i + 1)) / 2 + (j - i - 1);
}

/** Fill the condensed matrix (length n(n−1)/2) of a pair-distance function. */
export function condensedMatrix(n: number, dist: PairDistance): Float64Array {
  const out = new Float64Array((n * (n - 1)) / 2);
  let q = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[q++] = dist(i, j);
  return out;
}

/** Options of {@link trajectoryDistances}. */
export interface TrajectoryDistanceOptions {
  /** Distance; default `'euclid'` (km, summed great-circle distance between corresponding points). */
  distance?: ClusterDistance;
  /** Unequal lengths: `'most-common'` (default, openair) keeps the most common length, `'error'` throws. */
  lengths?: LengthPolicy;
}

/**
 * The condensed distance matrix between trajectories: a Float64Array of n(n−1)/2 values in R's `dist` order
 * (pair `i < j` at `i·n − i(i+1)/2 + j − i − 1`), over the trajectories kept (`kept`, set indices).
 * Units: km for `'euclid'` and `'euclid-openair'` (the latter with openair's 110 km per degree and its
 * cos-of-longitude quirk), radians for `'angle'` and `'angle-openair'`. Default distance `'euclid'`.
 *
 * @example
 * ```ts
 * import { trajectoryDistances } from 'hazetrace/attribution';
 * import { traceTrajectories, uniformWind } from 'hazetrace/wind';
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), [{ lng: 99, lat: 18, time: 0 }, { lng: 99, lat: 18.5, time: 0 }], { hours: 6 });
 * const { matrix } = trajectoryDistances(set); // Float64Array(1): 7 points × ≈55.6 km ≈ 389 km
 * ```
 */
export function trajectoryDistances(set: TrajectorySet, options: TrajectoryDistanceOptions = {}): { matrix: Float64Array; kept: number[] } {
  checkTrajectorySet('set', set);
  checkOptions('options', options);
  const mode = options.distance ?? 'euclid';
  if (!CLUSTER_DISTANCES.includes(mode)) throw argError('distance', mode, `one of ${CLUSTER_DISTANCES.map((d) => `'${d}'`).join(', ')}`);
  const tr = prepareTracks(set, options.lengths ?? 'most-common', mode.endsWith('-openair'));
  return { matrix: condensedMatrix(tr.n, pairDistance(tr, mode)), kept: tr.kept };
}
