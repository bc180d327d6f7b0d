/**
 * GeoJSON layer reader (RFC 7946) with validation, and the small GeoJSON helpers the writers share.
 */
import { HazetraceError, showValue } from '../core/errors.js';
import type { RejectedRow } from '../core/types.js';
import { readCounts, type ReadCounts } from '../core/ranges.js';
import { parseJsonInput, type TextInput } from './text.js';

/** A GeoJSON position: [lng, lat] or [lng, lat, z]. */
export type Position = number[];
/** GeoJSON geometry objects. */
export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: Geometry[] };
/** A GeoJSON Feature whose properties live in a null-prototype object. */
export interface Feature<G extends Geometry | null = Geometry> {
  type: 'Feature';
  id?: string | number;
  geometry: G;
  properties: Record<string, unknown>;
}
/** A GeoJSON FeatureCollection. */
export interface FeatureCollection<G extends Geometry | null = Geometry> {
  type: 'FeatureCollection';
  features: Feature<G>[];
}

/** Options for {@link readGeoJsonLayer}. */
export interface GeoJsonLayerOptions {
  /** Accept features whose geometry is `null` (RFC 7946 allows it). Default `false`: rejected with `E_GEOMETRY`. */
  allowNullGeometry?: boolean;
  /**
   * Geometry types this layer accepts, e.g. `['Polygon', 'MultiPolygon']` for a region or area layer;
   * a feature of another type is rejected (`E_GEOMETRY_TYPE`, counted) instead of being dropped later
   * without a word. Default: every type.
   */
  geometryTypes?: readonly Geometry['type'][];
}

/** GeometryCollections nested deeper than this are rejected (RFC 7946 §3.1.8 advises against nesting at all). */
const MAX_COLLECTION_DEPTH = 16;

/** What {@link readGeoJsonLayer} returns. */
export interface GeoJsonLayerResult {
  features: Feature<Geometry | null>[];
  /** `features.length + rejected.length` = input features; `row` is the 1-based feature index. */
  rejected: RejectedRow[];
  /** `rows` (input features) `= accepted + rejected`, rejections per code. */
  counts: ReadCounts;
  toJSON(): FeatureCollection<Geometry | null>;
}

/** Copy a JSON value, putting every object's keys into a null-prototype object so `__proto__` stays data. */
function safeCopy(v: unknown, depth = 0): unknown {
  if (depth > 64) throw new HazetraceError('E_INPUT', 'GeoJSON properties nest deeper than 64 levels', { reason: 'depth' });
  if (Array.isArray(v)) return v.map((x) => safeCopy(x, depth + 1));
  if (v !== null && typeof v === 'object') {
    const out = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v)) out[k] = safeCopy((v as Record<string, unknown>)[k], depth + 1);
    return out;
  }
  return v;
}

/** Why a geometry is invalid, as [code, message], or null when it is valid. */
function checkGeometry(g: unknown, depth = 0): [string, string] | null {
  if (g === null || typeof g !== 'object' || Array.isArray(g)) return ['E_GEOMETRY', `geometry ${showValue(g)} is not an object`];
  if (depth > MAX_COLLECTION_DEPTH) return ['E_GEOMETRY', `GeometryCollection nested deeper than ${MAX_COLLECTION_DEPTH} levels`];
  const geom = g as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  const pos = (p: unknown): [string, string] | null => {
    if (!Array.isArray(p) || p.length < 2 || !p.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      return ['E_COORD', `position ${showValue(p)} is not [lng, lat] numbers`];
    }
    const [lng, lat] = p as number[];
    if (lng! < -180 || lng! > 180 || lat! < -90 || lat! > 90) return ['E_COORD', `position [${lng}, ${lat}] is outside lng -180..180, lat -90..90`];
    return null;
  };
  const list = (a: unknown, min: number, what: string): [string, string] | null => {
    if (!Array.isArray(a)) return ['E_GEOMETRY', `${what} coordinates are not an array`];
    if (a.length === 0) return ['E_EMPTY_GEOMETRY', `${what} has no positions`];
    if (a.length < min) return ['E_GEOMETRY', `${what} has ${a.length} positions, needs at least ${min}`];
    for (const p of a) {
      const e = pos(p);
      if (e) return e;
    }
    return null;
  };
  const ring = (r: unknown, k: number): [string, string] | null => {
    const e = list(r, 4, `ring ${k}`);
    if (e) return e;
    const a = r as number[][];
    const f = a[0]!;
    const l = a[a.length - 1]!;
    // RFC 7946 §3.1.6: the first and last positions are equivalent. Not closed silently: the caller must see it.
    if (f[0] !== l[0] || f[1] !== l[1]) return ['E_RING', `ring ${k} is not closed: first [${f[0]}, ${f[1]}] ≠ last [${l[0]}, ${l[1]}]`];
    return null;
  };
  const polygon = (rings: unknown): [string, string] | null => {
    if (!Array.isArray(rings)) return ['E_GEOMETRY', 'Polygon coordinates are not an array'];
    if (rings.length === 0) return ['E_EMPTY_GEOMETRY', 'Polygon has no rings'];
    for (let k = 0; k < rings.length; k++) {
      const e = ring(rings[k], k);
      if (e) return e;
    }
    return null;
  };
  const many = (a: unknown, what: string, each: (x: unknown) => [string, string] | null): [string, string] | null => {
    if (!Array.isArray(a)) return ['E_GEOMETRY', `${what} coordinates are not an array`];
    if (a.length === 0) return ['E_EMPTY_GEOMETRY', `${what} is empty`];
    for (const x of a) {
      const e = each(x);
      if (e) return e;
    }
    return null;
  };
  switch (geom.type) {
    case 'Point':
      return pos(geom.coordinates);
    case 'MultiPoint':
      return list(geom.coordinates, 1, 'MultiPoint');
    case 'LineString':
      return list(geom.coordinates, 2, 'LineString');
    case 'MultiLineString':
      return many(geom.coordinates, 'MultiLineString', (l) => list(l, 2, 'LineString'));
    case 'Polygon':
      return polygon(geom.coordinates);
    case 'MultiPolygon':
      return many(geom.coordinates, 'MultiPolygon', polygon);
    case 'GeometryCollection':
      return many(geom.geometries, 'GeometryCollection', (x) => checkGeometry(x, depth + 1));
    default:
      return ['E_GEOMETRY', `geometry type ${showValue(geom.type)} is not a GeoJSON geometry type`];
  }
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/**
 * Read a GeoJSON layer (FeatureCollection, Feature or bare geometry; text, bytes or an object) into
 * validated features. Each feature is checked: positions are finite `[lng, lat]` inside -180..180 /
 * -90..90 (`E_COORD`), polygon rings have ≥ 4 positions and are closed (`E_RING`; never closed
 * silently), geometries are not empty (`E_EMPTY_GEOMETRY`) and have a known type (`E_GEOMETRY`).
 * Properties (and `id`) are copied into null-prototype objects, so a `__proto__` key is plain data.
 * The input object is not modified. A legacy `crs` member other than CRS84/EPSG:4326 throws `E_CRS`
 * (RFC 7946 data are WGS84 lng/lat). With `geometryTypes` (e.g. `['Polygon', 'MultiPolygon']`) features
 * of other types are rejected (`E_GEOMETRY_TYPE`) and counted. GeometryCollections nested deeper than 16
 * levels (`E_GEOMETRY`) and properties nested deeper than 64 (`E_NESTING`) reject their feature — no stack
 * overflow. `counts` adds up: `rows = accepted + rejected`.
 *
 * @example
 * ```ts
 * import { readGeoJsonLayer } from 'hazetrace/io';
 * const { features, rejected } = readGeoJsonLayer({ type: 'FeatureCollection', features: [
 *   { type: 'Feature', properties: { name: 'ok' }, geometry: { type: 'Polygon', coordinates: [[[98, 18], [99, 18], [99, 19], [98, 18]]] } },
 *   { type: 'Feature', properties: { name: 'open' }, geometry: { type: 'Polygon', coordinates: [[[98, 18], [99, 18], [99, 19], [98, 19]]] } },
 * ] });
 * features.length; // 1
 * rejected[0]!.code; // 'E_RING'
 * ```
 */
export function readGeoJsonLayer(input: TextInput | object, options: GeoJsonLayerOptions = {}): GeoJsonLayerResult {
  if (options === null || typeof options !== 'object') throw new HazetraceError('E_ARG', `options must be an object, got ${showValue(options)}`, { argument: 'options', value: options });
  const types = options.geometryTypes;
  if (types !== undefined && !(Array.isArray(types) && types.length > 0 && types.every((t) => typeof t === 'string' && GEOMETRY_TYPES.has(t)))) {
    throw new HazetraceError('E_ARG', `geometryTypes must be a non-empty array of GeoJSON geometry types, got ${showValue(types)}`, { argument: 'geometryTypes', value: types });
  }
  const accept = types === undefined ? null : new Set<string>(types);
  // Geometry parsed here from text is ours to hand out; a caller's object is copied so it stays untouched.
  const owned = typeof input === 'string' || input instanceof Uint8Array;
  const doc = parseJsonInput(input, 'GeoJSON');
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new HazetraceError('E_INPUT', `GeoJSON input must be an object, got ${showValue(doc)}`, { argument: 'input' });
  }
  const d = doc as { type?: unknown; features?: unknown; crs?: unknown };
  checkCrs(d.crs);
  let raw: unknown[];
  if (d.type === 'FeatureCollection') {
    if (!Array.isArray(d.features)) throw new HazetraceError('E_INPUT', 'GeoJSON FeatureCollection has no features array', { argument: 'input' });
    raw = d.features;
  } else if (d.type === 'Feature') raw = [d];
  else if (typeof d.type === 'string' && GEOMETRY_TYPES.has(d.type)) raw = [{ type: 'Feature', properties: {}, geometry: d }];
  else throw new HazetraceError('E_INPUT', `GeoJSON type must be FeatureCollection, Feature or a geometry, got ${showValue(d.type)}`, { argument: 'input' });

  const features: Feature<Geometry | null>[] = [];
  const rejected: RejectedRow[] = [];
  raw.forEach((f, idx) => {
    const row = idx + 1;
    const feat = f as { type?: unknown; geometry?: unknown; properties?: unknown; id?: unknown };
    if (feat === null || typeof feat !== 'object' || feat.type !== 'Feature') {
      rejected.push({ row, code: 'E_GEOMETRY', message: `feature ${row}: not a GeoJSON Feature (type ${showValue(feat?.type)})` });
      return;
    }
    if (feat.geometry === null || feat.geometry === undefined) {
      if (!options.allowNullGeometry) {
        rejected.push({ row, column: 'geometry', code: 'E_GEOMETRY', message: `feature ${row}: geometry is null (pass allowNullGeometry to keep it)` });
        return;
      }
    } else {
      const e = checkGeometry(feat.geometry);
      if (e) {
        rejected.push({ row, column: 'geometry', code: e[0], message: `feature ${row}: ${e[1]}` });
        return;
      }
      const t = (feat.geometry as { type: string }).type;
      if (accept !== null && !accept.has(t)) {
        rejected.push({ row, column: 'geometry', code: 'E_GEOMETRY_TYPE', message: `feature ${row}: geometry ${t} is not one of the types this layer takes (${[...accept].join(', ')})` });
        return;
      }
    }
    let props: Record<string, unknown>;
    let geometry: Geometry | null;
    try {
      props = feat.properties !== null && typeof feat.properties === 'object' && !Array.isArray(feat.properties) ? (safeCopy(feat.properties) as Record<string, unknown>) : (Object.create(null) as Record<string, unknown>);
      geometry = feat.geometry === undefined || feat.geometry === null ? null : ((owned ? feat.geometry : safeCopy(feat.geometry)) as Geometry);
    } catch (err) {
      if (!(err instanceof HazetraceError)) throw err;
      rejected.push({ row, column: 'properties', code: 'E_NESTING', message: `feature ${row}: ${err.message}` });
      return;
    }
    const out: Feature<Geometry | null> = { type: 'Feature', geometry, properties: props };
    if (typeof feat.id === 'string' || typeof feat.id === 'number') out.id = feat.id;
    features.push(out);
  });
  const counts = readCounts(features.length, rejected);
  return { features, rejected, counts, toJSON: () => featureCollection(features) };
}

function checkCrs(crs: unknown): void {
  if (crs === undefined || crs === null) return;
  const name = (crs as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name === 'string' && /CRS84$|EPSG:{1,2}4326$|CRS:84$/i.test(name)) return;
  throw new HazetraceError('E_CRS', `GeoJSON crs ${showValue(name ?? crs)} is not WGS84 lng/lat (CRS84); reproject the file first`, { argument: 'input', value: crs });
}

/**
 * Wrap features in a FeatureCollection.
 *
 * @example
 * ```ts
 * import { featureCollection } from 'hazetrace/io';
 * featureCollection([{ type: 'Feature', geometry: { type: 'Point', coordinates: [99, 18] }, properties: {} }]).features.length; // 1
 * ```
 */
export function featureCollection<G extends Geometry | null>(features: Feature<G>[]): FeatureCollection<G> {
  if (!Array.isArray(features)) throw new HazetraceError('E_ARG', `features must be an array, got ${showValue(features)}`, { argument: 'features', value: features });
  return { type: 'FeatureCollection', features };
}
