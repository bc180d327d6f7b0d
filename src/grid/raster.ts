/**
 * Rasters → H3 cells: sample at cell centres (nearest pixel or bilinear between
 * the four surrounding pixel centres) or average the pixels whose centres fall
 * in each cell. The raster comes from hazetrace/io `readGeoTiff`; any CRS works
 * because the Raster's own proj4-backed `lngLatToPixel` / `pixelToLngLat` do
 * the projection. A sample outside the raster or touching NoData is NaN and
 * counted, never invented.
 */
import { cellToLatLng } from 'h3-js';
import { argError, checkInt } from '../core/errors.js';
import type { CellGrid } from '../core/types.js';
import type { Raster } from '../io/index.js';
import { CellInterner } from './cellTable.js';
import { fastPathVerified } from './h3fast.js';
import { coverPolygon } from './polygons.js';

export interface RasterToCellsOptions {
  /** H3 resolution 0–15. */
  res: number;
  /** `'nearest'` (default) or `'bilinear'` at cell centres, or `'mean'` of the pixels whose centres fall in each cell. */
  method?: 'nearest' | 'bilinear' | 'mean';
  /** Cells to sample (nearest/bilinear). Default: cells whose centre lies inside the raster footprint. */
  cells?: readonly string[];
  /** Bands to use (indices into `raster.bands`); default all. */
  bands?: readonly number[];
}

/** Result of {@link rasterToCells}: one column per band (its description, or `band1`, `band2`, …), plus `n_pixels` for `mean`. */
export interface RasterGrid extends CellGrid {
  /** Samples per band that were NaN because they fell outside the raster or on NoData. */
  missing: number[];
  toJSON(): { res: number; cells: string[]; columns: Record<string, (number | null)[]>; missing: number[] };
}

function bandNames(raster: Raster, bands: readonly number[]): string[] {
  const seen = new Set<string>();
  return bands.map((b) => {
    let name = raster.bandDescriptions?.[b] || `band${b + 1}`;
    if (seen.has(name)) name = `${name}_${b + 1}`;
    seen.add(name);
    return name;
  });
}

/** WGS84 outline of the raster window (edges densified, as the CRS may curve them). */
function footprint(raster: Raster): number[][] {
  const { width: w, height: h } = raster;
  const ring: number[][] = [];
  const steps = 32;
  const edge = (c0: number, r0: number, c1: number, r1: number): void => {
    for (let s = 0; s < steps; s++) {
      const t = s / steps;
      // pixelToLngLat gives pixel centres; shift by −0.5 to trace pixel corners
      ring.push(raster.pixelToLngLat(c0 + (c1 - c0) * t - 0.5, r0 + (r1 - r0) * t - 0.5));
    }
  };
  edge(0, 0, w, 0);
  edge(w, 0, w, h);
  edge(w, h, 0, h);
  edge(0, h, 0, 0);
  ring.push(ring[0]!);
  return ring;
}

/**
 * Put raster values onto H3 cells.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readGeoTiff } from 'hazetrace/io';
 * import { rasterToCells } from 'hazetrace/grid';
 * const buf = readFileSync('test/fixtures/grid/linear_32647.tif'); // a GDAL-made UTM 47N GeoTIFF
 * const raster = await readGeoTiff(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
 * const g = rasterToCells(raster, { res: 7, method: 'bilinear' });
 * g.columns.band1;                                                // value at each cell centre
 * ```
 */
export function rasterToCells(raster: Raster, options: RasterToCellsOptions): RasterGrid {
  if (!raster || typeof raster !== 'object' || !Array.isArray(raster.bands) || typeof raster.lngLatToPixel !== 'function') {
    throw argError('raster', raster, 'a Raster from hazetrace/io readGeoTiff');
  }
  if (typeof options !== 'object' || options === null) throw argError('options', options, 'an object with res');
  const res = checkInt('options.res', options.res, 0, 15);
  const method = options.method ?? 'nearest';
  if (method !== 'nearest' && method !== 'bilinear' && method !== 'mean') throw argError('options.method', method, "'nearest', 'bilinear' or 'mean'");
  const bands = options.bands ?? raster.bands.map((_, i) => i);
  bands.forEach((b, i) => checkInt(`options.bands[${i}]`, b, 0, raster.bands.length - 1));
  const names = bandNames(raster, bands);
  const { width: W, height: H } = raster;
  const missing = bands.map(() => 0);
  const columns: Record<string, Float64Array> = {};
  let cells: string[];

  if (method === 'mean') {
    if (options.cells) throw argError('options.cells', options.cells, "undefined with method 'mean' (cells come from the pixels)");
    const ids = new CellInterner(res, fastPathVerified());
    const group = new Int32Array(W * H);
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < W; c++) {
        const [lng, lat] = raster.pixelToLngLat(c, r);
        group[r * W + c] = Math.abs(lng) <= 180 && Math.abs(lat) <= 90 ? ids.add(lat, lng) : -1;
      }
    }
    const strings = ids.cells();
    const G = strings.length;
    const order = Array.from({ length: G }, (_, i) => i).sort((a, b) => (strings[a]! < strings[b]! ? -1 : 1));
    const rank = new Int32Array(G);
    order.forEach((g, i) => (rank[g] = i));
    cells = order.map((g) => strings[g]!);
    const nPix = new Float64Array(G);
    for (let p = 0; p < W * H; p++) if (group[p]! >= 0) nPix[rank[group[p]!]!]!++;
    bands.forEach((b, bi) => {
      const data = raster.bands[b]!;
      const sum = new Float64Array(G), n = new Float64Array(G);
      for (let p = 0; p < W * H; p++) {
        const g = group[p]!;
        if (g < 0) continue;
        const v = data[p]!;
        if (raster.isNoData(v)) continue;
        sum[rank[g]!]! += v;
        n[rank[g]!]!++;
      }
      const out = new Float64Array(G);
      for (let g = 0; g < G; g++) {
        out[g] = n[g]! > 0 ? sum[g]! / n[g]! : NaN;
        if (n[g] === 0) missing[bi]!++;
      }
      columns[names[bi]!] = out;
    });
    columns.n_pixels = nPix;
  } else {
    cells = options.cells ? options.cells.slice() : coverPolygon({ type: 'Polygon', coordinates: [footprint(raster)] }, { res }).cells;
    const M = cells.length;
    const cols = bands.map(() => new Float64Array(M));
    const valueAt = (band: Float64Array, c: number, r: number): number => {
      if (c < 0 || r < 0 || c >= W || r >= H) return NaN;
      const v = band[r * W + c]!;
      return raster.isNoData(v) ? NaN : v;
    };
    cells.forEach((cell, i) => {
      const [lat, lng] = cellToLatLng(cell);
      const [fc, fr] = raster.lngLatToPixel(lng, lat);
      bands.forEach((b, bi) => {
        const band = raster.bands[b]!;
        let v: number;
        if (method === 'nearest') {
          v = valueAt(band, Math.floor(fc), Math.floor(fr));
        } else {
          // pixel centres sit at (c + 0.5, r + 0.5)
          const u = fc - 0.5, w = fr - 0.5;
          const c0 = Math.floor(u), r0 = Math.floor(w);
          const tx = u - c0, ty = w - r0;
          const v00 = valueAt(band, c0, r0), v10 = valueAt(band, c0 + 1, r0), v01 = valueAt(band, c0, r0 + 1), v11 = valueAt(band, c0 + 1, r0 + 1);
          v = (1 - ty) * ((1 - tx) * v00 + tx * v10) + ty * ((1 - tx) * v01 + tx * v11);
        }
        if (Number.isNaN(v)) missing[bi]!++;
        cols[bi]![i] = v;
      });
    });
    bands.forEach((_, bi) => (columns[names[bi]!] = cols[bi]!));
  }
  const grid: RasterGrid = {
    res,
    cells,
    columns,
    missing,
    toJSON() {
      const c: Record<string, (number | null)[]> = {};
      for (const [k, v] of Object.entries(columns)) c[k] = Array.from(v, (x) => (Number.isFinite(x) ? x : null));
      return { res, cells, columns: c, missing };
    },
  };
  Object.defineProperty(grid, 'toJSON', { enumerable: false });
  return grid;
}
