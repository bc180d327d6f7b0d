/**
 * Candidate source layers (docs/attribution.md): hotspots, areas, facilities and citizen reports as one columnar
 * shape, tagged with their region (country, province …) and the area classes they fall in through spatial
 * indexes — flatbush over polygon bounding boxes then an exact point-in-polygon test, or an O(1) H3 cell
 * lookup for repeat-burn cells — never a loop over all polygons.
 */
import { cellToBoundary, cellToLatLng, latLngToCell, polygonToCells } from 'h3-js';
import { csvParse } from 'd3-dsv';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { polygonLookup, type PolygonInput } from '../grid/index.js';
import { argError, checkInt, checkPositive, countBurnPeriods, HazetraceError, seasonYearOf, type Hotspots, type RejectedRow, type SeasonOptions, type SourceKind } from '../core/index.js';

/**
 * A set of candidate sources, columnar. One row is one point the kernel sees: a hotspot, a facility, a report,
 * or one representative point of an area (areas are covered by H3 cells; each cell centre is a row carrying an
 * equal part of the area's weight and the area's `id`, so results group rows back into one source by `id`).
 */
export interface SourceLayer {
  /** The layer's kind, or `'mixed'` after {@link mergeSources}. */
  kind: SourceKind | 'mixed';
  length: number;
  /** Kind per row. */
  kinds: SourceKind[];
  /** Source id per row (area rows share their area's id). */
  id: string[];
  /** Category per row: `fire_repeat_burn`, `fire_other`, `facility`, an area class (e.g. `forest_reserve`), `report`. */
  category: string[];
  /** Primary region per row (country code by default; `'unknown'` when no polygon contains it). */
  region: string[];
  /** Further region levels by name (e.g. `province`), per row. */
  regions: Record<string, string[]>;
  /** Area classes the row falls in (e.g. `['repeat_burn', 'forest_reserve']`). */
  classes: string[][];
  /** Non-negative weight per row (FRP in MW, capacity × fuel factor, area weight share, …). */
  weight: Float64Array;
  lng: Float64Array;
  lat: Float64Array;
  /** Time per row, UTC ms; NaN for steady sources (areas, facilities), which get K_time = 1. */
  time: Float64Array;
  /** Other per-row attributes kept for output (e.g. `name`, `primary_fuel`). */
  extra: Record<string, string[]>;
  /** Area outlines by source id, for GeoJSON output. */
  geometries: Record<string, Geometry>;
}

/** Something that answers "which value(s) hold at this point" — a polygon index or a repeat-burn cell set. */
export interface PointTagger {
  /** The first value containing the point, or undefined. */
  valueAt(lng: number, lat: number): string | undefined;
  /** All values containing the point. */
  valuesAt(lng: number, lat: number): string[];
}

/** Region and area tagging shared by all builders. */
export interface TagOptions {
  /** Primary region polygons (e.g. Natural Earth countries keyed by `iso_a3`). */
  regions?: PointTagger;
  /** Further region levels (e.g. `{ province: polygonIndex(provinces, { property: 'pro_en' }) }`). */
  regionLevels?: Record<string, PointTagger>;
  /** Area class layers: polygons keyed by class, repeat-burn cells, … */
  areas?: PointTagger[];
}

// ---------------------------------------------------------------------------------------------------------
// Polygon index

/**
 * A GeoJSON FeatureCollection (or array of features) from any reader — `readGeoJsonLayer(...).features`, `JSON.parse`,
 * turf — typed loosely so each library's own Feature type fits.
 */
export type GeoJsonLike = { readonly type?: string; readonly features: readonly unknown[] } | readonly unknown[];

/** Polygon index over a GeoJSON layer. */
export interface PolygonIndex extends PointTagger {
  /** Number of features indexed. */
  length: number;
  /** Value per feature (the chosen property). */
  values: string[];
  /** Indices of the features containing the point. */
  featuresAt(lng: number, lat: number): number[];
}

/**
 * Index Polygon/MultiPolygon features for point lookups (grid's {@link polygonLookup}: flatbush over the pieces'
 * boxes, then an exact even-odd test on the few candidates; antimeridian-crossing polygons are split). Features
 * without a polygon geometry are skipped (counted in `skipped`). With `snapKm` > 0 (default 0), `valueAt` gives a
 * point outside every polygon the value of the nearest polygon within that distance — use it for region tagging
 * against generalised borders (Natural Earth 1:50m misplaces coasts and borders by up to a few km); `valuesAt`
 * (area classes) stays exact.
 *
 * @example
 * ```ts
 * import { polygonIndex } from 'hazetrace/attribution';
 * const idx = polygonIndex({ type: 'FeatureCollection', features: [
 *   { type: 'Feature', properties: { iso_a3: 'THA' }, geometry: { type: 'Polygon', coordinates: [[[97, 5], [106, 5], [106, 21], [97, 21], [97, 5]]] } },
 * ] });
 * idx.valueAt(99, 18.8); // 'THA'
 * polygonIndex([], {}).valueAt(99, 18.8); // undefined
 * ```
 */
export function polygonIndex(layer: GeoJsonLike, options: { property?: string; snapKm?: number } = {}): PolygonIndex & { skipped: number } {
  const features = (Array.isArray(layer) ? layer : (layer as { features?: unknown })?.features) as Feature[] | undefined;
  if (!Array.isArray(features)) throw argError('layer', layer, 'a GeoJSON FeatureCollection or an array of features');
  const property = options.property ?? 'iso_a3';
  const values = features.map((f) => {
    const v = (f?.properties as Record<string, unknown> | null | undefined)?.[property];
    return v === undefined || v === null ? '' : String(v);
  });
  // The spatial index itself is grid's (flatbush over antimeridian-split pieces + even-odd test).
  const lookup = polygonLookup(features as unknown as PolygonInput[], { skipInvalid: true });
  const featuresAt = lookup.featuresAt;
  const skipped = lookup.skipped;
  const snapKm = checkPositive('options.snapKm', options.snapKm ?? 0, true);
  return {
    length: features.length,
    values,
    skipped,
    featuresAt,
    valueAt(lng, lat) {
      const f = featuresAt(lng, lat)[0] ?? (snapKm > 0 ? lookup.nearestWithin(lng, lat, snapKm)?.feature : undefined);
      return f === undefined ? undefined : values[f];
    },
    valuesAt(lng, lat) {
      return [...new Set(featuresAt(lng, lat).map((f) => values[f] as string))];
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Layer plumbing

function emptyLayer(kind: SourceKind, n: number, levels: string[]): SourceLayer {
  const regions: Record<string, string[]> = {};
  for (const l of levels) regions[l] = new Array<string>(n);
  return {
    kind,
    length: n,
    kinds: new Array<SourceKind>(n).fill(kind),
    id: new Array<string>(n),
    category: new Array<string>(n),
    region: new Array<string>(n),
    regions,
    classes: new Array<string[]>(n),
    weight: new Float64Array(n),
    lng: new Float64Array(n),
    lat: new Float64Array(n),
    time: new Float64Array(n).fill(NaN),
    extra: {},
    geometries: {},
  };
}

/** Tag row i of a layer: region, region levels, area classes. `fallbackRegion` is used when no polygon matches. */
function tagRow(layer: SourceLayer, i: number, tags: TagOptions, fallbackRegion?: string): void {
  const x = layer.lng[i] as number;
  const y = layer.lat[i] as number;
  const r = tags.regions?.valueAt(x, y);
  layer.region[i] = r !== undefined && r !== '' ? r : fallbackRegion || 'unknown';
  if (tags.regionLevels) {
    for (const [name, t] of Object.entries(tags.regionLevels)) (layer.regions[name] as string[])[i] = t.valueAt(x, y) ?? 'unknown';
  }
  const cls: string[] = [];
  if (tags.areas) for (const a of tags.areas) for (const c of a.valuesAt(x, y)) if (c && !cls.includes(c)) cls.push(c);
  layer.classes[i] = cls;
}

function checkTags(tags: TagOptions): void {
  if (tags.regions !== undefined && typeof tags.regions?.valueAt !== 'function') throw argError('options.regions', tags.regions, 'a PointTagger such as polygonIndex(...)');
  if (tags.areas !== undefined && (!Array.isArray(tags.areas) || tags.areas.some((a) => typeof a?.valuesAt !== 'function'))) {
    throw argError('options.areas', tags.areas, 'an array of PointTaggers (polygonIndex(..., { property: "class" }), repeatBurnAreas(...))');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Hotspots

/** Options for {@link hotspotSources}. */
export interface HotspotSourceOptions extends TagOptions {
  /** `'frp'` (default: fire radiative power, MW) or `'count'` (every detection weighs 1). */
  weight?: 'frp' | 'count';
  /** Weight for a detection without FRP when `weight: 'frp'`; default the median FRP of the layer. */
  missingFrp?: number;
  /**
   * Area classes that name a hotspot's category, first match wins: a hotspot in class `c` gets category
   * `fire_<c>`, otherwise `fire_other`. Default `['repeat_burn']` (so `fire_repeat_burn` / `fire_other`).
   */
  categoryClasses?: string[];
  /** Id prefix, default `'hotspot:'` (ids are prefix + row index). */
  idPrefix?: string;
}

/**
 * Hotspots as a source layer: weight FRP (or 1), time the detection time, category `fire_repeat_burn` for hotspots in a
 * repeat-burn area and `fire_other` otherwise, region from the region polygons.
 *
 * @example
 * ```ts
 * import { hotspotSources } from 'hazetrace/attribution';
 * import { readFirmsCsv } from 'hazetrace/io';
 * const { hotspots } = readFirmsCsv('latitude,longitude,brightness,acq_date,acq_time,frp\n19.1,98.9,330.5,2025-04-22,0325,42.5\n');
 * const layer = hotspotSources(hotspots); // add { regions: polygonIndex(countries), areas: [repeatBurnAreas(history)] } to tag
 * [layer.category[0], layer.weight[0]]; // ['fire_other', 42.5]
 * ```
 */
export function hotspotSources(hotspots: Hotspots, options: HotspotSourceOptions = {}): SourceLayer {
  if (!hotspots || typeof hotspots.length !== 'number' || !hotspots.lng || !hotspots.lat || !hotspots.time) {
    throw argError('hotspots', hotspots, 'a Hotspots table (length, lng, lat, time, frp)');
  }
  checkTags(options);
  const mode = options.weight ?? 'frp';
  if (mode !== 'frp' && mode !== 'count') throw argError('options.weight', mode, "'frp' or 'count'");
  const catClasses = options.categoryClasses ?? ['repeat_burn'];
  const prefix = options.idPrefix ?? 'hotspot:';
  const n = hotspots.length;
  let missing = options.missingFrp;
  if (mode === 'frp' && missing === undefined) {
    const f = Array.from(hotspots.frp ?? []).filter((v) => Number.isFinite(v) && v >= 0).sort((a, b) => a - b);
    missing = f.length ? (f[Math.floor((f.length - 1) / 2)] as number) : 1;
  }
  if (missing !== undefined) checkPositive('options.missingFrp', missing, true);
  const layer = emptyLayer('hotspot', n, Object.keys(options.regionLevels ?? {}));
  for (let i = 0; i < n; i++) {
    layer.id[i] = prefix + i;
    layer.lng[i] = hotspots.lng[i] as number;
    layer.lat[i] = hotspots.lat[i] as number;
    layer.time[i] = hotspots.time[i] as number;
    const frp = hotspots.frp?.[i];
    layer.weight[i] = mode === 'count' ? 1 : frp !== undefined && Number.isFinite(frp) && frp >= 0 ? frp : (missing as number);
    tagRow(layer, i, options);
    const cls = layer.classes[i] as string[];
    const c = catClasses.find((k) => cls.includes(k));
    layer.category[i] = c === undefined ? 'fire_other' : `fire_${c}`;
  }
  return layer;
}

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
function vertexMean(polys: Position[][][], fi: number): [number, number] {
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
    toJSON: () => ({ res, years, minYears, className, cells: sortedCells, yearsBurnt: Array.from(yearsBurnt), frequency: Array.from(frequency) }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Areas

/** Options for {@link areaSources}. */
export interface AreaSourceOptions extends TagOptions {
  /** Feature property holding the class (e.g. `forest_reserve`), default `'class'`. */
  classProperty?: string;
  /** Class when the property is absent, default `'area'`. */
  defaultClass?: string;
  /** Feature property holding the weight, default `'weight'`; absent → 1. For repeat-burn cells the weight is the burn frequency. */
  weightProperty?: string;
  /** Feature property holding the id, default `'id'`; absent → `area:<index>`. */
  idProperty?: string;
  /** H3 resolution of the representative points (cell centres inside the polygon), default 6 (≈ 36 km² cells). */
  res?: number;
}

/**
 * Areas as a source layer. Each polygon is covered by H3 cells at `res` (centroid containment, h3 `polygonToCells`);
 * every cell centre becomes a row carrying an equal part of the area's weight, so the kernel sees the area's extent.
 * A polygon smaller than one cell is represented by its vertex mean. Category = the area's class. Repeat-burn areas
 * from {@link repeatBurnAreas} are accepted directly (one row per cell, weight = burn frequency, id = `repeat_burn:<h3>`).
 *
 * @example
 * ```ts
 * import { areaSources } from 'hazetrace/attribution';
 * const layer = areaSources({ type: 'FeatureCollection', features: [
 *   { type: 'Feature', properties: { id: 'reserve-1', class: 'forest_reserve', weight: 2 },
 *     geometry: { type: 'Polygon', coordinates: [[[98.9, 18.7], [99.1, 18.7], [99.1, 18.9], [98.9, 18.9], [98.9, 18.7]]] } },
 * ] });
 * layer.category[0]; // 'forest_reserve'
 * ```
 */
export function areaSources(areas: GeoJsonLike | RepeatBurnAreas, options: AreaSourceOptions = {}): SourceLayer {
  checkTags(options);
  const levels = Object.keys(options.regionLevels ?? {});
  if (areas && 'cells' in areas && 'frequency' in areas) {
    const rb = areas;
    const layer = emptyLayer('area', rb.cells.length, levels);
    rb.cells.forEach((c, i) => {
      const [la, ln] = cellToLatLng(c);
      layer.id[i] = `${rb.className}:${c}`;
      layer.lng[i] = ln;
      layer.lat[i] = la;
      layer.weight[i] = rb.frequency[i] as number;
      tagRow(layer, i, options);
      if (!(layer.classes[i] as string[]).includes(rb.className)) (layer.classes[i] as string[]).unshift(rb.className);
      layer.category[i] = rb.className;
    });
    return layer;
  }
  const features = (Array.isArray(areas) ? areas : (areas as { features?: unknown })?.features) as Feature[] | undefined;
  if (!Array.isArray(features)) throw argError('areas', areas, 'a GeoJSON FeatureCollection of polygons or repeatBurnAreas(...)');
  const res = checkInt('options.res', options.res ?? 6, 0, 15);
  const classProp = options.classProperty ?? 'class';
  const weightProp = options.weightProperty ?? 'weight';
  const idProp = options.idProperty ?? 'id';
  const rows: { id: string; cls: string; w: number; lng: number; lat: number }[] = [];
  const geometries: Record<string, Geometry> = {};
  features.forEach((f, fi) => {
    const g = f?.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      throw new HazetraceError('E_INPUT', `areas.features[${fi}] must be a Polygon or MultiPolygon, got ${g?.type ?? 'no geometry'}`, { feature: fi });
    }
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const id = props[idProp] !== undefined && props[idProp] !== null ? String(props[idProp]) : `area:${fi}`;
    const cls = props[classProp] !== undefined && props[classProp] !== null && props[classProp] !== '' ? String(props[classProp]) : options.defaultClass ?? 'area';
    const wRaw = props[weightProp];
    const w = wRaw === undefined || wRaw === null || wRaw === '' ? 1 : Number(wRaw);
    if (!Number.isFinite(w) || w < 0) throw new HazetraceError('E_INPUT', `areas.features[${fi}].properties.${weightProp} must be a number >= 0, got ${String(wRaw)}`, { feature: fi });
    geometries[id] = g;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const pts: [number, number][] = [];
    for (const p of polys) for (const c of polygonToCells(p as number[][][], res, true)) {
      const [la, ln] = cellToLatLng(c);
      pts.push([ln, la]);
    }
    // Smaller than one cell: the mean of the outer ring's vertices stands for it.
    if (pts.length === 0) pts.push(vertexMean(polys as Position[][][], fi));
    for (const [x, y] of pts) rows.push({ id, cls, w: w / pts.length, lng: x, lat: y });
  });
  const layer = emptyLayer('area', rows.length, levels);
  layer.geometries = geometries;
  rows.forEach((r, i) => {
    layer.id[i] = r.id;
    layer.lng[i] = r.lng;
    layer.lat[i] = r.lat;
    layer.weight[i] = r.w;
    tagRow(layer, i, options);
    const cls = layer.classes[i] as string[];
    if (!cls.includes(r.cls)) cls.unshift(r.cls);
    layer.category[i] = r.cls;
  });
  return layer;
}

// ---------------------------------------------------------------------------------------------------------
// Facilities

/**
 * Default emission factor per MW of capacity by primary fuel (relative PM2.5 per MW, coal = 1). Orders of magnitude
 * from uncontrolled/typical PM emission factors per unit of electricity (US EPA AP-42 ch. 1): solid fuels (coal,
 * petcoke, biomass, waste) emit the most particulate, oil about half, gas-fired and cogeneration plants little;
 * hydro, solar, wind, nuclear, geothermal and storage emit none at the stack. Override with `fuelFactors`.
 *
 * @example
 * ```ts
 * import { DEFAULT_FUEL_FACTORS } from 'hazetrace/attribution';
 * DEFAULT_FUEL_FACTORS.coal; // 1 (hydro, solar, wind: 0)
 * ```
 */
export const DEFAULT_FUEL_FACTORS: Readonly<Record<string, number>> = Object.freeze({
  coal: 1,
  petcoke: 1,
  biomass: 1,
  waste: 0.8,
  oil: 0.5,
  cogeneration: 0.3,
  gas: 0.1,
  other: 0.1,
  hydro: 0,
  solar: 0,
  wind: 0,
  nuclear: 0,
  geothermal: 0,
  storage: 0,
  'wave and tidal': 0,
});

/** Options for {@link facilitySources}. */
export interface FacilitySourceOptions extends TagOptions {
  /** Factor per fuel (lower-case keys); merged over {@link DEFAULT_FUEL_FACTORS}. Unknown fuels use `other`. */
  fuelFactors?: Record<string, number>;
  /** Category for every facility, default `'facility'`. */
  category?: string;
}

/** Result of {@link facilitySources}: the layer and the rows it could not accept. */
export interface FacilitySourceResult {
  layer: SourceLayer;
  rejected: RejectedRow[];
}

function col(row: Record<string, unknown>, names: string[]): string | undefined {
  for (const n of names) {
    const v = row[n];
    if (v !== undefined && v !== null && String(v).trim() !== '') return String(v).trim();
  }
  return undefined;
}

/**
 * Facilities (e.g. WRI Global Power Plant Database rows, or the CLI facility CSV
 * `facility_id,name,latitude,longitude,iso_a3,primary_fuel,capacity_mw`) as a source layer:
 * weight = `capacity_mw` × fuel factor ({@link DEFAULT_FUEL_FACTORS}), steady in time, category `facility`.
 * Region: from the region polygons when given, else the row's `iso_a3` / `country` column.
 * Accepts CSV text or parsed rows; bad rows are returned in `rejected`, never dropped silently.
 *
 * @example
 * ```ts
 * import { facilitySources } from 'hazetrace/attribution';
 * const { layer } = facilitySources('facility_id,name,latitude,longitude,iso_a3,primary_fuel,capacity_mw\nf1,Mae Moh,18.3,99.74,THA,Coal,2400');
 * layer.weight[0]; // 2400
 * ```
 */
export function facilitySources(input: string | Record<string, unknown>[], options: FacilitySourceOptions = {}): FacilitySourceResult {
  checkTags(options);
  const rows: Record<string, unknown>[] = typeof input === 'string' ? (csvParse(input.replace(/^\uFEFF/, '')) as unknown as Record<string, unknown>[]) : input;
  if (!Array.isArray(rows)) throw argError('input', input, 'CSV text or an array of row objects');
  const factors: Record<string, number> = { ...DEFAULT_FUEL_FACTORS, ...(options.fuelFactors ?? {}) };
  for (const [k, v] of Object.entries(factors)) checkPositive(`options.fuelFactors.${k}`, v, true);
  const category = options.category ?? 'facility';
  const ok: { id: string; name: string; fuel: string; lng: number; lat: number; w: number; region: string }[] = [];
  const rejected: RejectedRow[] = [];
  rows.forEach((r, i) => {
    const row = i + 1;
    const lat = Number(col(r, ['latitude', 'lat']));
    const lng = Number(col(r, ['longitude', 'lng', 'lon', 'long']));
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
      rejected.push({ row, column: 'latitude', code: 'E_COORD', message: `row ${row}: coordinates must be finite degrees, got latitude ${String(r['latitude'] ?? r['lat'])}, longitude ${String(r['longitude'] ?? r['lng'] ?? r['lon'])}` });
      return;
    }
    const capStr = col(r, ['capacity_mw', 'capacity']);
    const cap = Number(capStr);
    if (capStr === undefined || !Number.isFinite(cap) || cap < 0) {
      rejected.push({ row, column: 'capacity_mw', code: 'E_NUMBER', message: `row ${row}: capacity_mw must be a number >= 0, got ${JSON.stringify(capStr ?? '')}` });
      return;
    }
    const fuel = (col(r, ['primary_fuel', 'fuel']) ?? 'other').toLowerCase();
    const factor = factors[fuel] ?? (factors['other'] as number);
    const name = col(r, ['name']) ?? '';
    const id = col(r, ['facility_id', 'gppd_idnr', 'id']) ?? (name ? `facility:${name}` : `facility:${row}`);
    ok.push({ id, name, fuel, lng, lat, w: cap * factor, region: col(r, ['iso_a3', 'country']) ?? '' });
  });
  // Duplicate ids (GPPD names repeat across units) are made unique so each plant stays its own source.
  const seen = new Map<string, number>();
  for (const o of ok) {
    const k = seen.get(o.id) ?? 0;
    seen.set(o.id, k + 1);
    if (k > 0) o.id = `${o.id}#${k + 1}`;
  }
  const layer = emptyLayer('facility', ok.length, Object.keys(options.regionLevels ?? {}));
  layer.extra = { name: ok.map((o) => o.name), primary_fuel: ok.map((o) => o.fuel) };
  ok.forEach((o, i) => {
    layer.id[i] = o.id;
    layer.lng[i] = o.lng;
    layer.lat[i] = o.lat;
    layer.weight[i] = o.w;
    tagRow(layer, i, options, o.region);
    layer.category[i] = category;
  });
  return { layer, rejected };
}

// ---------------------------------------------------------------------------------------------------------
// Reports

/** Options for {@link reportSources}. */
export interface ReportSourceOptions extends TagOptions {
  /** Category, default `'report'`. */
  category?: string;
}

/**
 * Citizen burn reports (points and times, optional weight, default 1) as a source layer with category `report`.
 *
 * @example
 * ```ts
 * import { reportSources } from 'hazetrace/attribution';
 * const layer = reportSources({ lng: [99.0], lat: [18.9], time: [Date.UTC(2025, 3, 22, 5)] });
 * layer.category[0]; // 'report'
 * ```
 */
export function reportSources(
  reports: { lng: ArrayLike<number>; lat: ArrayLike<number>; time: ArrayLike<number>; weight?: ArrayLike<number>; id?: ArrayLike<string> },
  options: ReportSourceOptions = {},
): SourceLayer {
  checkTags(options);
  const n = reports?.lng?.length;
  if (typeof n !== 'number' || reports.lat?.length !== n || reports.time?.length !== n) throw argError('reports', reports, '{ lng, lat, time } of equal length');
  const layer = emptyLayer('report', n, Object.keys(options.regionLevels ?? {}));
  for (let i = 0; i < n; i++) {
    const x = reports.lng[i] as number;
    const y = reports.lat[i] as number;
    const t = reports.time[i] as number;
    const w = reports.weight ? (reports.weight[i] as number) : 1;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(t)) throw argError(`reports[${i}]`, { lng: x, lat: y, time: t }, 'finite lng, lat and time');
    checkPositive(`reports.weight[${i}]`, w, true);
    layer.id[i] = reports.id ? String(reports.id[i]) : `report:${i}`;
    layer.lng[i] = x;
    layer.lat[i] = y;
    layer.time[i] = t;
    layer.weight[i] = w;
    tagRow(layer, i, options);
    layer.category[i] = options.category ?? 'report';
  }
  return layer;
}

// ---------------------------------------------------------------------------------------------------------
// Merge & counts

/**
 * Concatenate layers into one (kind `'mixed'` unless all share a kind). Region levels missing from a layer are `'unknown'`.
 *
 * @example
 * ```ts
 * import { mergeSources, reportSources } from 'hazetrace/attribution';
 * const a = reportSources({ lng: [99], lat: [18], time: [0] });
 * mergeSources(a, a).length; // 2
 * ```
 */
export function mergeSources(...layers: SourceLayer[]): SourceLayer {
  if (layers.length === 0) throw argError('layers', layers, 'at least one SourceLayer');
  const n = layers.reduce((s, l) => s + l.length, 0);
  const kinds = new Set(layers.map((l) => l.kind));
  const levels = [...new Set(layers.flatMap((l) => Object.keys(l.regions)))];
  const extraKeys = [...new Set(layers.flatMap((l) => Object.keys(l.extra)))];
  const first = kinds.size === 1 ? [...kinds][0] : 'mixed';
  const out = emptyLayer('hotspot', n, levels);
  out.kind = first === undefined ? 'mixed' : first;
  for (const k of extraKeys) out.extra[k] = new Array<string>(n).fill('');
  let o = 0;
  for (const l of layers) {
    for (let i = 0; i < l.length; i++, o++) {
      out.kinds[o] = l.kinds[i] as SourceKind;
      out.id[o] = l.id[i] as string;
      out.category[o] = l.category[i] as string;
      out.region[o] = l.region[i] as string;
      for (const lv of levels) (out.regions[lv] as string[])[o] = l.regions[lv]?.[i] ?? 'unknown';
      for (const k of extraKeys) (out.extra[k] as string[])[o] = l.extra[k]?.[i] ?? '';
      out.classes[o] = l.classes[i] as string[];
      out.weight[o] = l.weight[i] as number;
      out.lng[o] = l.lng[i] as number;
      out.lat[o] = l.lat[i] as number;
      out.time[o] = l.time[i] as number;
    }
    Object.assign(out.geometries, l.geometries);
  }
  return out;
}

/**
 * Count rows by a column (`'region'`, `'category'`, `'kind'`), e.g. hotspots per country.
 *
 * @example
 * ```ts
 * import { countBy, reportSources } from 'hazetrace/attribution';
 * countBy(reportSources({ lng: [99], lat: [18], time: [0] }), 'category'); // { report: 1 }
 * ```
 */
export function countBy(layer: SourceLayer, column: 'region' | 'category' | 'kind'): Record<string, number> {
  const src = column === 'kind' ? layer.kinds : layer[column];
  const out: Record<string, number> = {};
  for (const v of src) out[v] = (out[v] ?? 0) + 1;
  return out;
}
