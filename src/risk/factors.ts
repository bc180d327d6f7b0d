/**
 * Risk factors per H3 cell (docs/risk.md), each computed from a layer a user may have:
 * hotspot history, repeat-burn frequency, land-use class fractions, proximity to emitting
 * facilities, current PM2.5, downwind exposure from forward trajectories of active fires,
 * and user columns. Every builder returns columns aligned to one cell set, so the results
 * drop straight into `scoreRisk`.
 */
import { cellArea, cellToLatLng, cellToParent, getResolution, gridDisk, isValidCell, latLngToCell } from 'h3-js';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import { HazetraceError, argError, checkInt, checkPositive } from '../core/errors.js';
import { EARTH_RADIUS_M } from '../core/geodesy.js';
import { countBurnPeriods, seasonYearOf, type SeasonOptions } from '../core/season.js';
import type { CellGrid, Hotspots, TrajectorySet, WindField } from '../core/types.js';
import { coverPolygon, idwToCells, type IdwOptions } from '../grid/index.js';
import { traceEnsemble, traceTrajectories, type EnsembleOptions } from '../wind/index.js';
import { checkArray, checkObject, checkShape, checkTrajectorySet } from '../core/check.js';

/** Columns keyed by factor name, aligned to a cell list. */
export type FactorColumns = Record<string, Float64Array>;

/** Map from cell id to its row (internal helper, not part of the public surface). */
export function cellIndex(cells: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < cells.length; i++) m.set(cells[i]!, i);
  return m;
}

function checkCells(cells: readonly string[], argument = 'cells'): number {
  if (!Array.isArray(cells) || cells.length === 0) throw argError(argument, cells, 'a non-empty array of H3 cell ids');
  const first = cells[0]!;
  if (!isValidCell(first)) throw argError(`${argument}[0]`, first, 'a valid H3 cell id');
  return getResolution(first);
}

/** Polygon rings of a geometry (Polygon or MultiPolygon); other geometries give []. Internal helper. */
export function polygonsOf(geom: Geometry | null | undefined): number[][][][] {
  if (!geom) return [];
  if (geom.type === 'Polygon') return [(geom as Polygon).coordinates];
  if (geom.type === 'MultiPolygon') return (geom as MultiPolygon).coordinates;
  if (geom.type === 'GeometryCollection') return geom.geometries.flatMap((g) => polygonsOf(g));
  return [];
}

/**
 * Cells whose centres lie in a (multi)polygon, at `res` (grid's `coverPolygon` in centroid mode:
 * h3 `polygonToCells`, split at the antimeridian). Other geometry types give no cells.
 *
 * @example
 * ```ts
 * import { cellsInGeometry } from 'hazetrace/risk';
 * cellsInGeometry({ type: 'Polygon', coordinates: [[[98.9, 18.7], [99.1, 18.7], [99.1, 18.9], [98.9, 18.9], [98.9, 18.7]]] }, 6).length; // 10
 * ```
 */
export function cellsInGeometry(geom: Geometry, res: number): string[] {
  checkInt('res', res, 0, 15);
  if (!geom || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) return [];
  return coverPolygon(geom, { res }).cells;
}

/**
 * A domain for {@link domainCells} / `buildRiskFactors`: a FeatureCollection, a bare Polygon/MultiPolygon, or
 * anything with a `features` array, such as a `readGeoJsonLayer` result (a layer, not a FeatureCollection).
 */
export type DomainInput = FeatureCollection | Geometry | { readonly features: readonly { readonly geometry: Geometry | null }[] };

/**
 * The cell set covering a domain (Polygon/MultiPolygon features; other geometries are ignored), sorted for
 * reproducible output. `layer` may be a FeatureCollection, a bare geometry, or a `readGeoJsonLayer` result.
 *
 * @example
 * ```ts
 * import { domainCells } from 'hazetrace/risk';
 * const cells = domainCells({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {},
 *   geometry: { type: 'Polygon', coordinates: [[[98.9, 18.7], [99.1, 18.7], [99.1, 18.9], [98.9, 18.9], [98.9, 18.7]]] } }] }, 6);
 * ```
 */
export function domainCells(layer: DomainInput, res: number): string[] {
  const set = new Set<string>();
  if (layer === null || typeof layer !== 'object') throw argError('layer', layer, 'a FeatureCollection, a Polygon/MultiPolygon or a readGeoJsonLayer result');
  const geoms = 'features' in layer && Array.isArray(layer.features) ? layer.features.map((f) => f?.geometry as Geometry) : [layer as Geometry];
  for (const g of geoms) for (const c of cellsInGeometry(g, res)) set.add(c);
  return Array.from(set).sort();
}

/**
 * Period label per detection: `period[i]` as a string when given, else the burning-season year of
 * `time[i]` (core `seasonYear`: November–October in UTC+07:00 by default, named by the year of the
 * February–April peak). Shared by {@link hotspotHistoryFactors} and `historyPeriods`. Internal helper.
 */
export function periodLabels(time: ArrayLike<number>, period: ArrayLike<string | number> | undefined, season: SeasonOptions | undefined): string[] {
  if (period) return Array.from({ length: time.length }, (_, i) => String(period[i]));
  const yearOf = seasonYearOf(season);
  return Array.from({ length: time.length }, (_, i) => String(yearOf(time[i]!)));
}

/** Points with an optional value, columnar. */
export interface PointColumns {
  lng: ArrayLike<number>;
  lat: ArrayLike<number>;
}

/** Options of {@link hotspotHistoryFactors}. */
export interface HotspotHistoryOptions {
  /** Cells to report on (factors are 0 elsewhere). Their resolution is used. */
  cells: readonly string[];
  /**
   * Period of each detection (e.g. FIRMS `snapshot_id` mapped to a year, or a season label).
   * Default: the burning-season year of `time` (see `season`).
   */
  period?: ArrayLike<string | number>;
  /** Season rule for the default `period` (core `seasonYear`). Default November start, UTC+07:00. */
  season?: SeasonOptions;
  /**
   * The periods observed, including ones with no detection in the domain (they lower the
   * per-year rates and the repeat-burn frequency). Default: the distinct periods of the detections.
   */
  periods?: readonly (string | number)[];
  /**
   * Also produce `hotspot_nearby`: detections per period within `ring` grid steps of the cell
   * (h3 `gridDisk`), because fires cluster in landscapes larger than one cell and a 24-h
   * snapshot rarely hits the same cell twice. Default: not produced.
   */
  ring?: number;
}

/** Result of {@link hotspotHistoryFactors}. */
export interface HotspotHistory {
  cells: string[];
  factors: {
    /** Detections per observed period. */
    hotspot_detections: Float64Array;
    /** Summed FRP (MW) per observed period; NaN FRP counts as 0. */
    hotspot_frp: Float64Array;
    /** Periods with ≥ 1 detection / periods observed, in [0, 1]. */
    repeat_burn: Float64Array;
    /** Detections per period within `ring` steps (only with `options.ring`). */
    hotspot_nearby?: Float64Array;
  };
  /** The periods counted, as strings. */
  periods: string[];
  /** Detections inside the cell set / outside it. */
  inside: number;
  outside: number;
}

/**
 * Hotspot history and repeat-burn frequency per cell from multi-period detections:
 * detections per period, FRP per period and the share of periods in which the cell burnt.
 * Detections are assigned to cells with h3-js `latLngToCell` at the resolution of `cells`.
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { hotspotHistoryFactors } from 'hazetrace/risk';
 * const c = latLngToCell(18.8, 99.0, 7);
 * const h = hotspotHistoryFactors(
 *   { length: 2, lng: new Float64Array([99.0, 99.0]), lat: new Float64Array([18.8, 18.8]),
 *     time: new Float64Array([Date.UTC(2019, 3, 5), Date.UTC(2023, 2, 10)]), frp: new Float64Array([20, 40]) },
 *   { cells: [c], periods: [2017, 2019, 2022, 2023] },
 * );
 * h.factors.repeat_burn[0]; // 0.5 (2 of 4 years)
 * h.factors.hotspot_frp[0]; // 15 MW per year
 * ```
 */
export function hotspotHistoryFactors(
  hotspots: Pick<Hotspots, 'length' | 'lng' | 'lat' | 'time' | 'frp'>,
  options: HotspotHistoryOptions,
): HotspotHistory {
  checkShape('hotspots', hotspots, { length: 'number', lng: 'arrayLike', lat: 'arrayLike', time: 'arrayLike' });
  checkObject('options', options);
  const res = checkCells(options.cells, 'options.cells');
  const n = hotspots.length;
  const period = options.period;
  if (period !== undefined && period.length !== n) throw argError('options.period', period, `an array of length ${n} (one per detection)`);
  const labels = periodLabels(hotspots.time, period, options.season);
  const seen = new Set(labels);
  const periods = options.periods ? options.periods.map(String) : Array.from(seen).sort();
  if (periods.length === 0) throw argError('options.periods', options.periods, 'at least one observed period');
  const known = new Set(periods);
  for (const p of seen) {
    if (!known.has(p)) throw argError('options.periods', periods, `a list including every detection period (missing ${JSON.stringify(p)})`);
  }
  const cells = options.cells.slice();
  const idx = cellIndex(cells);
  const m = cells.length;
  const det = new Float64Array(m);
  const frp = new Float64Array(m);
  const P = periods.length;
  // (row, period) of every detection inside the cell set, for the repeat-burn count.
  const burntRow: number[] = [];
  const burntPeriod: string[] = [];
  let inside = 0;
  for (let i = 0; i < n; i++) {
    const lat = hotspots.lat[i]!;
    const lng = hotspots.lng[i]!;
    if (!Number.isFinite(lat) || !Number.isFinite(lng)) throw argError(`hotspots.lat/lng[${i}]`, [lng, lat], 'finite coordinates');
    const r = idx.get(latLngToCell(lat, lng, res));
    if (r === undefined) continue;
    inside++;
    det[r] = det[r]! + 1;
    const f = hotspots.frp[i]!;
    if (f === f) frp[r] = frp[r]! + f;
    burntRow.push(r);
    burntPeriod.push(labels[i]!);
  }
  const rb = new Float64Array(m);
  const counted = countBurnPeriods(burntRow, burntPeriod, periods);
  counted.keys.forEach((r, j) => (rb[r] = counted.counts[j]! / P));
  for (let r = 0; r < m; r++) {
    det[r] = det[r]! / P;
    frp[r] = frp[r]! / P;
  }
  const factors: HotspotHistory['factors'] = { hotspot_detections: det, hotspot_frp: frp, repeat_burn: rb };
  if (options.ring !== undefined) {
    const ring = checkInt('ring', options.ring, 0, 50);
    // Count detections in every cell they fall in, not only cells of the set, so border cells see fires just outside.
    const all = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const c = latLngToCell(hotspots.lat[i]!, hotspots.lng[i]!, res);
      all.set(c, (all.get(c) ?? 0) + 1);
    }
    // Spread each burnt cell's count over its disk instead of summing a disk per target cell: the
    // disk relation is symmetric (grid distance), and burnt cells are far fewer than target cells.
    const near = new Float64Array(m);
    for (const [c, k] of all) {
      for (const d of gridDisk(c, ring)) {
        const r = idx.get(d);
        if (r !== undefined) near[r] = near[r]! + k;
      }
    }
    for (let r = 0; r < m; r++) near[r] = near[r]! / P;
    factors.hotspot_nearby = near;
  }
  return { cells, factors, periods, inside, outside: n - inside };
}

/**
 * 1 where a cell holds at least one detection, else 0 — the "burnt" outcome (or the naive
 * "burnt last period" baseline) for calibration.
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { burntCells } from 'hazetrace/risk';
 * burntCells({ lng: [99], lat: [18.8] }, [latLngToCell(18.8, 99, 6), latLngToCell(15, 100, 6)]); // [1, 0]
 * ```
 */
export function burntCells(points: PointColumns, cells: readonly string[]): Float64Array {
  const res = checkCells(cells);
  const idx = cellIndex(cells);
  const out = new Float64Array(cells.length);
  for (let i = 0; i < points.lng.length; i++) {
    const r = idx.get(latLngToCell(points.lat[i]!, points.lng[i]!, res));
    if (r !== undefined) out[r] = 1;
  }
  return out;
}

/** Options of {@link landUseFactors}. */
export interface LandUseOptions {
  cells: readonly string[];
  /** Feature property holding the class (e.g. `'class'`, `'landuse'`). */
  classProperty: string;
  /** Classes to report (others ignored). Default: every class found. */
  classes?: readonly string[];
}

/**
 * Fraction of each cell covered by each land-use class of a polygon layer, as factors named
 * `landuse_<class>`: the covered area from grid's `coverPolygon(geom, { mode: 'fraction' })`
 * (exact clipping of the polygon by the hexagon) divided by the cell's area. Several polygons of
 * one class add up; overlaps are capped at 1. Features without a polygon geometry are skipped and counted.
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { landUseFactors } from 'hazetrace/risk';
 * const cell = latLngToCell(18.8, 99, 6);
 * const lu = landUseFactors({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { class: 'forest' },
 *   geometry: { type: 'Polygon', coordinates: [[[98, 18], [100, 18], [100, 20], [98, 20], [98, 18]]] } }] },
 *   { cells: [cell], classProperty: 'class' });
 * lu.factors.landuse_forest[0]; // 1
 * ```
 */
export function landUseFactors(
  layer: FeatureCollection,
  options: LandUseOptions,
): { cells: string[]; factors: FactorColumns; classes: string[]; skipped: number } {
  checkObject('options', options);
  const res = checkCells(options.cells, 'options.cells');
  if (!layer || layer.type !== 'FeatureCollection') throw argError('layer', layer, 'a GeoJSON FeatureCollection');
  const prop = options.classProperty;
  const byClass = new Map<string, Feature[]>();
  let skipped = 0;
  for (const f of layer.features) {
    const v = f.properties?.[prop];
    if (v === undefined || v === null) continue;
    const k = String(v);
    if (options.classes && !options.classes.includes(k)) continue;
    if (f.geometry?.type !== 'Polygon' && f.geometry?.type !== 'MultiPolygon') {
      skipped++;
      continue;
    }
    let list = byClass.get(k);
    if (!list) byClass.set(k, (list = []));
    list.push(f);
  }
  const classes = options.classes ? options.classes.slice() : Array.from(byClass.keys()).sort();
  const cells = options.cells.slice();
  const idx = cellIndex(cells);
  const factors: FactorColumns = {};
  for (const k of classes) {
    const col = new Float64Array(cells.length);
    for (const f of byClass.get(k) ?? []) {
      const g = coverPolygon(f.geometry as Polygon | MultiPolygon, { res, mode: 'fraction' });
      const frac = g.columns.fraction!;
      for (let i = 0; i < g.cells.length; i++) {
        const r = idx.get(g.cells[i]!);
        if (r !== undefined) col[r] = Math.min(1, col[r]! + frac[i]!);
      }
    }
    factors[`landuse_${k}`] = col;
  }
  return { cells, factors, classes, skipped };
}

/** Cell centres as unit vectors (x, y, z), for chord-distance nearest searches. */
function unitVectors(lng: ArrayLike<number>, lat: ArrayLike<number>): Float64Array {
  const n = lng.length;
  const v = new Float64Array(3 * n);
  const rad = Math.PI / 180;
  for (let i = 0; i < n; i++) {
    const p = lat[i]! * rad;
    const l = lng[i]! * rad;
    const c = Math.cos(p);
    v[3 * i] = c * Math.cos(l);
    v[3 * i + 1] = c * Math.sin(l);
    v[3 * i + 2] = Math.sin(p);
  }
  return v;
}

/**
 * Cell centres of `cells` as lng/lat columns (h3-js `cellToLatLng`).
 *
 * @example
 * ```ts
 * import { cellCentres } from 'hazetrace/risk';
 * cellCentres(['8765a5a6affffff']).lng[0]; // longitude of the cell centre
 * ```
 */
export function cellCentres(cells: readonly string[]): { lng: Float64Array; lat: Float64Array } {
  checkArray('cells', cells).forEach((c, i) => { if (!isValidCell(c as string)) throw argError(`cells[${i}]`, c, 'a valid H3 cell id'); });
  const lng = new Float64Array(cells.length);
  const lat = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const [la, ln] = cellToLatLng(cells[i]!);
    lat[i] = la;
    lng[i] = ln;
  }
  return { lng, lat };
}

/** Options of {@link facilityFactors}. */
export interface FacilityOptions {
  cells: readonly string[];
  /** Distance scale of the proximity kernel `exp(−d / scaleKm)`, km. Default 10. */
  scaleKm?: number;
}

/**
 * Distance from each cell centre to the nearest emitting facility (great circle, km) and a
 * proximity score. Without weights, `facility_proximity = exp(−d_min / scaleKm)`; with weights
 * (e.g. capacity MW) it is the weighted potential `Σ_j w_j·exp(−d_ij / scaleKm)`, so a large
 * plant 20 km away can outrank a small one next door. Distances use the chord between unit
 * vectors converted to the arc, `2R·asin(chord/2)`, which equals haversine exactly.
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { facilityFactors } from 'hazetrace/risk';
 * const f = facilityFactors({ lng: [99.0], lat: [18.8] }, { cells: [latLngToCell(18.8, 99.0, 7), latLngToCell(18.8, 99.5, 7)] });
 * f.factors.facility_distance_km[1]; // ≈ 51.7 (cell centre to the plant)
 * ```
 */
export function facilityFactors(
  facilities: PointColumns & { weight?: ArrayLike<number> },
  options: FacilityOptions,
): { cells: string[]; factors: { facility_distance_km: Float64Array; facility_proximity: Float64Array } } {
  checkShape('facilities', facilities, { lng: 'arrayLike', lat: 'arrayLike' });
  checkObject('options', options);
  checkCells(options.cells, 'options.cells');
  const scale = checkPositive('scaleKm', options.scaleKm ?? 10);
  const nf = facilities.lng.length;
  if (nf === 0) throw argError('facilities', facilities, 'at least one facility');
  if (facilities.lat.length !== nf) throw argError('facilities.lat', facilities.lat.length, `length ${nf}`);
  const w = facilities.weight;
  if (w) {
    if (w.length !== nf) throw argError('facilities.weight', w.length, `length ${nf}`);
    for (let j = 0; j < nf; j++) if (!(w[j]! >= 0) || !Number.isFinite(w[j]!)) throw argError(`facilities.weight[${j}]`, w[j], 'a finite number >= 0');
  }
  for (let j = 0; j < nf; j++) {
    if (!Number.isFinite(facilities.lng[j]!) || !Number.isFinite(facilities.lat[j]!)) {
      throw argError(`facilities[${j}]`, [facilities.lng[j], facilities.lat[j]], 'finite coordinates');
    }
  }
  const cells = options.cells.slice();
  const c = cellCentres(cells);
  const cv = unitVectors(c.lng, c.lat);
  const fv = unitVectors(facilities.lng, facilities.lat);
  const m = cells.length;
  const dist = new Float64Array(m);
  const prox = new Float64Array(m);
  const Rkm = EARTH_RADIUS_M / 1000;
  for (let i = 0; i < m; i++) {
    const x = cv[3 * i]!;
    const y = cv[3 * i + 1]!;
    const z = cv[3 * i + 2]!;
    let best = Infinity;
    let pot = 0;
    for (let j = 0; j < nf; j++) {
      const dx = x - fv[3 * j]!;
      const dy = y - fv[3 * j + 1]!;
      const dz = z - fv[3 * j + 2]!;
      const chord2 = dx * dx + dy * dy + dz * dz;
      if (w) pot += w[j]! * Math.exp(-(2 * Rkm * Math.asin(Math.min(1, Math.sqrt(chord2) / 2))) / scale);
      if (chord2 < best) best = chord2;
    }
    const d = 2 * Rkm * Math.asin(Math.min(1, Math.sqrt(best) / 2));
    dist[i] = d;
    prox[i] = w ? pot : Math.exp(-d / scale);
  }
  return { cells, factors: { facility_distance_km: dist, facility_proximity: prox } };
}

/** Options of {@link downwindExposure}. */
export interface DownwindOptions {
  cells: readonly string[];
  /** Weight of each trajectory (e.g. the fire's FRP / ensemble members). Default 1 each. */
  weight?: ArrayLike<number>;
  /** Count only points up to this age, hours. Default Infinity. */
  maxAgeHours?: number;
}

/**
 * Downwind exposure per cell from forward trajectories: each trajectory point after the start
 * adds `weight × Δage` (hours the air parcel spent reaching it) to the cell it falls in, so a
 * cell collects FRP-weighted parcel-hours from upwind fires. The start point is skipped: it is
 * the fire's own cell, which hotspot history already scores.
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { downwindExposure } from 'hazetrace/risk';
 * import { traceTrajectories, uniformWind } from 'hazetrace/wind';
 * const set = traceTrajectories(uniformWind({ speed: 3, directionFrom: 270 }), [{ lng: 99, lat: 18.8, time: 0 }], { hours: 24, direction: 'forward' });
 * const cells = [latLngToCell(18.8, 99.5, 5)];
 * downwindExposure(set, { cells }).values[0] > 0; // true: the plume passes east
 * ```
 */
export function downwindExposure(trajectories: TrajectorySet, options: DownwindOptions): { cells: string[]; values: Float64Array } {
  checkTrajectorySet('trajectories', trajectories);
  checkObject('options', options);
  const res = checkCells(options.cells, 'options.cells');
  const maxAge = options.maxAgeHours ?? Infinity;
  if (!(maxAge > 0)) throw argError('maxAgeHours', maxAge, 'a number > 0');
  const T = trajectories.length;
  const w = options.weight;
  if (w && w.length !== T) throw argError('weight', w.length, `one weight per trajectory (${T})`);
  const cells = options.cells.slice();
  const idx = cellIndex(cells);
  const out = new Float64Array(cells.length);
  const { offsets, lng, lat, ageHours } = trajectories;
  for (let t = 0; t < T; t++) {
    const wt = w ? w[t]! : 1;
    if (!(wt >= 0) || !Number.isFinite(wt)) throw argError(`weight[${t}]`, wt, 'a finite number >= 0');
    if (wt === 0) continue;
    for (let k = offsets[t]! + 1; k < offsets[t + 1]!; k++) {
      const age = ageHours[k]!;
      if (age > maxAge) break;
      const r = idx.get(latLngToCell(lat[k]!, lng[k]!, res));
      if (r !== undefined) out[r] = out[r]! + wt * (age - ageHours[k - 1]!);
    }
  }
  return { cells, values: out };
}

/** Options of {@link firesDownwindExposure}. */
export interface FiresDownwindOptions {
  cells: readonly string[];
  /** Forward hours. Default 24 (the 24–48 h window). */
  hours?: number;
  /** Ensemble members: `'offset'` (9, HYSPLIT meteorological offsets, default), `'random-walk'`, or `'single'` (one run per fire). */
  members?: 'offset' | 'random-walk' | 'single';
  /** Random-walk member count (default 27). */
  count?: number;
  /** Seed of the random-walk ensemble. Default 1. */
  seed?: number;
  /** Start time of every trajectory, UTC ms. Default: each fire's own detection time. */
  startTime?: number;
  /** FRP used for a fire without one (NaN). Default 0 (the fire is skipped). */
  missingFrp?: number;
  /** Further trace options (stepMinutes, method …). */
  trace?: Omit<EnsembleOptions, 'hours' | 'direction' | 'members' | 'count' | 'seed'>;
}

/**
 * Downwind exposure from today's active fires: forward trajectories (an ensemble per fire) from
 * each detection over the next `hours`, weighted by the fire's FRP divided among the members,
 * accumulated per cell by {@link downwindExposure}. Cells about to be smoked score higher.
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { firesDownwindExposure } from 'hazetrace/risk';
 * import { uniformWind } from 'hazetrace/wind';
 * const fires = { length: 1, lng: new Float64Array([99]), lat: new Float64Array([18.8]), time: new Float64Array([0]), frp: new Float64Array([50]) };
 * const r = firesDownwindExposure(fires, uniformWind({ speed: 3, directionFrom: 270 }), { cells: [latLngToCell(18.8, 99.5, 5)], hours: 24 });
 * r.values[0] > 0; // true
 * ```
 */
export function firesDownwindExposure(
  fires: Pick<Hotspots, 'length' | 'lng' | 'lat' | 'time' | 'frp'>,
  field: WindField,
  options: FiresDownwindOptions,
): { cells: string[]; values: Float64Array; trajectories: number } {
  checkShape('fires', fires, { length: 'number', lng: 'arrayLike', lat: 'arrayLike', time: 'arrayLike' });
  checkShape('field', field, { sample: 'function' });
  checkObject('options', options);
  const hours = checkPositive('hours', options.hours ?? 24);
  const members = options.members ?? 'offset';
  if (members !== 'single' && members !== 'offset' && members !== 'random-walk') {
    throw argError('members', members, '"offset", "random-walk" or "single"');
  }
  const missing = options.missingFrp ?? 0;
  const cells = options.cells.slice();
  const total = new Float64Array(cells.length);
  let trajectories = 0;
  const base = { ...(options.trace ?? {}), hours, direction: 'forward' as const };
  const starts: { lng: number; lat: number; time: number }[] = [];
  const weights: number[] = [];
  for (let i = 0; i < fires.length; i++) {
    let frp = fires.frp[i]!;
    if (frp !== frp) frp = missing;
    if (!(frp > 0)) continue;
    const start = { lng: fires.lng[i]!, lat: fires.lat[i]!, time: options.startTime ?? fires.time[i]! };
    if (members === 'single') {
      starts.push(start);
      weights.push(frp);
      continue;
    }
    const ens =
      members === 'offset'
        ? traceEnsemble(field, start, { ...base, members: 'offset' })
        : traceEnsemble(field, start, {
            ...base,
            members: 'random-walk',
            ...(options.count === undefined ? {} : { count: options.count }),
            seed: (options.seed ?? 1) + i,
          });
    const e = downwindExposure(ens, { cells, weight: new Float64Array(ens.length).fill(frp / ens.length) });
    for (let r = 0; r < total.length; r++) total[r] = total[r]! + e.values[r]!;
    trajectories += ens.length;
  }
  if (members === 'single' && starts.length > 0) {
    const set = traceTrajectories(field, starts, base);
    const e = downwindExposure(set, { cells, weight: weights });
    total.set(e.values);
    trajectories += set.length;
  }
  return { cells, values: total, trajectories };
}

/**
 * Values of a gridded column (e.g. PM2.5 interpolated by `idwToCells`, population from a raster)
 * aligned to `cells`; NaN where the grid has no row. Grids at another resolution are matched
 * through parents (a finer grid is averaged up to the target cells, a coarser grid's value is
 * given to its children).
 *
 * Internal: not exported from `hazetrace/risk` (buildRiskFactors uses it). For example:
 * ```ts
 * import { alignColumn } from './factors.js';
 * alignColumn({ res: 5, cells: ['85283473fffffff'], columns: { pm25: new Float64Array([41]) } }, 'pm25', ['85283473fffffff', '85283477fffffff']);
 * // Float64Array [41, NaN]
 * ```
 */
export function alignColumn(grid: CellGrid, column: string, cells: readonly string[]): Float64Array {
  const res = checkCells(cells);
  const col = grid.columns[column];
  if (!col) throw argError('column', column, `a column of the grid (${Object.keys(grid.columns).join(', ')})`);
  const out = new Float64Array(cells.length).fill(NaN);
  const idx = cellIndex(cells);
  if (grid.res === res) {
    for (let i = 0; i < grid.cells.length; i++) {
      const r = idx.get(grid.cells[i]!);
      if (r !== undefined) out[r] = col[i]!;
    }
  } else if (grid.res > res) {
    const sum = new Float64Array(cells.length);
    const cnt = new Float64Array(cells.length);
    for (let i = 0; i < grid.cells.length; i++) {
      const v = col[i]!;
      if (v !== v) continue;
      const r = idx.get(cellToParent(grid.cells[i]!, res));
      if (r === undefined) continue;
      sum[r] = sum[r]! + v;
      cnt[r] = cnt[r]! + 1;
    }
    for (let r = 0; r < out.length; r++) if (cnt[r]! > 0) out[r] = sum[r]! / cnt[r]!;
  } else {
    const g = cellIndex(grid.cells);
    for (let r = 0; r < cells.length; r++) {
      const gi = g.get(cellToParent(cells[r]!, grid.res));
      if (gi !== undefined) out[r] = col[gi]!;
    }
  }
  return out;
}

/** Inputs of {@link buildRiskFactors}; every layer is optional. */
export interface RiskLayers {
  /** The cell set to score. Give `cells`, or `domain` + `res`. */
  cells?: readonly string[];
  /** A polygon layer whose cells (centre containment) form the cell set: FeatureCollection, geometry or `readGeoJsonLayer` result. */
  domain?: DomainInput;
  /** Resolution for `domain`. */
  res?: number;
  /** Multi-period detections → `hotspot_detections`, `hotspot_frp`, `repeat_burn`. */
  hotspotHistory?: { hotspots: Pick<Hotspots, 'length' | 'lng' | 'lat' | 'time' | 'frp'> } & Omit<HotspotHistoryOptions, 'cells'>;
  /** Land-use polygons → `landuse_<class>`. */
  landUse?: { layer: FeatureCollection } & Omit<LandUseOptions, 'cells'>;
  /** Emitting facilities → `facility_proximity`. */
  facilities?: { points: PointColumns & { weight?: ArrayLike<number> } } & Omit<FacilityOptions, 'cells'>;
  /**
   * Current PM2.5 → `pm25`: either station readings, interpolated onto the cells by grid's
   * `idwToCells` (inverse-distance weighting; cells out of reach stay NaN), or a ready grid column.
   */
  pm25?: { stations: { lng: ArrayLike<number>; lat: ArrayLike<number>; value: ArrayLike<number> }; idw?: IdwOptions } | { grid: CellGrid; column: string };
  /** Active fires + wind → `downwind_exposure` (forward ensembles). */
  downwind?: { fires: Pick<Hotspots, 'length' | 'lng' | 'lat' | 'time' | 'frp'>; wind: WindField } & Omit<FiresDownwindOptions, 'cells'>;
  /** User columns: a grid and the columns to take, each becoming a factor of the same name. */
  user?: { grid: CellGrid; columns: readonly string[] }[];
}

/** Result of {@link buildRiskFactors}: a ready `scoreRisk` input. */
export interface RiskFactorSet {
  res: number;
  cells: string[];
  factors: FactorColumns;
  /** What each builder did (counts, periods), for the record. */
  notes: string[];
}

/**
 * Assemble the chosen factors onto one cell set: the entry point from layers to `scoreRisk`.
 *
 * @example
 * ```ts
 * import { buildRiskFactors, scoreRisk } from 'hazetrace/risk';
 * const domain = { type: 'Polygon' as const, coordinates: [[[98.8, 18.6], [99.2, 18.6], [99.2, 19.0], [98.8, 19.0], [98.8, 18.6]]] };
 * const fires = { length: 2, lng: new Float64Array([99.0, 99.1]), lat: new Float64Array([18.8, 18.7]),
 *   time: new Float64Array([Date.UTC(2019, 3, 5), Date.UTC(2023, 2, 10)]), frp: new Float64Array([20, 40]) };
 * const set = buildRiskFactors({ domain, res: 7, hotspotHistory: { hotspots: fires },
 *   facilities: { points: { lng: [98.95], lat: [18.75] } } });
 * const scores = scoreRisk(set); // default weights
 * ```
 */
export function buildRiskFactors(layers: RiskLayers): RiskFactorSet {
  if (layers === null || typeof layers !== 'object') throw argError('layers', layers, 'an object of layers');
  let cells: string[];
  if (layers.cells) {
    checkCells(layers.cells, 'layers.cells');
    cells = layers.cells.slice();
  } else if (layers.domain) {
    const res = checkInt('layers.res', layers.res, 0, 15);
    cells = domainCells(layers.domain, res);
    if (cells.length === 0) throw new HazetraceError('E_INPUT', `layers.domain covers no cell centre at res ${res}`, { argument: 'layers.domain' });
  } else {
    throw argError('layers', Object.keys(layers), 'an object with cells, or domain + res');
  }
  const res = getResolution(cells[0]!);
  for (let i = 0; i < cells.length; i++) {
    if (getResolution(cells[i]!) !== res) throw argError(`cells[${i}]`, cells[i], `a cell at resolution ${res} like cells[0]`);
  }
  const factors: FactorColumns = {};
  const notes: string[] = [];
  const add = (name: string, col: Float64Array): void => {
    if (factors[name]) throw new HazetraceError('E_ARG', `factor "${name}" is produced twice (rename the user column)`, { argument: name });
    factors[name] = col;
  };
  if (layers.hotspotHistory) {
    const { hotspots, ...o } = layers.hotspotHistory;
    const h = hotspotHistoryFactors(hotspots, { ...o, cells });
    for (const [k, v] of Object.entries(h.factors)) if (v) add(k, v);
    notes.push(`hotspot history: ${h.inside} detections inside the cells, ${h.outside} outside; periods ${h.periods.join(', ')}`);
  }
  if (layers.landUse) {
    const { layer, ...o } = layers.landUse;
    const lu = landUseFactors(layer, { ...o, cells });
    for (const [k, v] of Object.entries(lu.factors)) add(k, v);
    notes.push(`land use: classes ${lu.classes.join(', ')}`);
  }
  if (layers.facilities) {
    const { points, ...o } = layers.facilities;
    const f = facilityFactors(points, { ...o, cells });
    add('facility_proximity', f.factors.facility_proximity);
    notes.push(`facilities: ${points.lng.length}`);
  }
  if (layers.pm25) {
    const pm = layers.pm25;
    if ('stations' in pm) {
      const g = idwToCells(pm.stations, cells, pm.idw ?? {});
      add('pm25', g.columns.value!);
      notes.push(`pm25: IDW from ${pm.stations.lng.length} stations, ${g.uncovered} cells out of reach (NaN)`);
    } else {
      add('pm25', alignColumn(pm.grid, pm.column, cells));
    }
  }
  if (layers.downwind) {
    const { fires, wind, ...o } = layers.downwind;
    const d = firesDownwindExposure(fires, wind, { ...o, cells });
    add('downwind_exposure', d.values);
    notes.push(`downwind exposure: ${d.trajectories} forward trajectories`);
  }
  for (const u of layers.user ?? []) for (const c of u.columns) add(c, alignColumn(u.grid, c, cells));
  if (Object.keys(factors).length === 0) throw argError('layers', Object.keys(layers), 'at least one factor layer');
  return { res, cells, factors, notes };
}

/**
 * Area of each cell, km² (h3-js `cellArea`).
 *
 * @example
 * ```ts
 * import { cellAreasKm2 } from 'hazetrace/risk';
 * cellAreasKm2(['8765a5a6affffff'])[0]; // ≈ 6.0 (res 7, at 37°N)
 * ```
 */
export function cellAreasKm2(cells: readonly string[]): Float64Array {
  checkArray('cells', cells).forEach((c, i) => { if (!isValidCell(c as string)) throw argError(`cells[${i}]`, c, 'a valid H3 cell id'); });
  const out = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) out[i] = cellArea(cells[i]!, 'km2');
  return out;
}

