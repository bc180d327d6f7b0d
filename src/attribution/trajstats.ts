/**
 * Statistics over many trajectories (docs/attribution.md): PSCF, CWT and SQTBA as openair's `trajLevel`
 * defines them, on openair's lat/lng boxes or on H3 cells.
 *
 * Facts taken from openair (Carslaw & Ropkins; `trajLevel`, R package openair, file R/trajLevel.R):
 * - points are binned with `round_any(x, inc)`, i.e. R's `round(x / inc) * inc`, which rounds
 *   half to even (2.5 → 2), so a box is named by its centre on whole multiples of `inc`;
 * - PSCF = m_ij / n_ij where m counts points whose concentration exceeds the `percentile`
 *   (R's default type-7 quantile of all point concentrations), down-weighted by the cell count
 *   relative to the mean count n̄ over the cells: `n > 2n̄` ×1, `n̄ < n ≤ 2n̄` ×0.75,
 *   `n̄/2 < n ≤ n̄` ×0.5, `n ≤ n̄/2` ×0.15;
 * - CWT = mean concentration of the points in a cell, weighted by fixed count classes:
 *   `n > 80` ×1, `20 < n ≤ 80` ×0.7, `10 < n ≤ 20` ×0.42, `n ≤ 10` ×0.05;
 * - SQTBA: `Σ Q·C / Σ Q` with `Q = σ⁻² exp(−½ (d/σ)²)`, `σ = 1.5 km/h × age` (openair's `sigma = 1.5`).
 * TrajStat (Wang, Zhang & Draxler 2009) weights both PSCF and CWT relative to the mean count instead;
 * the scheme as it is usually quoted from TrajStat studies is `n > 3n̄` ×1, `1.5n̄ < n ≤ 3n̄` ×0.7,
 * `n̄ < n ≤ 1.5n̄` ×0.42, `n ≤ n̄` ×0.05 (option `weighting: 'trajstat'`).
 * All code here is our own.
 */
import { cellToLatLng, getHexagonEdgeLengthAvg, gridDisk, latLngToCell, UNITS } from 'h3-js';
import { argError, checkInt, checkPositive, HazetraceError } from '../core/index.js';
import { KeyInterner } from '../core/stats.js';
import { checkArrayLike, checkPercentile, KM_PER_DEG, localDist2Km, quantile7, roundHalfEven, type NumberArrayLike } from './util.js';
import { checkOptions } from '../core/check.js';

/** Grid for trajectory statistics: openair's lat/lng boxes or H3 cells of one resolution. */
export type TrajGrid =
  | {
      type: 'degree';
      /** Box size in degrees of longitude (openair `lon.inc`), default 1. */
      size?: number;
      /** Box size in degrees of latitude (openair `lat.inc`), default = `size`. */
      latSize?: number;
    }
  | { type: 'h3'; res: number };

/**
 * Count weighting: openair's (default), TrajStat's, none, or your own `(n, meanN) => weight`.
 */
export type CountWeighting = 'openair' | 'trajstat' | 'none' | ((n: number, meanN: number) => number);

/** Points for PSCF/CWT: every trajectory point, with the concentration measured at its receptor. */
export interface TrajPoints {
  lng: NumberArrayLike;
  lat: NumberArrayLike;
  value: NumberArrayLike;
}

/** One output cell. `lng`/`lat` are the cell centre; `n` the number of points in it; `value` the statistic. */
export interface TrajCell {
  id: string;
  lng: number;
  lat: number;
  n: number;
  value: number;
  /** Weight applied (count weighting). */
  weight: number;
  /** PSCF only: points above the threshold. */
  m?: number;
  /** CWT: unweighted mean; PSCF: unweighted m/n. */
  raw?: number;
}

/** Result of {@link pscf} / {@link cwt} / {@link sqtba}. */
export interface TrajStatResult {
  statistic: 'pscf' | 'cwt' | 'sqtba';
  grid: TrajGrid;
  cells: TrajCell[];
  /** PSCF: the concentration threshold (type-7 quantile). */
  threshold?: number;
  /** Mean count n̄ over the cells (used by relative weightings). */
  meanCount: number;
  /** Points skipped because lng/lat/value was not finite. */
  skipped: number;
  toJSON(): object;
}

/** Options shared by {@link pscf} and {@link cwt}. */
export interface TrajStatOptions {
  /** Grid, default `{ type: 'degree', size: 1 }` (openair's boxes). */
  grid?: TrajGrid;
  /** Count weighting, default `'openair'`. */
  weighting?: CountWeighting;
  /** Drop cells with fewer points (openair `min.bin`), default 1. */
  minBin?: number;
}

/** PSCF options. */
export interface PscfOptions extends TrajStatOptions {
  /** Percentile of all point concentrations above which a point counts as polluted, default 90. */
  percentile?: number;
}

interface Binned {
  ids: string[];
  lng: number[];
  lat: number[];
  /** cell index per point (−1 when skipped) */
  cellOf: Int32Array;
  skipped: number;
}

/** @internal Shared with trajmaps.ts and significance.ts. */
export function resolveGrid(grid: TrajGrid | undefined): TrajGrid {
  const g = grid ?? { type: 'degree', size: 1 };
  if (g === null || typeof g !== 'object') throw argError('options.grid', g, "{ type: 'degree', size } or { type: 'h3', res }");
  if (g.type === 'degree') {
    const size = checkPositive('options.grid.size', g.size ?? 1);
    const latSize = checkPositive('options.grid.latSize', g.latSize ?? size);
    return { type: 'degree', size, latSize };
  }
  if (g.type === 'h3') return { type: 'h3', res: checkInt('options.grid.res', g.res, 0, 15) };
  throw argError('options.grid.type', (g as { type?: unknown }).type, "'degree' or 'h3'");
}

/** Degree box id and centre for integer box indices; centre printed without float noise. */
function degreeCell(ix: number, iy: number, size: number, latSize: number): { id: string; lng: number; lat: number } {
  const lng = Number((ix * size).toPrecision(12));
  const lat = Number((iy * latSize).toPrecision(12));
  return { id: `${lng},${lat}`, lng, lat };
}

/** @internal Shared with trajmaps.ts and significance.ts. */
export function binPointsToCells(points: TrajPoints, grid: TrajGrid, needValue: boolean): Binned {
  const lngs = checkArrayLike('points.lng', points?.lng);
  const lats = checkArrayLike('points.lat', points?.lat);
  const vals = needValue ? checkArrayLike('points.value', points?.value) : lngs;
  if (lats.length !== lngs.length || vals.length !== lngs.length) {
    throw new HazetraceError('E_ARG', `points.lng, points.lat and points.value must have equal lengths, got ${lngs.length}, ${lats.length}, ${vals.length}`, {
      argument: 'points',
    });
  }
  const index = new KeyInterner<string>();
  const out: Binned = { ids: [], lng: [], lat: [], cellOf: new Int32Array(lngs.length).fill(-1), skipped: 0 };
  for (let i = 0; i < lngs.length; i++) {
    const x = lngs[i] as number;
    const y = lats[i] as number;
    const v = vals[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y) || y < -90 || y > 90 || !Number.isFinite(v)) {
      out.skipped++;
      continue;
    }
    let key: string;
    let cLng: number;
    let cLat: number;
    if (grid.type === 'degree') {
      const size = grid.size ?? 1;
      const latSize = grid.latSize ?? size;
      const c = degreeCell(roundHalfEven(x / size), roundHalfEven(y / latSize), size, latSize);
      key = c.id;
      cLng = c.lng;
      cLat = c.lat;
    } else {
      key = latLngToCell(y, x, grid.res);
      cLng = NaN;
      cLat = NaN;
    }
    const ci = index.intern(key);
    if (ci === out.ids.length) {
      out.ids.push(key);
      if (grid.type === 'h3') {
        const [la, ln] = cellToLatLng(key);
        cLng = ln;
        cLat = la;
      }
      out.lng.push(cLng);
      out.lat.push(cLat);
    }
    out.cellOf[i] = ci;
  }
  return out;
}

function weightFn(weighting: CountWeighting | undefined, statistic: 'pscf' | 'cwt'): (n: number, meanN: number) => number {
  const w = weighting ?? 'openair';
  if (typeof w === 'function') return w;
  if (w === 'none') return () => 1;
  if (w === 'trajstat') return (n, nb) => (n > 3 * nb ? 1 : n > 1.5 * nb ? 0.7 : n > nb ? 0.42 : 0.05);
  if (w === 'openair') {
    return statistic === 'pscf'
      ? (n, nb) => (n > 2 * nb ? 1 : n > nb ? 0.75 : n > nb / 2 ? 0.5 : 0.15)
      : (n) => (n > 80 ? 1 : n > 20 ? 0.7 : n > 10 ? 0.42 : 0.05);
  }
  throw argError('options.weighting', w, "'openair', 'trajstat', 'none' or a function (n, meanN) => weight");
}

function makeResult(statistic: TrajStatResult['statistic'], grid: TrajGrid, cells: TrajCell[], meanCount: number, skipped: number, threshold?: number): TrajStatResult {
  const base = { statistic, grid, cells, meanCount, skipped };
  const res: TrajStatResult = {
    ...base,
    ...(threshold !== undefined ? { threshold } : {}),
    toJSON() {
      return { ...base, ...(threshold !== undefined ? { threshold } : {}) };
    },
  };
  return res;
}

/**
 * Potential source contribution function (openair `trajLevel(statistic = 'pscf')`): per cell the fraction
 * of trajectory points whose receptor concentration exceeds the `percentile` (type-7 quantile over all
 * points), times openair's count weight (or TrajStat's, none, or yours).
 *
 * @example
 * ```ts
 * import { pscf } from 'hazetrace/attribution';
 * const r = pscf({ lng: [0, 1, 0, -1], lat: [0, 0, 0, 0], value: [10, 10, 50, 50] }, { grid: { type: 'degree', size: 1 }, percentile: 50 });
 * r.threshold; // 30
 * r.cells.find((c) => c.id === '-1,0')?.value; // 0.5: m/n = 1, times openair's weight 0.5 (n = 1 ≤ mean count 4/3)
 * ```
 */
export function pscf(points: TrajPoints, options: PscfOptions = {}): TrajStatResult {
  checkOptions('options', options);
  const grid = resolveGrid(options.grid);
  const percentile = checkPercentile('options.percentile', options.percentile ?? 90);
  const minBin = checkInt('options.minBin', options.minBin ?? 1, 1, Number.MAX_SAFE_INTEGER);
  const wf = weightFn(options.weighting, 'pscf');
  const b = binPointsToCells(points, grid, true);
  const vals = points.value;
  const kept: number[] = [];
  for (let i = 0; i < vals.length; i++) if ((b.cellOf[i] as number) >= 0) kept.push(vals[i] as number);
  const q = quantile7(kept, percentile / 100);
  const n = new Float64Array(b.ids.length);
  const m = new Float64Array(b.ids.length);
  for (let i = 0; i < vals.length; i++) {
    const c = b.cellOf[i] as number;
    if (c < 0) continue;
    n[c] = (n[c] as number) + 1;
    if ((vals[i] as number) > q) m[c] = (m[c] as number) + 1;
  }
  const { cells, meanN } = weightedCells(b, n, m, minBin, wf, true);
  return makeResult('pscf', grid, cells, meanN, b.skipped, q);
}

/**
 * Cells with at least `minBin` points, each with `raw = numer/n` and the count weight `wf(n, n̄)`, where n̄ is the
 * mean count over those cells (openair's down-weighting reference). PSCF passes `m` (points above the threshold)
 * as `numer` and keeps it on the cell; CWT passes the sum of concentrations.
 */
function weightedCells(
  b: { ids: ArrayLike<string>; lng: ArrayLike<number>; lat: ArrayLike<number> },
  n: Float64Array,
  numer: Float64Array,
  minBin: number,
  wf: (n: number, meanN: number) => number,
  keepM: boolean,
): { cells: TrajCell[]; meanN: number } {
  const cellIdx: number[] = [];
  for (let c = 0; c < n.length; c++) if (n[c]! >= minBin) cellIdx.push(c);
  let total = 0;
  for (const c of cellIdx) total += n[c]!;
  const meanN = cellIdx.length ? total / cellIdx.length : 0;
  const cells = cellIdx.map((c): TrajCell => {
    const nc = n[c]!;
    const raw = numer[c]! / nc;
    const weight = wf(nc, meanN);
    const cell: TrajCell = { id: b.ids[c]!, lng: b.lng[c]!, lat: b.lat[c]!, n: nc, value: raw * weight, weight, raw };
    if (keepM) cell.m = numer[c]!;
    return cell;
  });
  return { cells, meanN };
}

/**
 * Concentration-weighted trajectory (openair `trajLevel(statistic = 'cwt')`): per cell the mean receptor
 * concentration of the trajectory points in it, times openair's fixed count weights (or TrajStat's, none, or yours).
 *
 * @example
 * ```ts
 * import { cwt } from 'hazetrace/attribution';
 * const r = cwt({ lng: [0, 0], lat: [0, 0], value: [10, 30] }, { grid: { type: 'h3', res: 3 }, weighting: 'none' });
 * r.cells[0]?.value; // 20
 * ```
 */
export function cwt(points: TrajPoints, options: TrajStatOptions = {}): TrajStatResult {
  checkOptions('options', options);
  const grid = resolveGrid(options.grid);
  const minBin = checkInt('options.minBin', options.minBin ?? 1, 1, Number.MAX_SAFE_INTEGER);
  const wf = weightFn(options.weighting, 'cwt');
  const b = binPointsToCells(points, grid, true);
  const vals = points.value;
  const n = new Float64Array(b.ids.length);
  const s = new Float64Array(b.ids.length);
  for (let i = 0; i < vals.length; i++) {
    const c = b.cellOf[i] as number;
    if (c < 0) continue;
    n[c] = (n[c] as number) + 1;
    s[c] = (s[c] as number) + (vals[i] as number);
  }
  const { cells, meanN } = weightedCells(b, n, s, minBin, wf, false);
  return makeResult('cwt', grid, cells, meanN, b.skipped);
}

/** Points for SQTBA: trajectory points with their age (hours since release) and receptor concentration. */
export interface SqtbaPoints extends TrajPoints {
  ageHours: NumberArrayLike;
}

/** SQTBA options. */
export interface SqtbaOptions {
  /** Grid, default `{ type: 'degree', size: 1 }`. */
  grid?: TrajGrid;
  /** σ growth, km per hour of age (openair `sigma`), default 1.5. */
  sigmaKmPerHour?: number;
  /** Smallest σ in km so points at age 0 still spread (σ = max(floor, rate × age)), default 5. */
  sigmaFloorKm?: number;
  /** Ignore a point's kernel beyond this many σ, default 3. */
  cutoffSigmas?: number;
  /** Cells whose Σ Q is below this fraction of the largest Σ Q are dropped, default 0 (keep all). */
  minQFraction?: number;
  /** Largest number of cells one point may visit before stopping with `E_BUDGET`, default 200,000. */
  maxCellsPerPoint?: number;
}

/**
 * Simplified quantitative transport bias analysis (openair `trajLevel(statistic = 'sqtba')`): every trajectory
 * point spreads a Gaussian `Q = σ⁻² exp(−½(d/σ)²)` with `σ = 1.5 km/h × age` over the cells; each cell gets
 * `Σ Q·C / Σ Q`. Distances are great-circle (locally equirectangular), not openair's degree mix.
 *
 * @example
 * ```ts
 * import { sqtba } from 'hazetrace/attribution';
 * const r = sqtba({ lng: [100, 101], lat: [18, 18], value: [20, 80], ageHours: [24, 24] }, { grid: { type: 'degree', size: 0.5 } });
 * r.cells.length > 0; // true
 * ```
 */
export function sqtba(points: SqtbaPoints, options: SqtbaOptions = {}): TrajStatResult {
  checkOptions('options', options);
  const grid = resolveGrid(options.grid);
  const rate = checkPositive('options.sigmaKmPerHour', options.sigmaKmPerHour ?? 1.5);
  const floor = checkPositive('options.sigmaFloorKm', options.sigmaFloorKm ?? 5);
  const cut = checkPositive('options.cutoffSigmas', options.cutoffSigmas ?? 3);
  const minQ = checkPositive('options.minQFraction', options.minQFraction ?? 0, true);
  const maxCells = checkPositive('options.maxCellsPerPoint', options.maxCellsPerPoint ?? 200_000);
  const lngs = checkArrayLike('points.lng', points?.lng);
  const lats = checkArrayLike('points.lat', points?.lat);
  const vals = checkArrayLike('points.value', points?.value);
  const ages = checkArrayLike('points.ageHours', points?.ageHours);
  if (lats.length !== lngs.length || vals.length !== lngs.length || ages.length !== lngs.length) {
    throw new HazetraceError('E_ARG', 'points.lng, lat, value and ageHours must have equal lengths', { argument: 'points' });
  }
  const index = new KeyInterner<string>();
  const cLng: number[] = [];
  const cLat: number[] = [];
  const ids: string[] = [];
  const sq: number[] = [];
  const sqc: number[] = [];
  const cnt: number[] = [];
  let skipped = 0;
  const cellIndex = (id: string, lng: number, lat: number): number => {
    const c = index.intern(id);
    if (c === ids.length) {
      ids.push(id);
      cLng.push(lng);
      cLat.push(lat);
      sq.push(0);
      sqc.push(0);
      cnt.push(0);
    }
    return c;
  };
  const edgeKm = grid.type === 'h3' ? getHexagonEdgeLengthAvg(grid.res, UNITS.km) : 0;
  for (let i = 0; i < lngs.length; i++) {
    const x = lngs[i] as number;
    const y = lats[i] as number;
    const v = vals[i] as number;
    const a = ages[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(v) || !Number.isFinite(a)) {
      skipped++;
      continue;
    }
    const sigma = Math.max(floor, rate * Math.abs(a));
    const r = cut * sigma;
    const inv2 = 1 / (sigma * sigma);
    const cosLat = Math.cos((y * Math.PI) / 180);
    const visit = (id: string, lng: number, lat: number): void => {
      const d2 = localDist2Km(x, y, lng, lat, cosLat);
      if (d2 > r * r) return;
      const q = inv2 * Math.exp(-0.5 * d2 * inv2);
      const c = cellIndex(id, lng, lat);
      sq[c] = (sq[c] as number) + q;
      sqc[c] = (sqc[c] as number) + q * v;
      cnt[c] = (cnt[c] as number) + 1;
    };
    if (grid.type === 'degree') {
      const size = grid.size ?? 1;
      const latSize = grid.latSize ?? size;
      const dLat = r / KM_PER_DEG;
      const dLng = r / (KM_PER_DEG * Math.max(1e-6, Math.cos((Math.min(89.9, Math.abs(y) + dLat) * Math.PI) / 180)));
      const ix0 = Math.ceil((x - dLng) / size - 0.5);
      const ix1 = Math.floor((x + dLng) / size + 0.5);
      const iy0 = Math.ceil((y - dLat) / latSize - 0.5);
      const iy1 = Math.floor((y + dLat) / latSize + 0.5);
      if ((ix1 - ix0 + 1) * (iy1 - iy0 + 1) > maxCells) {
        throw new HazetraceError('E_BUDGET', `sqtba: point ${i} (age ${a} h) would visit ${(ix1 - ix0 + 1) * (iy1 - iy0 + 1)} boxes, over maxCellsPerPoint ${maxCells}; use a coarser grid`, { point: i });
      }
      for (let ix = ix0; ix <= ix1; ix++) {
        for (let iy = iy0; iy <= iy1; iy++) {
          const c = degreeCell(ix, iy, size, latSize);
          if (c.lat < -90 || c.lat > 90) continue;
          visit(c.id, c.lng, c.lat);
        }
      }
    } else {
      // Centres of neighbouring H3 cells are ≈ √3 × edge apart; one extra ring covers the distortion.
      const k = Math.ceil(r / (Math.sqrt(3) * edgeKm)) + 1;
      if (3 * k * (k + 1) + 1 > maxCells) {
        throw new HazetraceError('E_BUDGET', `sqtba: point ${i} (age ${a} h) would visit ${3 * k * (k + 1) + 1} H3 cells, over maxCellsPerPoint ${maxCells}; use a coarser res`, { point: i });
      }
      for (const id of gridDisk(latLngToCell(y, x, grid.res), k)) {
        const [la, ln] = cellToLatLng(id);
        visit(id, ln, la);
      }
    }
  }
  let maxQ = 0;
  for (const q of sq) if (q > maxQ) maxQ = q;
  const cells: TrajCell[] = [];
  for (let c = 0; c < ids.length; c++) {
    const q = sq[c] as number;
    if (q <= 0 || q < minQ * maxQ) continue;
    cells.push({ id: ids[c] as string, lng: cLng[c] as number, lat: cLat[c] as number, n: cnt[c] as number, value: (sqc[c] as number) / q, weight: 1, raw: q });
  }
  const meanN = cells.length ? cells.reduce((s, c) => s + c.n, 0) / cells.length : 0;
  return makeResult('sqtba', grid, cells, meanN, skipped);
}
