/**
 * Extra risk-factor layers for `scoreAreas` (docs/risk-factors.md): protected-area / reserve polygons, any
 * user polygon layer (one factor, or one factor per class of a property), user cell columns — each factor with a
 * documented sign. A layer is computed on the cells `scoreAreas` scores; a `'protective'` factor (higher = less
 * burning) goes to `scoreRisk` through `invert` and to the calibration negated, so a weight stays ≥ 0 either way.
 * Land cover (landcover.ts) and fire weather (fireweather.ts) build layers of the same shape.
 */
import { getResolution, isValidCell } from 'h3-js';
import type { Feature, Geometry, MultiPolygon, Polygon } from 'geojson';
import { HazetraceError, argError } from '../core/errors.js';
import type { CellGrid, RejectedRow } from '../core/types.js';
import { coverPolygon } from '../grid/polygons.js';
import { alignColumn, cellIndex } from './factors.js';

/**
 * Direction of a factor: `'risk'` — a higher value means more burning expected (it enters the score as is);
 * `'protective'` — a higher value means less (it enters the score inverted: `scoreRisk`'s `invert`).
 */
export type FactorSign = 'risk' | 'protective';

/** What a layer gives for a cell set: factor columns aligned to the cells (NaN = unknown), their signs, notes. */
export interface FactorLayerResult {
  factors: Record<string, Float64Array>;
  /** Sign per factor; a factor not listed is `'risk'`. */
  signs?: Record<string, FactorSign>;
  /** What was done (counts, classes), for the record. */
  notes: string[];
}

/** A factor layer: computed on whatever cells are being scored. */
export interface RiskFactorLayer {
  /** Factor names, when known before computing (land cover knows them only after reading the classes present). */
  names?: string[];
  /** Signs by factor name, when known before computing. */
  signs?: Record<string, FactorSign>;
  /** Input rows/features the layer could not use. */
  rejected?: RejectedRow[];
  /** Columns aligned to `cells` (one H3 resolution). */
  compute(cells: readonly string[]): FactorLayerResult;
}

function checkSign(sign: unknown, argument: string): FactorSign {
  if (sign !== 'risk' && sign !== 'protective') throw argError(argument, sign, "'risk' or 'protective'");
  return sign;
}

function checkName(name: unknown, argument: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw argError(argument, name, 'a factor name of letters, digits and _ starting with a letter');
  return name;
}

function checkCells(cells: readonly string[]): number {
  if (!Array.isArray(cells) || cells.length === 0 || typeof cells[0] !== 'string' || !isValidCell(cells[0])) {
    throw argError('cells', cells, 'a non-empty array of H3 cell ids');
  }
  return getResolution(cells[0]);
}

/** Make `s` a factor-name fragment: lower case, runs of other characters → `_`. */
export function slug(s: string): string {
  return s.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'x';
}

/** Options of {@link polygonLayer}. */
export interface PolygonLayerOptions {
  /** Factor name (with `classProperty`: the prefix, `<name>_<class>`). */
  name: string;
  /** Sign of the factor(s). Default `'risk'`. */
  sign?: FactorSign;
  /** Property whose values split the features into classes, one factor per class. Default: one factor for all features. */
  classProperty?: string;
  /** Classes to keep (values of `classProperty` as strings). Default: every class found. */
  classes?: readonly string[];
  /** Sign per class (overrides `sign`), e.g. `{ hand: 'risk', machine: 'protective' }`. */
  classSigns?: Readonly<Record<string, FactorSign>>;
}

/**
 * A polygon layer as factor(s): the fraction (0–1) of each cell covered by the features, from grid's
 * `coverPolygon(…, { mode: 'fraction' })` (exact spherical area of the polygon clipped by the hexagon). Features of
 * one factor that overlap inside a cell are summed and capped at 1, so there the fraction is an upper bound (the
 * notes count such cells; dissolve the layer first if that matters). Non-polygon features are rejected
 * (`E_GEOMETRY`, 1-based feature index). With `classProperty`, one factor per class, named `<name>_<class>`.
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { polygonLayer } from 'hazetrace/risk';
 * const cane = { type: 'FeatureCollection' as const, features: [
 *   { type: 'Feature' as const, properties: { harvest: 'hand' },
 *     geometry: { type: 'Polygon' as const, coordinates: [[[98, 18], [100, 18], [100, 20], [98, 20], [98, 18]]] } }] };
 * const layer = polygonLayer(cane, { name: 'cane', classProperty: 'harvest', classSigns: { hand: 'risk', machine: 'protective' } });
 * layer.compute([latLngToCell(18.8, 99, 6)]).factors.cane_hand[0]; // 1 (the cell lies inside)
 * ```
 */
export function polygonLayer(layer: { readonly features: readonly unknown[] }, options: PolygonLayerOptions): RiskFactorLayer {
  if (layer === null || typeof layer !== 'object' || !Array.isArray(layer.features)) throw argError('layer', layer, 'a GeoJSON FeatureCollection or a readGeoJsonLayer result');
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object with name');
  const name = checkName(options.name, 'options.name');
  const sign = checkSign(options.sign ?? 'risk', 'options.sign');
  for (const [k, s] of Object.entries(options.classSigns ?? {})) checkSign(s, `options.classSigns.${k}`);
  const prop = options.classProperty;
  const rejected: RejectedRow[] = [];
  const groups = new Map<string, Geometry[]>();
  layer.features.forEach((raw, i) => {
    const f = raw as Feature | null;
    const g = f?.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      rejected.push({ row: i + 1, column: 'geometry', code: 'E_GEOMETRY', message: `feature ${i} is ${g?.type ?? 'without geometry'}, not a Polygon/MultiPolygon` });
      return;
    }
    let key = '';
    if (prop !== undefined) {
      const v = f?.properties?.[prop];
      if (v === undefined || v === null || String(v).trim() === '') {
        rejected.push({ row: i + 1, column: prop, code: 'E_INPUT', message: `feature ${i} has no ${prop}` });
        return;
      }
      key = String(v);
      if (options.classes && !options.classes.includes(key)) return;
    }
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(g);
  });
  const keys = prop === undefined ? [''] : options.classes ? options.classes.slice() : [...groups.keys()].sort();
  if (prop === undefined && !groups.has('')) {
    throw new HazetraceError('E_INPUT', `the ${name} layer has no Polygon/MultiPolygon feature (${layer.features.length} feature(s))`, { argument: 'layer' });
  }
  const factorName = (k: string): string => (prop === undefined ? name : `${name}_${slug(k)}`);
  const names = keys.map(factorName);
  if (new Set(names).size !== names.length) throw argError('options.classes', keys, 'classes whose names stay distinct as factor names');
  const signs: Record<string, FactorSign> = {};
  keys.forEach((k, i) => (signs[names[i]!] = options.classSigns?.[k] ?? sign));
  return {
    names,
    signs,
    rejected,
    compute(cells) {
      const res = checkCells(cells);
      const idx = cellIndex(cells);
      const factors: Record<string, Float64Array> = {};
      const notes: string[] = [];
      keys.forEach((k, ki) => {
        const col = new Float64Array(cells.length);
        const touched = new Uint16Array(cells.length);
        for (const g of groups.get(k) ?? []) {
          const cover = coverPolygon(g as Polygon | MultiPolygon, { res, mode: 'fraction' });
          const frac = cover.columns.fraction!;
          for (let i = 0; i < cover.cells.length; i++) {
            const r = idx.get(cover.cells[i]!);
            if (r === undefined || !(frac[i]! > 0)) continue;
            col[r] = col[r]! + frac[i]!;
            touched[r] = touched[r]! + 1;
          }
        }
        let overlap = 0, covered = 0;
        for (let r = 0; r < col.length; r++) {
          if (touched[r]! > 1) overlap++;
          if (col[r]! > 0) covered++;
          if (col[r]! > 1) col[r] = 1;
        }
        factors[names[ki]!] = col;
        notes.push(`${names[ki]} (${signs[names[ki]!]}): ${(groups.get(k) ?? []).length} polygon(s) touch ${covered} of ${cells.length} cells${overlap ? `; ${overlap} cells touched by several polygons (fraction there summed, capped at 1)` : ''}`);
      });
      return { factors, signs, notes };
    },
  };
}

/** Options of {@link protectedAreasLayer}. */
export interface ProtectedAreasOptions {
  /** Factor name, default `'protected_area'`. */
  name?: string;
  /**
   * Sign, default `'risk'`: in the seed region (northern Thailand) most detections fall in national parks and forest
   * reserves, where burning for foraging and hunting is common; where reserves are patrolled and burn less, use
   * `'protective'`. Calibrate (`scoreAreas({ calibrate })`) to let the history decide the weight.
   */
  sign?: FactorSign;
}

/**
 * Protected areas / reserves as a factor: the fraction of each cell inside any of the polygons (see
 * {@link polygonLayer}), named `protected_area`, sign `'risk'` by default.
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { protectedAreasLayer } from 'hazetrace/risk';
 * const park = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, properties: { name: 'Doi Suthep' },
 *   geometry: { type: 'Polygon' as const, coordinates: [[[98.8, 18.7], [99.0, 18.7], [99.0, 18.9], [98.8, 18.9], [98.8, 18.7]]] } }] };
 * const r = protectedAreasLayer(park).compute([latLngToCell(18.8, 98.9, 7), latLngToCell(18.8, 99.5, 7)]);
 * Array.from(r.factors.protected_area); // [1, 0]
 * ```
 */
export function protectedAreasLayer(layer: { readonly features: readonly unknown[] }, options: ProtectedAreasOptions = {}): RiskFactorLayer {
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object { name?, sign? }');
  return polygonLayer(layer, { name: options.name ?? 'protected_area', sign: options.sign ?? 'risk' });
}

/** Options of {@link cellLayer}. */
export interface CellLayerOptions {
  /** Column of the grid to use. */
  column: string;
  /** Factor name, default the column name. */
  name?: string;
  /** Sign, default `'risk'`. */
  sign?: FactorSign;
}

/**
 * A user column on H3 cells (e.g. a hex_id CSV read into a grid, or any `CellGrid`) as a factor. A grid at another
 * resolution is matched through parents (finer grids averaged up, coarser values given to their children); cells the
 * grid does not hold are NaN.
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { cellLayer } from 'hazetrace/risk';
 * const c = latLngToCell(18.8, 99, 6);
 * const grid = { res: 6, cells: [c], columns: { road_km: new Float64Array([12]) } };
 * const r = cellLayer(grid, { column: 'road_km', name: 'road_distance', sign: 'protective' }).compute([c]);
 * r.factors.road_distance[0]; // 12
 * r.signs?.road_distance;     // 'protective'
 * ```
 */
export function cellLayer(grid: CellGrid, options: CellLayerOptions): RiskFactorLayer {
  if (grid === null || typeof grid !== 'object' || !Array.isArray(grid.cells) || typeof grid.columns !== 'object') throw argError('grid', grid, 'a CellGrid { res, cells, columns }');
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object with column');
  if (!grid.columns[options.column]) throw argError('options.column', options.column, `a column of the grid (${Object.keys(grid.columns).join(', ')})`);
  const name = checkName(options.name ?? options.column, 'options.name');
  const sign = checkSign(options.sign ?? 'risk', 'options.sign');
  return {
    names: [name],
    signs: { [name]: sign },
    compute(cells) {
      checkCells(cells);
      const col = alignColumn(grid, options.column, cells);
      let missing = 0;
      for (const v of col) if (v !== v) missing++;
      return { factors: { [name]: col }, signs: { [name]: sign }, notes: [`${name} (${sign}): column ${options.column}, ${missing} of ${cells.length} cells without a value`] };
    },
  };
}

/** What {@link applyFactorLayers} added. */
export interface AppliedLayers {
  /** Names of the factors added, in order. */
  names: string[];
  /** Sign of each added factor. */
  signs: Record<string, FactorSign>;
  /** The protective ones: pass as `scoreRisk`'s `invert`. */
  invert: string[];
  /** The added columns oriented "higher = riskier" (protective ones negated), for `historyPeriods`' `extra`. */
  calibration: Record<string, Float64Array>;
  notes: string[];
  rejected: RejectedRow[];
}

/**
 * Compute `layers` on a factor set's cells and add their columns to `set.factors` (in place); a name that is already
 * a factor throws `E_ARG`. Returns the signs, the `invert` list for `scoreRisk` and the calibration columns.
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { applyFactorLayers, cellLayer } from 'hazetrace/risk';
 * const c = latLngToCell(18.8, 99, 6);
 * const set = { cells: [c], factors: { repeat_burn: new Float64Array([0.5]) } as Record<string, Float64Array> };
 * const a = applyFactorLayers(set, [cellLayer({ res: 6, cells: [c], columns: { water: new Float64Array([0.2]) } }, { column: 'water', sign: 'protective' })]);
 * a.invert; // ['water']
 * a.calibration.water[0]; // -0.2
 * ```
 */
export function applyFactorLayers(set: { cells: readonly string[]; factors: Record<string, Float64Array> }, layers: readonly RiskFactorLayer[]): AppliedLayers {
  if (!Array.isArray(layers)) throw argError('layers', layers, 'an array of factor layers (polygonLayer, landCoverLayer, fireWeatherLayer, ...)');
  const out: AppliedLayers = { names: [], signs: {}, invert: [], calibration: {}, notes: [], rejected: [] };
  layers.forEach((layer, li) => {
    if (layer === null || typeof layer !== 'object' || typeof layer.compute !== 'function') throw argError(`layers[${li}]`, layer, 'a factor layer with compute(cells)');
    const r = layer.compute(set.cells);
    for (const name of Object.keys(r.factors)) {
      const col: Float64Array = r.factors[name]!;
      if (set.factors[name] || out.signs[name]) throw new HazetraceError('E_ARG', `factor "${name}" is produced twice (rename the layer)`, { argument: `layers[${li}]`, value: name });
      if (col.length !== set.cells.length) throw argError(`layers[${li}].${name}`, col.length, `a column of ${set.cells.length} values`);
      const sign = r.signs?.[name] ?? 'risk';
      set.factors[name] = col;
      out.names.push(name);
      out.signs[name] = sign;
      if (sign === 'protective') out.invert.push(name);
      out.calibration[name] = sign === 'protective' ? col.map((v) => -v) : col;
    }
    out.notes.push(...r.notes);
    out.rejected.push(...(layer.rejected ?? []));
  });
  return out;
}

/**
 * The layers as `scoreAreas`' `inputs.extraFactors` hook: called once with the scored cells, it computes every layer
 * and returns their columns, the protective ones (`invert`) and notes (including how many input rows or features a
 * layer rejected). The factors then enter the percentile score, the calibration and the burn-probability model.
 *
 * @example
 * ```ts
 * import { factorLayers, protectedAreasLayer, scoreAreas } from 'hazetrace/risk';
 * const sq = (x: number) => ({ type: 'Polygon' as const, coordinates: [[[x, 18.6], [x + 0.3, 18.6], [x + 0.3, 18.9], [x, 18.9], [x, 18.6]]] });
 * const areas = { type: 'FeatureCollection' as const, features: [0, 1].map((i) => ({ type: 'Feature' as const, properties: { id: `a${i}` }, geometry: sq(98.7 + 0.4 * i) })) };
 * const park = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, properties: {}, geometry: sq(98.7) }] };
 * const t = (y: number) => Date.UTC(y, 2, 15);
 * const hotspots = { length: 3, lng: new Float64Array([98.8, 98.85, 99.2]), lat: new Float64Array([18.7, 18.75, 18.7]),
 *   time: new Float64Array([t(2022), t(2023), t(2024)]), frp: new Float64Array([10, 20, 5]) };
 * const r = scoreAreas({ hotspots, areas, extraFactors: factorLayers([protectedAreasLayer(park)]) }, { res: 7, replicates: 50 });
 * 'protected_area' in r.scores.contributions; // true
 * ```
 */
export function factorLayers(layers: readonly RiskFactorLayer[]): (cells: readonly string[]) => { factors: Record<string, Float64Array>; invert: string[]; notes: string[] } {
  if (!Array.isArray(layers) || layers.length === 0) throw argError('layers', layers, 'a non-empty array of factor layers');
  return (cells) => {
    const set = { cells, factors: {} as Record<string, Float64Array> };
    const a = applyFactorLayers(set, layers);
    const notes = [...a.notes];
    if (a.rejected.length) {
      const first = a.rejected[0]!;
      notes.push(`${a.rejected.length} layer row(s)/feature(s) not used (first: row ${first.row}${first.column ? ` (${first.column})` : ''}: ${first.message})`);
    }
    return { factors: set.factors, invert: a.invert, notes };
  };
}
