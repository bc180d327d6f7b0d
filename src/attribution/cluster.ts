/**
 * Trajectory clustering (docs/trajectory-clustering.md): transport pathways from a season of back-trajectories.
 * PAM that reproduces R's `cluster::pam`, CLARA for large sets, and HYSPLIT-style agglomerative clustering
 * with its total spatial variance (TSV) curve. Browser-safe; deterministic (CLARA takes a seed).
 */
import { HazetraceError, argError, checkInt } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import type { TrajectorySet } from '../core/types.js';
import { CLUSTER_DISTANCES, condensedMatrix, pairDistance, pairIndex, prepareTracks } from './cluster-distance.js';
import type { ClusterDistance, LengthPolicy, PairDistance, Tracks } from './cluster-distance.js';
import { cutMerges, ecef, totalSpatialVariance, wardMerges } from './cluster-ward.js';
import { checkArrayLike } from '../core/check.js';

export { trajectoryDistances } from './cluster-distance.js';
export type { ClusterDistance, LengthPolicy, TrajectoryDistanceOptions } from './cluster-distance.js';

/** Clustering algorithm: `'pam'` (R's cluster::pam), `'clara'` (sampled PAM for large n), `'hysplit'` (Ward/TSV). */
export type ClusterAlgorithm = 'pam' | 'clara' | 'hysplit';

/** Options of {@link clusterTrajectories}. */
export interface ClusterOptions {
  /** Number of clusters, an integer ≥ 1 and < the number of trajectories; `'auto'` (hysplit only) applies {@link suggestK} to the TSV curve. */
  k: number | 'auto';
  /** Distance (see {@link trajectoryDistances}); default `'euclid'`. `'hysplit'` works in its own km space and accepts only `'euclid'`. */
  distance?: ClusterDistance;
  /** Algorithm; default `'pam'`. */
  algorithm?: ClusterAlgorithm;
  /** Unequal lengths: `'most-common'` (default, as openair) or `'error'`. Dropped trajectories get cluster −1. */
  lengths?: LengthPolicy;
  /** CLARA: number of samples (default 5) and sample size (default min(n, max(40 + 2k, 500))); seed default 1. */
  samples?: number;
  sampleSize?: number;
  seed?: number;
  /** `'hysplit'`: longest TSV curve, k = 1..maxK (default 20). */
  maxK?: number;
  /** Largest number of trajectories for a full distance matrix (pam, hysplit); default 12,000 (≈ 0.6 GB). */
  maxMatrixTrajectories?: number;
}

/** Result of {@link clusterTrajectories}. */
export interface ClusterResult {
  /** Cluster (0-based) of every trajectory of the input set, in set order; −1 for trajectories dropped for length. */
  assignment: Int32Array;
  /** Medoid trajectory (index into the input set) of each cluster; cluster i's medoid at position i. */
  medoids: number[];
  /** Trajectories per cluster, and their percentage of the kept trajectories. */
  size: number[];
  percent: number[];
  /** Mean path per cluster (spherical mean per point), receptor first, with the point ages (hours). */
  meanPaths: { lng: Float64Array; lat: Float64Array }[];
  ageHours: Float64Array;
  /** Mean distance of a trajectory to its medoid (R's `objective["swap"]`); hysplit: TSV at k, km². */
  objective: number;
  /** `'hysplit'`: total spatial variance (km²) for k = 1..maxK (tsv[k − 1]). */
  tsv?: number[];
  /** Indices (in the set) of the trajectories used; `dropped` those left out for length. */
  kept: number[];
  dropped: number[];
  k: number;
  distance: ClusterDistance;
  algorithm: ClusterAlgorithm;
  toJSON(): Record<string, unknown>;
}

/** Output of {@link pam}: 0-based medoids (cluster order), assignment and objective. */
export interface PamResult {
  medoids: number[];
  assignment: Int32Array;
  /** Mean dissimilarity to the nearest medoid after BUILD and after SWAP (R's `objective`). */
  objective: { build: number; swap: number };
  /** Number of swaps made. */
  swaps: number;
}

/**
 * Partitioning Around Medoids on a condensed dissimilarity matrix, step for step as R's `cluster::pam`
 * (original BUILD then SWAP, `pamonce = FALSE`): same tie rules (BUILD keeps the last best candidate,
 * SWAP the first best swap, points join the lowest-index nearest medoid), same stopping tolerance, and
 * clusters numbered in order of first appearance, so medoids and assignment equal R's (minus 1).
 *
 * @example
 * ```ts
 * import { pam } from 'hazetrace/attribution';
 * // 4 points on a line at 0, 1, 10, 11: dist order (0,1),(0,2),(0,3),(1,2),(1,3),(2,3)
 * const r = pam(Float64Array.of(1, 10, 11, 9, 10, 1), 4, 2);
 * r.medoids; // [1, 2]  (R: pam(dist(c(0, 1, 10, 11)), 2)$id.med is 2 3)
 * ```
 */
export function pam(dist: Float64Array, n: number, k: number): PamResult {
  checkInt('n', n, 2, 1 << 20);
  checkInt('k', k, 1, n - 1);
  if (!(dist instanceof Float64Array) || dist.length !== (n * (n - 1)) / 2) throw argError('dist', dist, `a Float64Array of n(n-1)/2 = ${(n * (n - 1)) / 2} values`);
  let smax = 0;
  for (let q = 0; q < dist.length; q++) {
    const v = dist[q]!;
    if (!(v >= 0)) throw new HazetraceError('E_INPUT', `dissimilarity ${q} is ${v}; all must be finite and >= 0`);
    if (v > smax) smax = v;
  }
  const big = smax * 1.1 + 1;
  const d = (i: number, j: number): number => (i === j ? 0 : i < j ? dist[pairIndex(n, i, j)]! : dist[pairIndex(n, j, i)]!);
  const row = (i: number, out: Float64Array): Float64Array => {
    for (let j = 0; j < n; j++) out[j] = d(i, j);
    return out;
  };
  const isMed = new Uint8Array(n);
  const da = new Float64Array(n).fill(big);
  const db = new Float64Array(n);
  const buf = new Float64Array(n);
  // BUILD
  for (let step = 0; step < k; step++) {
    let best = -1;
    let gainMax = 0;
    for (let i = 0; i < n; i++) {
      if (isMed[i]) continue;
      row(i, buf);
      let gain = 0;
      for (let j = 0; j < n; j++) {
        const c = da[j]! - buf[j]!;
        if (c > 0) gain += c;
      }
      if (gainMax <= gain) {
        gainMax = gain;
        best = i;
      }
    }
    isMed[best] = 1;
    row(best, buf);
    for (let j = 0; j < n; j++) if (da[j]! > buf[j]!) da[j] = buf[j]!;
  }
  let sky = 0;
  for (let j = 0; j < n; j++) sky += da[j]!;
  const build = sky / n;
  let swaps = 0;
  if (k > 1) {
    const medRows: Float64Array[] = [];
    for (;;) {
      const meds: number[] = [];
      for (let i = 0; i < n; i++) if (isMed[i]) meds.push(i);
      medRows.length = 0;
      for (const i of meds) medRows.push(row(i, new Float64Array(n)));
      for (let j = 0; j < n; j++) {
        let a = big;
        let b = big;
        for (const r of medRows) {
          const v = r[j]!;
          if (a > v) {
            b = a;
            a = v;
          } else if (b > v) b = v;
        }
        da[j] = a;
        db[j] = b;
      }
      let dzBest = 1;
      let hBest = -1;
      let iBest = -1;
      for (let h = 0; h < n; h++) {
        if (isMed[h]) continue;
        row(h, buf);
        for (let mi = 0; mi < meds.length; mi++) {
          const ri = medRows[mi]!;
          let dz = 0;
          for (let j = 0; j < n; j++) {
            const dh = buf[j]!;
            const a = da[j]!;
            if (ri[j] === a) {
              const b = db[j]!;
              dz += -a + (b > dh ? dh : b);
            } else if (dh < a) dz += -a + dh;
          }
          if (dzBest > dz) {
            dzBest = dz;
            hBest = h;
            iBest = meds[mi]!;
          }
        }
      }
      if (!(dzBest < -16 * Number.EPSILON * Math.abs(sky))) break;
      isMed[hBest] = 1;
      isMed[iBest] = 0;
      sky += dzBest;
      swaps++;
    }
  }
  const medIdx: number[] = [];
  for (let i = 0; i < n; i++) if (isMed[i]) medIdx.push(i);
  const { assignment, medoids, total } = assignNearest(n, medIdx, d, big);
  return { medoids, assignment, objective: { build, swap: total / n }, swaps };
}

/** Nearest medoid (ties → lowest index), clusters numbered by first appearance; medoids listed in cluster order. */
function assignNearest(n: number, medIdx: readonly number[], d: (i: number, j: number) => number, big: number): { assignment: Int32Array; medoids: number[]; total: number } {
  const sorted = [...medIdx].sort((x, y) => x - y);
  const owner = new Int32Array(n);
  let total = 0;
  const isMed = new Set(sorted);
  for (let j = 0; j < n; j++) {
    if (isMed.has(j)) {
      owner[j] = j;
      continue;
    }
    let best = big;
    let who = sorted[0]!;
    for (const i of sorted) {
      const v = d(i, j);
      if (best > v) {
        best = v;
        who = i;
      }
    }
    owner[j] = who;
    total += best;
  }
  const label = new Map<number, number>();
  const medoids: number[] = [];
  const assignment = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const o = owner[j]!;
    let c = label.get(o);
    if (c === undefined) {
      c = medoids.length;
      label.set(o, c);
      medoids.push(o);
    }
    assignment[j] = c;
  }
  return { assignment, medoids, total };
}

/** CLARA: PAM on seeded samples (each after the first keeps the best medoids so far), best by mean distance over all. */
function clara(tr: Tracks, dist: PairDistance, k: number, samples: number, sampleSize: number, seed: number): { medoids: number[]; assignment: Int32Array; objective: number } {
  const n = tr.n;
  const rng = createRng(seed);
  const d = (i: number, j: number): number => (i === j ? 0 : i < j ? dist(i, j) : dist(j, i));
  let bestMed: number[] = [];
  let bestObj = Infinity;
  for (let s = 0; s < samples; s++) {
    const chosen = new Set<number>(bestMed);
    // partial Fisher–Yates over a lazily materialised permutation
    const swapped = new Map<number, number>();
    let left = n;
    while (chosen.size < sampleSize && left > 0) {
      const r = rng.int(left);
      const v = swapped.get(r) ?? r;
      swapped.set(r, swapped.get(left - 1) ?? left - 1);
      left--;
      chosen.add(v);
    }
    const idx = [...chosen].sort((a, b) => a - b);
    const m = idx.length;
    const sub = condensedMatrix(m, (a, b) => dist(idx[a]!, idx[b]!));
    const res = pam(sub, m, k);
    const meds = res.medoids.map((q) => idx[q]!).sort((a, b) => a - b);
    let total = 0;
    for (let j = 0; j < n; j++) {
      let best = Infinity;
      for (const i of meds) {
        const v = d(i, j);
        if (v < best) best = v;
      }
      total += best;
    }
    if (total / n < bestObj) {
      bestObj = total / n;
      bestMed = meds;
    }
  }
  const { assignment, medoids } = assignNearest(n, bestMed, d, Infinity);
  return { medoids, assignment, objective: bestObj };
}

/**
 * HYSPLIT's change-in-TSV rule: the number of clusters just before the largest relative jump in total spatial
 * variance, i.e. the k in 2..tsv.length maximising (TSV(k−1) − TSV(k)) / TSV(k) (ties → larger k).
 * `tsv[k − 1]` is the TSV with k clusters (as `clusterTrajectories(..., { algorithm: 'hysplit' }).tsv`).
 *
 * @example
 * ```ts
 * import { suggestK } from 'hazetrace/attribution';
 * suggestK([900, 500, 200, 20, 18, 16]); // 4: merging 4 → 3 clusters multiplies TSV by 10
 * ```
 */
export function suggestK(tsv: readonly number[]): number {
  if (!Array.isArray(tsv) || tsv.length < 2 || !tsv.every((v) => typeof v === 'number' && v >= 0)) {
    throw argError('tsv', tsv, 'an array of at least 2 TSV values >= 0 (tsv[k - 1] for k clusters)');
  }
  let bestK = 2;
  let bestJump = -Infinity;
  for (let k = 2; k <= tsv.length; k++) {
    const here = tsv[k - 1]!;
    const jump = here > 0 ? (tsv[k - 2]! - here) / here : tsv[k - 2]! > 0 ? Infinity : 0;
    if (jump >= bestJump) {
      bestJump = jump;
      bestK = k;
    }
  }
  return bestK;
}

/**
 * Adjusted Rand index between two labelings (1 = identical partitions, ≈ 0 for chance agreement).
 *
 * @example
 * ```ts
 * import { adjustedRandIndex } from 'hazetrace/attribution';
 * adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]); // 1 (same partition, other names)
 * ```
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkArrayLike('a', a);
  checkArrayLike('b', b);
  if (a.length !== b.length || a.length < 2) throw argError('b', b, `a labeling of the same length as a (${a.length}, at least 2)`);
  const table = new Map<string, number>();
  const ra = new Map<number, number>();
  const rb = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]}|${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    ra.set(a[i]!, (ra.get(a[i]!) ?? 0) + 1);
    rb.set(b[i]!, (rb.get(b[i]!) ?? 0) + 1);
  }
  const c2 = (x: number): number => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of table.values()) index += c2(v);
  let sa = 0;
  let sb = 0;
  for (const v of ra.values()) sa += c2(v);
  for (const v of rb.values()) sb += c2(v);
  const expected = (sa * sb) / c2(a.length);
  const max = (sa + sb) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/** Spherical mean path per cluster, hazetrace point order (receptor first). */
function meanPaths(tr: Tracks, assignment: Int32Array, k: number): { lng: Float64Array; lat: Float64Array }[] {
  const { m } = tr;
  const X = ecef(tr);
  const acc = new Float64Array(k * m * 3);
  for (let i = 0; i < tr.n; i++) {
    const c = assignment[i]!;
    for (let t = 0; t < m * 3; t++) acc[c * m * 3 + t] = acc[c * m * 3 + t]! + X[i * m * 3 + t]!;
  }
  const out: { lng: Float64Array; lat: Float64Array }[] = [];
  for (let c = 0; c < k; c++) {
    const lng = new Float64Array(m);
    const lat = new Float64Array(m);
    for (let p = 0; p < m; p++) {
      const o = (c * m + (m - 1 - p)) * 3;
      const x = acc[o]!;
      const y = acc[o + 1]!;
      const z = acc[o + 2]!;
      lng[p] = (Math.atan2(y, x) * 180) / Math.PI;
      lat[p] = (Math.atan2(z, Math.hypot(x, y)) * 180) / Math.PI;
    }
    out.push({ lng, lat });
  }
  return out;
}

/**
 * Cluster back-trajectories into transport pathways (openair `trajCluster` / HYSPLIT clustering).
 * Trajectories of unequal length: the most common length is kept (openair), the rest are reported in
 * `dropped` and get cluster −1. Distances: `'euclid'` (default; summed great-circle km between corresponding
 * points), `'angle'` (mean bearing angle at the receptor, radians), and `'euclid-openair'` / `'angle-openair'`
 * which reproduce openair's distances including its quirk of scaling the latitude difference by the cosine of
 * the longitude (docs/trajectory-clustering.md). Algorithms: `'pam'` (default; same medoids and assignment
 * as R `cluster::pam`), `'clara'` (large n, seeded), `'hysplit'` (Ward on km coordinates, TSV curve per k).
 *
 * @example
 * ```ts
 * import { clusterTrajectories } from 'hazetrace/attribution';
 * import { concatTrajectorySets, traceTrajectories, uniformWind } from 'hazetrace/wind';
 * const start = [{ lng: 99, lat: 18.8, time: 0 }];
 * const set = concatTrajectorySets([
 *   traceTrajectories(uniformWind({ u: 5, v: 0 }), start, { hours: 12 }),
 *   traceTrajectories(uniformWind({ u: 5.5, v: 0 }), start, { hours: 12 }),
 *   traceTrajectories(uniformWind({ u: 0, v: 5 }), start, { hours: 12 }),
 *   traceTrajectories(uniformWind({ u: 0, v: 5.5 }), start, { hours: 12 }),
 * ]);
 * const r = clusterTrajectories(set, { k: 2, distance: 'euclid', algorithm: 'pam' });
 * Array.from(r.assignment); // [0, 0, 1, 1]
 * ```
 */
export function clusterTrajectories(set: TrajectorySet, options: ClusterOptions): ClusterResult {
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object with k');
  const distance = options.distance ?? 'euclid';
  const algorithm = options.algorithm ?? 'pam';
  const lengths = options.lengths ?? 'most-common';
  if (!CLUSTER_DISTANCES.includes(distance)) throw argError('distance', distance, `one of ${CLUSTER_DISTANCES.map((d) => `'${d}'`).join(', ')}`);
  if (algorithm !== 'pam' && algorithm !== 'clara' && algorithm !== 'hysplit') throw argError('algorithm', algorithm, "'pam', 'clara' or 'hysplit'");
  if (lengths !== 'most-common' && lengths !== 'error') throw argError('lengths', lengths, "'most-common' or 'error'");
  if (algorithm === 'hysplit' && distance !== 'euclid') throw argError('distance', distance, "'euclid' with algorithm 'hysplit' (Ward works on km coordinates)");
  if (options.k === 'auto' && algorithm !== 'hysplit') throw argError('k', options.k, "a number (k: 'auto' needs algorithm 'hysplit')");
  const tr = prepareTracks(set, lengths, distance.endsWith('-openair'));
  const n = tr.n;
  const k = options.k === 'auto' ? 0 : checkInt('k', options.k, 1, n - 1);
  const maxMatrix = options.maxMatrixTrajectories ?? 12_000;
  if (algorithm !== 'clara' && n > maxMatrix) {
    throw new HazetraceError('E_BUDGET', `${n} trajectories need a ${((n * (n - 1)) / 2 / 1.25e8).toFixed(1)} GB distance matrix (limit maxMatrixTrajectories = ${maxMatrix}); use algorithm: 'clara'`, { n, maxMatrixTrajectories: maxMatrix });
  }
  let assignment: Int32Array;
  let medoidsLocal: number[];
  let objective: number;
  let tsv: number[] | undefined;
  let kk = k;
  if (algorithm === 'pam') {
    const res = pam(condensedMatrix(n, pairDistance(tr, distance)), n, k);
    assignment = res.assignment;
    medoidsLocal = res.medoids;
    objective = res.objective.swap;
  } else if (algorithm === 'clara') {
    const samples = checkInt('samples', options.samples ?? 5, 1, 1000);
    const sampleSize = checkInt('sampleSize', options.sampleSize ?? Math.min(n, Math.max(40 + 2 * k, 500)), k + 1, n);
    const seed = options.seed ?? 1;
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw argError('seed', seed, 'a finite number');
    const res = clara(tr, pairDistance(tr, distance), k, samples, sampleSize, seed);
    assignment = res.assignment;
    medoidsLocal = res.medoids;
    objective = res.objective;
  } else {
    if (n < 3) throw new HazetraceError('E_INPUT', `algorithm 'hysplit' needs at least 3 trajectories of one length, got ${n}`);
    const maxK = checkInt('maxK', options.maxK ?? Math.min(20, n - 1), 2, n - 1);
    const dim = tr.m * 3;
    const X = ecef(tr);
    const merges = wardMerges(X, n, dim);
    tsv = [];
    for (let c = 1; c <= maxK; c++) tsv.push(totalSpatialVariance(X, n, dim, cutMerges(n, merges, c), c));
    if (kk === 0) kk = suggestK(tsv);
    assignment = cutMerges(n, merges, kk);
    objective = totalSpatialVariance(X, n, dim, assignment, kk);
    // medoid = member nearest (km space) to its cluster's mean
    const mean = new Float64Array(kk * dim);
    const cnt = new Float64Array(kk);
    for (let i = 0; i < n; i++) {
      cnt[assignment[i]!]!++;
      for (let t = 0; t < dim; t++) mean[assignment[i]! * dim + t] = mean[assignment[i]! * dim + t]! + X[i * dim + t]!;
    }
    const bestD = new Float64Array(kk).fill(Infinity);
    medoidsLocal = new Array<number>(kk).fill(-1);
    for (let i = 0; i < n; i++) {
      const c = assignment[i]!;
      let s = 0;
      for (let t = 0; t < dim; t++) {
        const v = X[i * dim + t]! - mean[c * dim + t]! / cnt[c]!;
        s += v * v;
      }
      if (s < bestD[c]!) {
        bestD[c] = s;
        medoidsLocal[c] = i;
      }
    }
  }
  kk = medoidsLocal.length;
  const full = new Int32Array(set.length).fill(-1);
  for (let i = 0; i < n; i++) full[tr.kept[i]!] = assignment[i]!;
  const size = new Array<number>(kk).fill(0);
  for (let i = 0; i < n; i++) size[assignment[i]!]!++;
  const keptSet = new Set(tr.kept);
  const dropped: number[] = [];
  for (let t = 0; t < set.length; t++) if (!keptSet.has(t)) dropped.push(t);
  const result: ClusterResult = {
    assignment: full,
    medoids: medoidsLocal.map((i) => tr.kept[i]!),
    size,
    percent: size.map((s) => (100 * s) / n),
    meanPaths: meanPaths(tr, assignment, kk),
    ageHours: tr.ageHours,
    objective,
    ...(tsv ? { tsv } : {}),
    kept: tr.kept,
    dropped,
    k: kk,
    distance,
    algorithm,
    toJSON(this: ClusterResult) {
      return {
        k: this.k,
        distance: this.distance,
        algorithm: this.algorithm,
        assignment: Array.from(this.assignment),
        medoids: this.medoids,
        size: this.size,
        percent: this.percent,
        objective: this.objective,
        ...(this.tsv ? { tsv: this.tsv } : {}),
        ageHours: Array.from(this.ageHours),
        meanPaths: this.meanPaths.map((p) => ({ lng: Array.from(p.lng), lat: Array.from(p.lat) })),
        kept: this.kept,
        dropped: this.dropped,
      };
    },
  };
  return result;
}
