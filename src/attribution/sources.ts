/**
 * Candidate source layers (docs/attribution.md): hotspots, areas, facilities and citizen reports as one columnar
 * shape, tagged with their region (country, province …) and the area classes they fall in through spatial
 * indexes — flatbush over polygon bounding boxes then an exact point-in-polygon test, or an O(1) H3 cell
 * lookup for repeat-burn cells — never a loop over all polygons.
 */
import { cellToLatLng, polygonToCells } from 'h3-js';
import { csvParse } from 'd3-dsv';
import type { Feature, Geometry, Position } from 'geojson';
import { argError, checkInt, checkPositive, HazetraceError, type Hotspots, type RejectedRow } from '../core/index.js';
import { checkTags, emptyLayer, tagRow, type GeoJsonLike, type SourceLayer, type TagOptions } from './source-layer.js';
import { vertexMean, type RepeatBurnAreas } from './repeat-burn.js';
import { checkColumns, checkOptions } from '../core/check.js';

export * from './source-layer.js';
export * from './repeat-burn.js';

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
  checkColumns('hotspots', hotspots, ['lng', 'lat', 'time']);
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
  checkOptions('options', options);
  if (typeof areas !== 'object' || areas === null) throw argError('areas', areas, 'a GeoJSON FeatureCollection or a RepeatBurnAreas result');
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
  checkOptions('options', options);
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
  checkOptions('options', options);
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
