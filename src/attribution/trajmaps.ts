/**
 * Where the air came from, as maps (docs/trajectory-maps.md): residence time and trajectory frequency per
 * H3 cell from a {@link TrajectorySet}, with HYSPLIT's normalisations and openair `trajLevel`'s frequency,
 * and the difference map of openair `trajLevel(statistic = 'difference')` (a high-PM subset against all).
 *
 * Definitions (our own code; the conventions are HYSPLIT's trajectory-frequency options and openair's
 * `trajLevel`, R/trajLevel.R):
 * - `endpoints`: every trajectory point in a cell counts once; value = 100 × endpoints in the cell / all endpoints
 *   (HYSPLIT "normalise by endpoints");
 * - `trajectories`: a trajectory counts once per cell however many points it leaves there; value = 100 ×
 *   trajectories through the cell / all trajectories (HYSPLIT "normalise by trajectories", % of trajectories);
 * - `residence-time`: each point stands for the time around it (half the gap to the point before plus half the
 *   gap to the point after, from `ageHours`, so a trajectory's points add up to its duration); `hours` per cell,
 *   value = 100 × hours in the cell / all hours (HYSPLIT's residence-time option);
 * - `frequency`: openair's — trajectories through the cell (counted once per cell) as a percentage of the largest
 *   such count over the cells; with one receptor every trajectory passes the receptor's cell, so this equals the
 *   `trajectories` value there.
 */
import { cellToBoundary, cellToLatLng, latLngToCell } from 'h3-js';
import type { FeatureCollection } from 'geojson';
import { argError, checkInt, HazetraceError, type TrajectorySet } from '../core/index.js';
import { fastPathVerified, HI_LO, hiLoToString, latLngToCellHiLo } from '../grid/h3fast.js';
import { binPointsToCells, resolveGrid, type TrajGrid } from './trajstats.js';

/** What {@link trajectoryFrequency} reports per cell. */
export type FrequencyStatistic = 'endpoints' | 'trajectories' | 'residence-time' | 'frequency';

const STATISTICS: readonly FrequencyStatistic[] = ['endpoints', 'trajectories', 'residence-time', 'frequency'];

/** Options of {@link trajectoryFrequency} and {@link differenceMap}. */
export interface TrajectoryFrequencyOptions {
  /** H3 resolution, default 3 (≈ 12,400 km² cells, the area of openair's 1° boxes at the tropics). */
  res?: number;
  /** Or any trajectory-statistics grid (openair's degree boxes); overrides `res`. */
  grid?: TrajGrid;
  /** Normalisation, default `'trajectories'` (% of trajectories passing each cell). */
  statistic?: FrequencyStatistic;
  /** Drop cells passed by fewer trajectories (openair `min.bin`), default 1. */
  minBin?: number;
}

/** One cell of a frequency map. `value` is the chosen statistic in %; the raw counts stay beside it. */
export interface FrequencyCell {
  id: string;
  lng: number;
  lat: number;
  value: number;
  /** Trajectory points in the cell. */
  endpoints: number;
  /** Distinct trajectories with at least one point in the cell. */
  trajectories: number;
  /** Residence time in the cell, hours (summed over trajectories). */
  hours: number;
}

/** Result of {@link trajectoryFrequency}. */
export interface FrequencyResult {
  statistic: FrequencyStatistic;
  grid: TrajGrid;
  cells: FrequencyCell[];
  /** Trajectories with at least one usable point. */
  nTrajectories: number;
  nEndpoints: number;
  totalHours: number;
  /** Points skipped (non-finite position). */
  skipped: number;
  toJSON(): object;
}

/**
 * Per trajectory, the distinct cells it visits with the endpoints and hours it leaves in each (CSR layout:
 * trajectory t owns entries `start[t] .. start[t+1]`). Shared with the permutation tests.
 * @internal
 */
export interface CellVisits {
  grid: TrajGrid;
  ids: string[];
  lng: number[];
  lat: number[];
  start: Uint32Array;
  cell: Int32Array;
  endpoints: Float64Array;
  hours: Float64Array;
  skipped: number;
}

/** Resolve `grid`/`res` of the options to one grid. @internal */
export function frequencyGrid(options: { res?: number; grid?: TrajGrid }): TrajGrid {
  if (options.grid !== undefined) return resolveGrid(options.grid);
  return { type: 'h3', res: checkInt('options.res', options.res ?? 3, 0, 15) };
}

/** Check that `set` looks like a TrajectorySet (columns and offsets). @internal */
export function checkSet(argument: string, set: unknown): TrajectorySet {
  const s = set as TrajectorySet;
  if (!s || typeof s !== 'object' || !(s.offsets instanceof Uint32Array) || !s.lng || !s.lat || !s.ageHours || s.offsets.length !== s.length + 1) {
    throw argError(argument, set, 'a TrajectorySet (from traceTrajectories, traceEnsemble or readTdump)');
  }
  return s;
}

/**
 * H3 binning as `binPointsToCells` does it (same cells, ids, centres and skips), through the grid module's exact fast
 * `latLngToCell` (h3-js when its self-check failed) and a numeric cell key: at one resolution the 52 low bits of an
 * H3 index (base cell and digits) identify the cell, and they fit a double exactly.
 */
function binH3(lngs: ArrayLike<number>, lats: ArrayLike<number>, res: number): { ids: string[]; lng: number[]; lat: number[]; cellOf: Int32Array; skipped: number } {
  const fast = fastPathVerified();
  const byKey = new Map<number, number>();
  const byId = new Map<string, number>();
  const out = { ids: [] as string[], lng: [] as number[], lat: [] as number[], cellOf: new Int32Array(lngs.length).fill(-1), skipped: 0 };
  const add = (id: string): number => {
    let c = byId.get(id);
    if (c === undefined) {
      c = out.ids.length;
      byId.set(id, c);
      out.ids.push(id);
      const [la, ln] = cellToLatLng(id);
      out.lng.push(ln);
      out.lat.push(la);
    }
    return c;
  };
  for (let i = 0; i < lngs.length; i++) {
    const x = lngs[i]!;
    const y = lats[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y) || y < -90 || y > 90) {
      out.skipped++;
      continue;
    }
    if (fast && latLngToCellHiLo(y, x, res)) {
      const key = (HI_LO[0]! & 0xfffff) * 4294967296 + HI_LO[1]!;
      let c = byKey.get(key);
      if (c === undefined) {
        c = add(hiLoToString(HI_LO[0]!, HI_LO[1]!));
        byKey.set(key, c);
      }
      out.cellOf[i] = c;
    } else out.cellOf[i] = add(latLngToCell(y, x, res));
  }
  return out;
}

/** Bin every point of `set` once and collect each trajectory's distinct cells. @internal */
export function cellVisits(set: TrajectorySet, grid: TrajGrid): CellVisits {
  const b = grid.type === 'h3' ? binH3(set.lng, set.lat, grid.res) : binPointsToCells({ lng: set.lng, lat: set.lat, value: set.lng }, grid, false);
  const nCells = b.ids.length;
  const slot = new Int32Array(nCells).fill(-1);
  const start = new Uint32Array(set.length + 1);
  const cell: number[] = [];
  const ep: number[] = [];
  const hrs: number[] = [];
  for (let t = 0; t < set.length; t++) {
    const a = set.offsets[t]!;
    const z = set.offsets[t + 1]!;
    const first = cell.length;
    for (let i = a; i < z; i++) {
      const c = b.cellOf[i]!;
      if (c < 0) continue;
      const prev = i > a ? Math.abs(set.ageHours[i]! - set.ageHours[i - 1]!) : 0;
      const next = i + 1 < z ? Math.abs(set.ageHours[i + 1]! - set.ageHours[i]!) : 0;
      const h = Number.isFinite(prev + next) ? (prev + next) / 2 : 0;
      let k = slot[c]!;
      if (k < first) {
        k = cell.length;
        slot[c] = k;
        cell.push(c);
        ep.push(0);
        hrs.push(0);
      }
      ep[k]! += 1;
      hrs[k]! += h;
    }
    start[t + 1] = cell.length;
  }
  return {
    grid,
    ids: b.ids,
    lng: b.lng,
    lat: b.lat,
    start,
    cell: Int32Array.from(cell),
    endpoints: Float64Array.from(ep),
    hours: Float64Array.from(hrs),
    skipped: b.skipped,
  };
}

/** Per-cell sums over the trajectories with `use[t]` true (all when omitted). @internal */
export function sumVisits(v: CellVisits, use?: ArrayLike<boolean | number>): { endpoints: Float64Array; trajectories: Float64Array; hours: Float64Array; nTrajectories: number } {
  const n = v.ids.length;
  const endpoints = new Float64Array(n);
  const trajectories = new Float64Array(n);
  const hours = new Float64Array(n);
  let nTrajectories = 0;
  for (let t = 0; t + 1 < v.start.length; t++) {
    if (use && !use[t]) continue;
    const a = v.start[t]!;
    const z = v.start[t + 1]!;
    if (z > a) nTrajectories++;
    for (let k = a; k < z; k++) {
      const c = v.cell[k]!;
      endpoints[c]! += v.endpoints[k]!;
      trajectories[c]! += 1;
      hours[c]! += v.hours[k]!;
    }
  }
  return { endpoints, trajectories, hours, nTrajectories };
}

/** The normalised value per cell for one statistic, from per-cell sums. @internal */
export function normalise(statistic: FrequencyStatistic, s: { endpoints: Float64Array; trajectories: Float64Array; hours: Float64Array; nTrajectories: number }): Float64Array {
  const n = s.endpoints.length;
  const out = new Float64Array(n);
  let total = 0;
  const src = statistic === 'endpoints' ? s.endpoints : statistic === 'residence-time' ? s.hours : s.trajectories;
  if (statistic === 'trajectories') total = s.nTrajectories;
  else if (statistic === 'frequency') for (let c = 0; c < n; c++) total = Math.max(total, src[c]!);
  else for (let c = 0; c < n; c++) total += src[c]!;
  for (let c = 0; c < n; c++) out[c] = total > 0 ? (100 * src[c]!) / total : 0;
  return out;
}

function checkStatistic(value: unknown): FrequencyStatistic {
  const s = value ?? 'trajectories';
  if (!STATISTICS.includes(s as FrequencyStatistic)) throw argError('options.statistic', s, STATISTICS.map((x) => `'${x}'`).join(', '));
  return s as FrequencyStatistic;
}

/**
 * Trajectory frequency and residence time per cell (HYSPLIT's trajectory-frequency normalisations and openair
 * `trajLevel(statistic = 'frequency')`), on H3 cells of resolution `res` (default 3) or an openair degree grid.
 * Every cell carries its `endpoints`, distinct `trajectories` and residence `hours`; `value` is the chosen
 * normalisation in %: `'trajectories'` (default, % of trajectories passing the cell), `'endpoints'` (% of all
 * points), `'residence-time'` (% of all hours) or `'frequency'` (openair: % of the busiest cell's trajectories).
 * Cells are in order of first visit.
 *
 * @example
 * ```ts
 * import { uniformWind, traceTrajectories } from 'hazetrace/wind';
 * import { trajectoryFrequency } from 'hazetrace/attribution';
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), [{ lng: 99, lat: 18.8, time: 0 }, { lng: 99, lat: 18.8, time: 3600e3 }], { hours: 24 });
 * const map = trajectoryFrequency(set, { res: 3 });
 * map.cells[0]?.value; // 100: both trajectories start in the receptor's cell
 * ```
 */
export function trajectoryFrequency(set: TrajectorySet, options: TrajectoryFrequencyOptions = {}): FrequencyResult {
  checkSet('set', set);
  const grid = frequencyGrid(options);
  const statistic = checkStatistic(options.statistic);
  const minBin = checkInt('options.minBin', options.minBin ?? 1, 1, Number.MAX_SAFE_INTEGER);
  const v = cellVisits(set, grid);
  return frequencyFromVisits(v, statistic, minBin);
}

/** Build a {@link FrequencyResult} from binned visits (optionally only trajectories with `use[t]`). @internal */
export function frequencyFromVisits(v: CellVisits, statistic: FrequencyStatistic, minBin: number, use?: ArrayLike<boolean | number>): FrequencyResult {
  const s = sumVisits(v, use);
  const value = normalise(statistic, s);
  const cells: FrequencyCell[] = [];
  let nEndpoints = 0;
  let totalHours = 0;
  for (let c = 0; c < v.ids.length; c++) {
    nEndpoints += s.endpoints[c]!;
    totalHours += s.hours[c]!;
    if (s.trajectories[c]! < minBin || s.trajectories[c]! === 0) continue;
    cells.push({ id: v.ids[c]!, lng: v.lng[c]!, lat: v.lat[c]!, value: value[c]!, endpoints: s.endpoints[c]!, trajectories: s.trajectories[c]!, hours: s.hours[c]! });
  }
  const body = { statistic, grid: v.grid, cells, nTrajectories: s.nTrajectories, nEndpoints, totalHours, skipped: v.skipped };
  return { ...body, toJSON: () => body };
}

/** One cell of a difference map: `value` = subset − all, in percentage points. */
export interface DifferenceCell {
  id: string;
  lng: number;
  lat: number;
  value: number;
  /** The subset's frequency value here (%). */
  subset: number;
  /** All trajectories' frequency value here (%). */
  all: number;
  /** Trajectories of `all` passing the cell. */
  trajectories: number;
  /** Trajectories of the subset passing the cell. */
  subsetTrajectories: number;
}

/** Result of {@link differenceMap}. */
export interface DifferenceResult {
  statistic: 'difference';
  /** The frequency normalisation both maps use. */
  basis: FrequencyStatistic;
  grid: TrajGrid;
  cells: DifferenceCell[];
  nSubset: number;
  nAll: number;
  toJSON(): object;
}

/**
 * Difference map (openair `trajLevel(statistic = 'difference')`): the frequency of a subset of trajectories
 * (e.g. those arriving on high-PM2.5 hours) minus the frequency of all trajectories, in percentage points, per cell
 * of `all` passed by at least `minBin` of its trajectories. Positive cells are over-represented on the subset's days.
 * Both maps use the same normalisation `statistic` (default `'trajectories'`: % of each set's trajectories; openair
 * normalises by the busiest cell, `'frequency'`, which equals it when all trajectories start at one receptor).
 * For a permutation test of the cells see `differenceSignificance`.
 *
 * @example
 * ```ts
 * import { concatTrajectorySets, uniformWind, traceTrajectories } from 'hazetrace/wind';
 * import { differenceMap } from 'hazetrace/attribution';
 * const east = traceTrajectories(uniformWind({ u: -5, v: 0 }), [{ lng: 99, lat: 18.8, time: 0 }], { hours: 24 });
 * const west = traceTrajectories(uniformWind({ u: 5, v: 0 }), [{ lng: 99, lat: 18.8, time: 0 }], { hours: 24 });
 * const all = concatTrajectorySets([east, west]);
 * const d = differenceMap(east, all, { res: 3 });
 * Math.max(...d.cells.map((c) => c.value)); // 50: every episode trajectory passes cells only half of all trajectories pass
 * ```
 */
export function differenceMap(subset: TrajectorySet, all: TrajectorySet, options: TrajectoryFrequencyOptions = {}): DifferenceResult {
  checkSet('subset', subset);
  checkSet('all', all);
  const grid = frequencyGrid(options);
  const basis = checkStatistic(options.statistic);
  const minBin = checkInt('options.minBin', options.minBin ?? 1, 1, Number.MAX_SAFE_INTEGER);
  if (subset.length > all.length) {
    throw new HazetraceError('E_ARG', `subset has ${subset.length} trajectories, more than all (${all.length}); pass the episode trajectories first and all trajectories second`, { argument: 'subset' });
  }
  const fa = frequencyFromVisits(cellVisits(all, grid), basis, 1);
  const fs = frequencyFromVisits(cellVisits(subset, grid), basis, 1);
  const sub = new Map(fs.cells.map((c) => [c.id, c]));
  const cells: DifferenceCell[] = [];
  for (const c of fa.cells) {
    if (c.trajectories < minBin) continue;
    const s = sub.get(c.id);
    const sv = s?.value ?? 0;
    cells.push({ id: c.id, lng: c.lng, lat: c.lat, value: sv - c.value, subset: sv, all: c.value, trajectories: c.trajectories, subsetTrajectories: s?.trajectories ?? 0 });
  }
  const body = { statistic: 'difference' as const, basis, grid, cells, nSubset: fs.nTrajectories, nAll: fa.nTrajectories };
  return { ...body, toJSON: () => body };
}

/** Closed outer ring of a cell: the H3 hexagon or the lat/lng box centred on the cell centre. @internal */
export function cellRing(grid: TrajGrid, id: string, lng: number, lat: number): number[][] {
  if (grid.type === 'h3') {
    const ring: number[][] = cellToBoundary(id, true);
    ring.push(ring[0]!);
    return ring;
  }
  const hx = (grid.size ?? 1) / 2;
  const hy = (grid.latSize ?? grid.size ?? 1) / 2;
  return [
    [lng - hx, lat - hy],
    [lng + hx, lat - hy],
    [lng + hx, lat + hy],
    [lng - hx, lat + hy],
    [lng - hx, lat - hy],
  ];
}

/** Cells as GeoJSON polygons with every number/boolean/string property of the cell copied. @internal */
export function trajCellsToGeoJson(grid: TrajGrid, statistic: string, cells: readonly { id: string; lng: number; lat: number }[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: cells.map((c) => {
      const props: Record<string, unknown> = grid.type === 'h3' ? { h3: c.id } : { cell: c.id };
      props.statistic = statistic;
      for (const [k, v] of Object.entries(c)) {
        if (k === 'id' || k === 'lng' || k === 'lat') continue;
        if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') props[k] = v;
      }
      return { type: 'Feature' as const, geometry: { type: 'Polygon' as const, coordinates: [cellRing(grid, c.id, c.lng, c.lat)] }, properties: props };
    }),
  };
}

/**
 * Frequency or difference map as GeoJSON polygons (H3 hexagons with property `h3`, or degree boxes with `cell`),
 * each with `statistic`, `value` and the cell's counts.
 *
 * @example
 * ```ts
 * import { uniformWind, traceTrajectories } from 'hazetrace/wind';
 * import { trajectoryFrequency, trajMapToGeoJson } from 'hazetrace/attribution';
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), [{ lng: 99, lat: 18.8, time: 0 }], { hours: 12 });
 * trajMapToGeoJson(trajectoryFrequency(set)).features[0]?.properties?.statistic; // 'trajectories'
 * ```
 */
export function trajMapToGeoJson(result: FrequencyResult | DifferenceResult): FeatureCollection {
  if (!result || !Array.isArray(result.cells) || !result.grid) throw argError('result', result, 'the result of trajectoryFrequency or differenceMap');
  return trajCellsToGeoJson(result.grid, result.statistic, result.cells);
}
