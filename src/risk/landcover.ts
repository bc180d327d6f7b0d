/**
 * Land-use / land-cover fractions per H3 cell from any categorical raster (docs/risk-factors.md): ESA WorldCover
 * class codes as the default legend, or a user legend (a national land-use map, cane fields by harvest method…).
 * Grid's `rasterToCells` averages continuous bands; class shares need per-class counts, so this file adds them on
 * the same path: every pixel centre is put in its H3 cell (grid's `CellInterner`, the raster's own proj4-backed
 * `pixelToLngLat`), and a class's fraction is (its pixels) / (valid pixels) in the cell. NoData pixels count for
 * nothing; codes not in the legend count in the denominator only (they are land, just not a listed class).
 */
import { cellToLatLng, getResolution, isValidCell } from 'h3-js';
import { HazetraceError, argError, checkInt, showValue } from '../core/errors.js';
import type { Raster } from '../io/geotiff.js';
import { CellInterner } from '../grid/cellTable.js';
import { fastPathVerified } from '../grid/h3fast.js';
import { slug, type FactorSign, type RiskFactorLayer } from './layers.js';

/** One legend entry: raster code → class name (factor `lc_<name>`) and its sign. */
export interface LandCoverClass {
  /** Pixel value. */
  code: number;
  /** Class name; several codes may share one (their pixels add up). */
  name: string;
  /** `'risk'` (more of it, more burning) or `'protective'`. */
  sign: FactorSign;
}

/**
 * ESA WorldCover (2020/2021, 10 m) legend with signs: burnable vegetation is `'risk'` (tree cover, shrubland,
 * grassland, cropland — crop-residue burning —, herbaceous wetland, mangroves, moss and lichen); cover that does
 * not carry a landscape fire is `'protective'` (built-up, bare / sparse vegetation, snow and ice, permanent water).
 * Calibration decides the weights; the sign only says which way a weight acts.
 *
 * @example
 * ```ts
 * import { WORLDCOVER_LEGEND } from 'hazetrace/risk';
 * WORLDCOVER_LEGEND.find((c) => c.code === 40)?.name; // 'cropland'
 * ```
 */
export const WORLDCOVER_LEGEND: readonly LandCoverClass[] = Object.freeze([
  { code: 10, name: 'forest', sign: 'risk' },
  { code: 20, name: 'shrubland', sign: 'risk' },
  { code: 30, name: 'grassland', sign: 'risk' },
  { code: 40, name: 'cropland', sign: 'risk' },
  { code: 50, name: 'built', sign: 'protective' },
  { code: 60, name: 'bare', sign: 'protective' },
  { code: 70, name: 'snow_ice', sign: 'protective' },
  { code: 80, name: 'water', sign: 'protective' },
  { code: 90, name: 'wetland', sign: 'risk' },
  { code: 95, name: 'mangrove', sign: 'risk' },
  { code: 100, name: 'moss_lichen', sign: 'risk' },
] as LandCoverClass[]);

/**
 * Parse a legend given as text: comma-separated `code=name` or `code=name:sign` (sign `risk` default, or
 * `protective`), e.g. `"1=paddy,2=cane_hand,3=cane_machine:protective,9=urban:protective"`. Throws `E_ARG`
 * naming the bad entry.
 *
 * @example
 * ```ts
 * import { parseLegend } from 'hazetrace/risk';
 * parseLegend('1=paddy,9=urban:protective'); // [{ code: 1, name: 'paddy', sign: 'risk' }, { code: 9, name: 'urban', sign: 'protective' }]
 * ```
 */
export function parseLegend(text: string): LandCoverClass[] {
  if (typeof text !== 'string' || text.trim() === '') throw argError('legend', text, 'text like "10=forest,50=built:protective"');
  return text.split(',').map((part, i) => {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*=\s*([A-Za-z0-9_ -]+?)\s*(?::\s*(risk|protective)\s*)?$/.exec(part);
    if (!m) throw argError(`legend[${i}]`, part, 'code=name or code=name:risk|protective');
    return { code: Number(m[1]), name: slug(m[2]!), sign: (m[3] ?? 'risk') as FactorSign };
  });
}

/** Options of {@link landCoverFractions}. */
export interface LandCoverOptions {
  /** Cells to report on (one resolution). Default: every cell holding a pixel centre, at `res`. */
  cells?: readonly string[];
  /** H3 resolution when `cells` is not given. */
  res?: number;
  /** Legend: entries, or `code=name[:sign]` text ({@link parseLegend}). Default {@link WORLDCOVER_LEGEND}. */
  legend?: readonly LandCoverClass[] | string;
  /** Class names to output. Default: the legend classes present in at least one valid pixel. */
  classes?: readonly string[];
  /** Band index holding the class codes. Default 0. */
  band?: number;
}

/** Result of {@link landCoverFractions}. */
export interface LandCoverFractions {
  res: number;
  cells: string[];
  /** `lc_<class>` → fraction 0–1 of the cell's valid pixels; NaN where the cell has no valid pixel. */
  factors: Record<string, Float64Array>;
  /** Sign of each factor (from the legend). */
  signs: Record<string, FactorSign>;
  /** Classes output, in order (factor = `lc_` + class). */
  classes: string[];
  /** Valid (non-NoData) pixel centres per cell; 0 where the value came from the one pixel under the cell centre. */
  pixels: Float64Array;
  /** Cells with no pixel centre that took the class of the pixel under their centre (raster coarser than the cells). */
  sampled: number;
  /** Valid pixels whose code is not in the legend, by code. */
  unlisted: Record<string, number>;
}

function legendOf(legend: LandCoverOptions['legend']): LandCoverClass[] {
  const list = legend === undefined ? WORLDCOVER_LEGEND.slice() : typeof legend === 'string' ? parseLegend(legend) : legend.slice();
  if (list.length === 0) throw argError('legend', legend, 'at least one class');
  const seen = new Map<number, string>();
  const signOf = new Map<string, FactorSign>();
  list.forEach((c, i) => {
    if (c === null || typeof c !== 'object' || typeof c.code !== 'number' || !Number.isFinite(c.code)) throw argError(`legend[${i}].code`, c?.code, 'a finite pixel value');
    if (typeof c.name !== 'string' || c.name === '') throw argError(`legend[${i}].name`, c.name, 'a class name');
    if (c.sign !== 'risk' && c.sign !== 'protective') throw argError(`legend[${i}].sign`, c.sign, "'risk' or 'protective'");
    if (seen.has(c.code)) throw argError(`legend[${i}].code`, c.code, `a code listed once (already ${seen.get(c.code)})`);
    seen.set(c.code, c.name);
    const prev = signOf.get(c.name);
    if (prev !== undefined && prev !== c.sign) throw argError(`legend[${i}].sign`, c.sign, `the same sign as the other codes of class ${c.name} (${prev})`);
    signOf.set(c.name, c.sign);
  });
  return list.map((c) => ({ code: c.code, name: slug(c.name), sign: c.sign }));
}

/**
 * Fraction of each H3 cell covered by each land-cover class of a categorical raster (`readGeoTiff` result, any CRS):
 * factor `lc_<class>` = pixels of the class / valid pixels whose centre falls in the cell. A cell holding no pixel
 * centre (raster coarser than the cells) takes the class of the pixel under its centre (fraction 1), and a cell
 * outside the raster or on NoData only is NaN. A cell cut by the raster edge reports the shares of its covered part.
 * `E_ARG` for a bad legend / band / classes / cells.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readGeoTiff } from 'hazetrace/io';
 * import { landCoverFractions } from 'hazetrace/risk';
 * const buf = readFileSync('test/fixtures/risk/landcover_worldcover_synthetic.tif');
 * const raster = await readGeoTiff(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
 * const lc = landCoverFractions(raster, { res: 6 });
 * lc.classes; // ['forest', 'cropland', 'built', 'water']
 * ```
 */
export function landCoverFractions(raster: Raster, options: LandCoverOptions = {}): LandCoverFractions {
  if (!raster || typeof raster !== 'object' || !Array.isArray(raster.bands) || typeof raster.pixelToLngLat !== 'function') {
    throw argError('raster', raster, 'a Raster from hazetrace/io readGeoTiff');
  }
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object');
  const band = checkInt('options.band', options.band ?? 0, 0, raster.bands.length - 1);
  let res: number;
  if (options.cells !== undefined) {
    const c = options.cells;
    if (!Array.isArray(c) || c.length === 0 || typeof c[0] !== 'string' || !isValidCell(c[0])) throw argError('options.cells', c, 'a non-empty array of H3 cell ids');
    res = getResolution(c[0]);
  } else {
    res = checkInt('options.res', options.res, 0, 15);
  }
  const legend = legendOf(options.legend);
  const names: string[] = [];
  const nameIdx = new Map<string, number>();
  for (const c of legend) if (!nameIdx.has(c.name)) nameIdx.set(c.name, names.push(c.name) - 1);
  const K = names.length;
  const classOfCode = new Map<number, number>(legend.map((c) => [c.code, nameIdx.get(c.name)!]));
  const signOf = new Map(legend.map((c) => [c.name, c.sign]));

  // One pass over the pixels: interned cell id per pixel centre, counts per (cell, class) and valid pixels per cell.
  const { width: W, height: H } = raster;
  const data = raster.bands[band]!;
  const ids = new CellInterner(res, fastPathVerified());
  let counts = new Float64Array(1024 * (K + 1));
  const unlisted: Record<string, number> = {};
  const present = new Float64Array(K);
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      const v = data[r * W + c]!;
      if (raster.isNoData(v)) continue;
      const [lng, lat] = raster.pixelToLngLat(c, r);
      if (!(Math.abs(lng) <= 180 && Math.abs(lat) <= 90)) continue;
      const g = ids.add(lat, lng);
      if ((g + 1) * (K + 1) > counts.length) {
        const grown = new Float64Array(counts.length * 2);
        grown.set(counts);
        counts = grown;
      }
      const base = g * (K + 1);
      counts[base + K] = counts[base + K]! + 1;
      const k = classOfCode.get(v);
      if (k === undefined) unlisted[String(v)] = (unlisted[String(v)] ?? 0) + 1;
      else {
        counts[base + k] = counts[base + k]! + 1;
        present[k] = present[k]! + 1;
      }
    }
  }
  const found = ids.cells();
  const rowOf = new Map<string, number>();
  found.forEach((cell, g) => rowOf.set(cell, g));

  let classes: string[];
  if (options.classes !== undefined) {
    if (!Array.isArray(options.classes) || options.classes.length === 0) throw argError('options.classes', options.classes, 'a non-empty array of legend class names');
    classes = options.classes.map((n, i) => {
      const s = slug(String(n));
      if (!nameIdx.has(s)) throw argError(`options.classes[${i}]`, n, `a legend class (${names.join(', ')})`);
      return s;
    });
  } else {
    classes = names.filter((_, k) => present[k]! > 0);
  }
  const cells = options.cells ? options.cells.slice() : found.slice().sort();
  const m = cells.length;
  const factors: Record<string, Float64Array> = {};
  const signs: Record<string, FactorSign> = {};
  const cols = classes.map((n) => {
    const col = new Float64Array(m);
    factors[`lc_${n}`] = col;
    signs[`lc_${n}`] = signOf.get(n)!;
    return { col, k: nameIdx.get(n)! };
  });
  const pixels = new Float64Array(m);
  let sampled = 0;
  for (let i = 0; i < m; i++) {
    const g = rowOf.get(cells[i]!);
    const total = g === undefined ? 0 : counts[g * (K + 1) + K]!;
    if (total > 0) {
      pixels[i] = total;
      for (const { col, k } of cols) col[i] = counts[g! * (K + 1) + k]! / total;
      continue;
    }
    // No pixel centre in the cell: the pixel under the cell centre, if valid.
    if (!isValidCell(cells[i]!) || getResolution(cells[i]!) !== res) throw argError(`options.cells[${i}]`, cells[i], `an H3 cell at resolution ${res}`);
    const [lat, lng] = cellToLatLng(cells[i]!);
    const [fc, fr] = raster.lngLatToPixel(lng, lat);
    const pc = Math.floor(fc), pr = Math.floor(fr);
    const v = pc >= 0 && pr >= 0 && pc < W && pr < H ? data[pr * W + pc]! : NaN;
    if (raster.isNoData(v)) {
      for (const { col } of cols) col[i] = NaN;
      continue;
    }
    sampled++;
    const k = classOfCode.get(v);
    for (const c of cols) c.col[i] = c.k === k ? 1 : 0;
  }
  return { res, cells, factors, signs, classes, pixels, sampled, unlisted };
}

/**
 * Land cover as a factor layer for `scoreAreas` (`inputs.layers`): {@link landCoverFractions} on the scored cells,
 * factors `lc_<class>` with the legend's signs. Classes: `options.classes`, else those present in the raster.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readGeoTiff } from 'hazetrace/io';
 * import { landCoverLayer } from 'hazetrace/risk';
 * const buf = readFileSync('test/fixtures/risk/landcover_worldcover_synthetic.tif');
 * const raster = await readGeoTiff(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
 * const layer = landCoverLayer(raster, { classes: ['cropland', 'forest'] });
 * layer.names; // ['lc_cropland', 'lc_forest']
 * ```
 */
export function landCoverLayer(raster: Raster, options: Omit<LandCoverOptions, 'cells' | 'res'> = {}): RiskFactorLayer {
  if (!raster || typeof raster !== 'object' || !Array.isArray(raster.bands)) throw argError('raster', raster, 'a Raster from hazetrace/io readGeoTiff');
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object { legend?, classes?, band? }');
  const legend = legendOf(options.legend);
  const known = new Set(legend.map((c) => c.name));
  const classes = options.classes?.map((n, i) => {
    const s = slug(String(n));
    if (!known.has(s)) throw argError(`options.classes[${i}]`, n, `a legend class (${[...known].join(', ')})`);
    return s;
  });
  const signOf = new Map(legend.map((c) => [c.name, c.sign]));
  const layer: RiskFactorLayer = {
    compute(cells) {
      const lc = landCoverFractions(raster, { ...options, legend, cells, ...(classes ? { classes } : {}) });
      if (lc.classes.length === 0) {
        throw new HazetraceError('E_INPUT', `the land-cover raster has no pixel of a legend class (codes found: ${Object.keys(lc.unlisted).slice(0, 10).join(', ') || 'none'})`, { argument: 'legend', value: showValue(Object.keys(lc.unlisted)) });
      }
      let nan = 0;
      const first = lc.factors[`lc_${lc.classes[0]}`]!;
      for (const v of first) if (v !== v) nan++;
      const unl = Object.entries(lc.unlisted).map(([k, n]) => `${k}×${n}`).join(', ');
      return {
        factors: lc.factors,
        signs: lc.signs,
        notes: [
          `land cover: classes ${lc.classes.map((c) => `lc_${c} (${lc.signs[`lc_${c}`]})`).join(', ')}; ${nan} of ${cells.length} cells outside the raster or NoData (NaN)` +
            (lc.sampled ? `; ${lc.sampled} cells smaller than a pixel took the pixel under their centre` : '') +
            (unl ? `; pixels with codes not in the legend: ${unl}` : ''),
        ],
      };
    },
  };
  if (classes) {
    layer.names = classes.map((c) => `lc_${c}`);
    layer.signs = Object.fromEntries(classes.map((c) => [`lc_${c}`, signOf.get(c)!]));
  }
  return layer;
}
