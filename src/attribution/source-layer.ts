/**
 * The source-layer data model and its plumbing (docs/attribution.md): the columnar shape every candidate source
 * takes, region and area tagging through a shared polygon index, merging and counting layers.
 */
import { polygonLookup, type PolygonInput } from '../grid/index.js';
import type { Feature, Geometry } from 'geojson';
import { argError, checkPositive, type SourceKind } from '../core/index.js';
import { checkOneOf } from '../core/check.js';
import { checkSourceLayer } from './check.js';

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

export function emptyLayer(kind: SourceKind, n: number, levels: string[]): SourceLayer {
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

/** A new layer of `rows` of `layer` (indices, in the order given), every column and region level kept. */
export function layerRows(layer: SourceLayer, rows: ArrayLike<number>): SourceLayer {
  return pickRows([layer], new Uint8Array(rows.length), rows);
}

/**
 * A new layer of row `rows[o]` of `layers[part[o]]` for each o (the one copy loop of {@link layerRows} and
 * {@link mergeSources}). Region levels and extra columns are those of any layer; a row of a layer without one gets
 * `'unknown'` / `''`. The first layer gives the kind; geometries are shared with one layer, merged from several.
 */
export function pickRows(layers: readonly SourceLayer[], part: ArrayLike<number>, rows: ArrayLike<number>): SourceLayer {
  const n = rows.length;
  const first = layers[0] as SourceLayer;
  const levels = [...new Set(layers.flatMap((l) => Object.keys(l.regions)))];
  const extras = [...new Set(layers.flatMap((l) => Object.keys(l.extra)))];
  const out = emptyLayer('hotspot', n, levels);
  out.kind = first.kind;
  for (const k of extras) out.extra[k] = new Array<string>(n);
  const outLevels = levels.map((l) => out.regions[l] as string[]);
  const outExtras = extras.map((k) => out.extra[k] as string[]);
  for (let o = 0; o < n; o++) {
    const layer = layers[part[o] as number] as SourceLayer;
    const i = rows[o] as number;
    out.kinds[o] = layer.kinds[i] as SourceKind;
    out.id[o] = layer.id[i] as string;
    out.category[o] = layer.category[i] as string;
    out.region[o] = layer.region[i] as string;
    for (let l = 0; l < levels.length; l++) (outLevels[l] as string[])[o] = layer.regions[levels[l] as string]?.[i] ?? 'unknown';
    for (let k = 0; k < extras.length; k++) (outExtras[k] as string[])[o] = layer.extra[extras[k] as string]?.[i] ?? '';
    out.classes[o] = layer.classes[i] as string[];
    out.weight[o] = layer.weight[i] as number;
    out.lng[o] = layer.lng[i] as number;
    out.lat[o] = layer.lat[i] as number;
    out.time[o] = layer.time[i] as number;
  }
  out.geometries = layers.length === 1 ? first.geometries : Object.assign({}, ...layers.map((l) => l.geometries));
  return out;
}

/** Tag row i of a layer: region, region levels, area classes. `fallbackRegion` is used when no polygon matches. */
export function tagRow(layer: SourceLayer, i: number, tags: TagOptions, fallbackRegion?: string): void {
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

export function checkTags(tags: TagOptions): void {
  if (tags.regions !== undefined && typeof tags.regions?.valueAt !== 'function') throw argError('options.regions', tags.regions, 'a PointTagger such as polygonIndex(...)');
  if (tags.areas !== undefined && (!Array.isArray(tags.areas) || tags.areas.some((a) => typeof a?.valuesAt !== 'function'))) {
    throw argError('options.areas', tags.areas, 'an array of PointTaggers (polygonIndex(..., { property: "class" }), repeatBurnAreas(...))');
  }
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
  layers.forEach((l, i) => checkSourceLayer(`layers[${i}]`, l));
  if (layers.length === 0) throw argError('layers', layers, 'at least one SourceLayer');
  const n = layers.reduce((s, l) => s + l.length, 0);
  const part = new Uint32Array(n);
  const rows = new Uint32Array(n);
  let o = 0;
  layers.forEach((l, k) => {
    for (let i = 0; i < l.length; i++, o++) {
      part[o] = k;
      rows[o] = i;
    }
  });
  const out = pickRows(layers, part, rows);
  const kinds = new Set(layers.map((l) => l.kind));
  out.kind = kinds.size === 1 ? (layers[0] as SourceLayer).kind : 'mixed';
  out.geometries = Object.assign({}, ...layers.map((l) => l.geometries));
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
  checkSourceLayer('layer', layer);
  checkOneOf('column', column, ['region', 'category', 'kind']);
  const src = column === 'kind' ? layer.kinds : layer[column];
  const out: Record<string, number> = {};
  for (const v of src) out[v] = (out[v] ?? 0) + 1;
  return out;
}
