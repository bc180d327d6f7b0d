/**
 * Repeat-burn areas (docs/attribution.md): H3 cells burnt in at least N of M burning seasons, from a hotspot history
 * or from burn-scar polygons, as an O(1) point tagger.
 */
import { cellToBoundary, latLngToCell, polygonToCells } from 'h3-js';
import type { Feature, FeatureCollection, Position } from 'geojson';
import { argError, checkInt, countBurnPeriods, HazetraceError, seasonYearOf, type Hotspots, type SeasonOptions } from '../core/index.js';
import type { GeoJsonLike, PointTagger } from './source-layer.js';
import { checkColumns, checkOptions } from '../core/check.js';
// ---------------------------------------------------------------------------------------------------------
// Repeat-burn areas

/** Cells burnt in at least N of M years (a PointTagger with O(1) lookups, usable as an area layer). */
export interface RepeatBurnAreas extends PointTagger {
  res: number;
  /** H3 cells (hex strings). */
  cells: string[];
  /** Season years with at least one detection, per cell. */
  yearsBurnt: Int32Array;
  /** yearsBurnt / M. */
  frequency: Float64Array;
  /** The M season years considered. */
  years: number[];
  minYears: number;
  /** Class name given to points inside (default `repeat_burn`). */
  className: string;
  /** Cells as GeoJSON hexagons with `h3`, `years_burnt`, `frequency`. */
  toGeoJSON(): FeatureCollection;
  toJSON(): object;
}

/**
 * Options for {@link repeatBurnAreas}. Detections count by burning-season year (core `seasonYear`): with the
 * defaults a season runs November to October in UTC+07:00 and is named by the year of its February–April peak,
 * so 2024-12-20 and 2025-03-10 are one season (2025), not two years.
 */
export interface RepeatBurnOptions extends SeasonOptions {
  /** H3 resolution, default 7 (≈ 5 km² cells, a few MODIS 1 km pixels). */
  res?: number;
  /** N: minimum number of years burnt, default 2. */
  minYears?: number;
  /**
   * M: the season years considered — an array of years, or a count meaning the last `years` season years up to
   * the latest detection. Default: every season year with detections.
   */
  years?: number | number[];
  /** Class name, default `'repeat_burn'`. */
  className?: string;
}

/**
 * Derive repeat-burn areas from multi-year hotspots: H3 cells with detections in at least `minYears` (N) of the
 * `years` (M) considered, with their burn frequency. The result tags points (`valuesAt`) in O(1) and turns into an
 * area source layer with {@link areaSources}.
 *
 * @example
 * ```ts
 * import { repeatBurnAreas } from 'hazetrace/attribution';
 * const t = (y: number) => Date.UTC(y, 2, 1);
 * const history = { length: 3, lng: Float64Array.of(99.1, 99.1, 99.1), lat: Float64Array.of(19.2, 19.2, 19.2), time: Float64Array.of(t(2023), t(2024), t(2025)) };
 * const rb = repeatBurnAreas(history, { res: 7, minYears: 2, years: 3 });
 * rb.valuesAt(99.1, 19.2); // ['repeat_burn'] (burnt 3 of 3 years: frequency 1)
 * ```
 */
export function repeatBurnAreas(hotspots: Pick<Hotspots, 'length' | 'lng' | 'lat' | 'time'>, options: RepeatBurnOptions = {}): RepeatBurnAreas {
  checkColumns('hotspots', hotspots, ['lng', 'lat', 'time']);
  checkOptions('options', options);
  if (!hotspots || typeof hotspots.length !== 'number') throw argError('hotspots', hotspots, 'a Hotspots table');
  const res = checkInt('options.res', options.res ?? 7, 0, 15);
  const yearOf = seasonYearOf({ ...options, utcOffset: options.utcOffset ?? '+07:00' });
  const seen: CellYears = { cells: [], years: [] };
  for (let i = 0; i < hotspots.length; i++) {
    const t = hotspots.time[i] as number;
    const x = hotspots.lng[i] as number;
    const y = hotspots.lat[i] as number;
    if (!Number.isFinite(t) || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    seen.cells.push(latLngToCell(y, x, res));
    seen.years.push(yearOf(t));
  }
  return buildRepeatBurn(seen, res, options);
}

/** Options for {@link repeatBurnAreasFromScars}. */
export interface RepeatBurnScarOptions extends Omit<RepeatBurnOptions, 'utcOffset' | 'seasonStartMonth'> {
  /** Feature property holding the burn (season) year, default `'year'`. */
  yearProperty?: string;
}

/**
 * Repeat-burn areas from yearly burn-scar polygons (e.g. a burnt-area product per year): each polygon is covered by
 * H3 cells at `res` (centroid containment; a polygon smaller than a cell marks the cell of its vertex mean) for its
 * year, then cells burnt in at least `minYears` of the `years` considered are kept, as {@link repeatBurnAreas} does for
 * hotspots. Features without a valid integer year throw `E_INPUT` naming the feature.
 *
 * @example
 * ```ts
 * import { repeatBurnAreasFromScars } from 'hazetrace/attribution';
 * const scar = (year: number) => ({ type: 'Feature', properties: { year },
 *   geometry: { type: 'Polygon', coordinates: [[[99, 19], [99.05, 19], [99.05, 19.05], [99, 19.05], [99, 19]]] } });
 * const rb = repeatBurnAreasFromScars({ type: 'FeatureCollection', features: [scar(2023), scar(2025)] }, { minYears: 2 });
 * rb.valuesAt(99.025, 19.025); // ['repeat_burn']
 * ```
 */
export function repeatBurnAreasFromScars(scars: GeoJsonLike, options: RepeatBurnScarOptions = {}): RepeatBurnAreas {
  const features = (Array.isArray(scars) ? scars : (scars as { features?: unknown })?.features) as Feature[] | undefined;
  if (!Array.isArray(features)) throw argError('scars', scars, 'a GeoJSON FeatureCollection of burn-scar polygons');
  const res = checkInt('options.res', options.res ?? 7, 0, 15);
  const yearProp = options.yearProperty ?? 'year';
  const seen: CellYears = { cells: [], years: [] };
  features.forEach((f, fi) => {
    const g = f?.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      throw new HazetraceError('E_INPUT', `scars.features[${fi}] must be a Polygon or MultiPolygon, got ${g?.type ?? 'no geometry'}`, { feature: fi });
    }
    const raw = (f.properties ?? {})[yearProp];
    const year = Number(raw);
    if (!Number.isInteger(year)) throw new HazetraceError('E_INPUT', `scars.features[${fi}].properties.${yearProp} must be an integer year, got ${JSON.stringify(raw ?? null)}`, { feature: fi });
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    let n = 0;
    for (const p of polys) for (const c of polygonToCells(p as number[][][], res, true)) {
      seen.cells.push(c);
      seen.years.push(year);
      n++;
    }
    if (n === 0) {
      const [x, y] = vertexMean(polys, fi);
      seen.cells.push(latLngToCell(y, x, res));
      seen.years.push(year);
    }
  });
  return buildRepeatBurn(seen, res, options);
}

/** One (cell, season year) pair per detection or scar cell. */
interface CellYears {
  cells: string[];
  years: number[];
}

/** Mean of the outer rings' vertices (closing vertex excluded): the point that stands for a polygon smaller than a cell. */
export function vertexMean(polys: Position[][][], fi: number): [number, number] {
  let sx = 0;
  let sy = 0;
  let k = 0;
  for (const p of polys) {
    for (const v of (p[0] ?? []).slice(0, -1)) {
      sx += v[0] as number;
      sy += v[1] as number;
      k++;
    }
  }
  if (k === 0) throw new HazetraceError('E_INPUT', `features[${fi}] has an empty polygon`, { feature: fi });
  return [sx / k, sy / k];
}

/** Keep the cells burnt in ≥ N of the M years considered (shared by the hotspot and burn-scar versions). */
function buildRepeatBurn(seen: CellYears, res: number, options: Pick<RepeatBurnOptions, 'minYears' | 'years' | 'className'>): RepeatBurnAreas {
  const minYears = checkInt('options.minYears', options.minYears ?? 2, 1, 10_000);
  const className = options.className ?? 'repeat_burn';
  const allYears = new Set<number>(seen.years);
  let years: number[];
  if (Array.isArray(options.years)) years = [...options.years].sort((a, b) => a - b);
  else if (typeof options.years === 'number') {
    const m = checkInt('options.years', options.years, 1, 10_000);
    // Without any detection there is no last year to count back from: nothing burnt, no years.
    const last = allYears.size ? Math.max(...allYears) : NaN;
    years = Number.isFinite(last) ? Array.from({ length: m }, (_, i) => last - m + 1 + i) : [];
  } else years = [...allYears].sort((a, b) => a - b);
  if (years.length > 0 && minYears > years.length) throw argError('options.minYears', minYears, `at most the number of years considered (${years.length})`);
  const counted = countBurnPeriods(seen.cells, seen.years, years);
  const cells: string[] = [];
  const burnt: number[] = [];
  counted.keys.forEach((c, i) => {
    const k = counted.counts[i] as number;
    if (k >= minYears) {
      cells.push(c);
      burnt.push(k);
    }
  });
  const order = cells.map((_, i) => i).sort((a, b) => (cells[a]! < cells[b]! ? -1 : 1));
  const sortedCells = order.map((i) => cells[i] as string);
  const yearsBurnt = Int32Array.from(order.map((i) => burnt[i] as number));
  const frequency = Float64Array.from(yearsBurnt, (k) => k / years.length);
  const set = new Map(sortedCells.map((c, i) => [c, i]));
  const valueAt = (lng: number, lat: number): string | undefined => (set.has(latLngToCell(lat, lng, res)) ? className : undefined);
  const toGeoJSON = (): FeatureCollection => ({
    type: 'FeatureCollection',
    features: sortedCells.map((c, i) => {
      const ring = cellToBoundary(c, true);
      ring.push(ring[0] as [number, number]);
      return {
        type: 'Feature',
        properties: { h3: c, class: className, years_burnt: yearsBurnt[i] as number, frequency: frequency[i] as number },
        geometry: { type: 'Polygon', coordinates: [ring] },
      };
    }),
  });
  return {
    res,
    cells: sortedCells,
    yearsBurnt,
    frequency,
    years,
    minYears,
    className,
    valueAt,
    valuesAt: (lng, lat) => {
      const v = valueAt(lng, lat);
      return v === undefined ? [] : [v];
    },
    toGeoJSON,
    toJSON() {
      return { res, years, minYears, className, cells: sortedCells, yearsBurnt: Array.from(yearsBurnt), frequency: Array.from(frequency) };
    },
  };
}
