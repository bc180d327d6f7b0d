/**
 * Wind from GeoTIFF rasters read by `readGeoTiff` (hazetrace/io): u and v as two files or as bands of
 * one, one band per time (the band description an ISO time, as the CLI's `U.tif,V.tif` contract
 * says, or explicit `times`). Lat/lng rasters are used on their own pixel-centre grid; any other CRS
 * is resampled (bilinear, through the raster's proj4 transform) onto a regular lat/lng grid.
 * NoData stays NoData.
 */
import { HazetraceError, argError, checkPositive, showValue } from '../core/errors.js';
import { parseIsoUtc } from '../core/time.js';
import type { Raster } from '../io/index.js';
import { GriddedWindField, METRES_PER_DEGREE_GRID } from './fields.js';
import { checkOptions } from '../core/check.js';

/** Options of {@link windFromGeoTiff}. */
export interface GeoTiffWindOptions {
  /** Frame times, UTC ms, one per selected band. Default: the u bands' descriptions parsed as ISO 8601. */
  times?: ArrayLike<number>;
  /** 0-based indices of the u bands among all bands of `u` (rasters in order). Default: all. */
  uBands?: readonly number[];
  /** 0-based indices of the v bands among all bands of `v`. Default: all. */
  vBands?: readonly number[];
  /**
   * Output grid step, degrees, for rasters not in lat/lng. Default: the raster's smaller pixel size
   * in metres / 111,320 (about the same detail). u and v are taken as east/north components
   * (earth-relative), not rotated with the projection's grid.
   */
  resolutionDeg?: number;
}

interface BandRef {
  raster: Raster;
  band: Float64Array;
  description: string | null;
}

function bandsOf(name: string, input: Raster | readonly Raster[], pick: readonly number[] | undefined): BandRef[] {
  const rasters = Array.isArray(input) ? (input as readonly Raster[]) : [input as Raster];
  if (rasters.length === 0) throw argError(name, input, 'a Raster or a non-empty array of Rasters');
  const all: BandRef[] = [];
  for (const r of rasters) {
    if (r === null || typeof r !== 'object' || !Array.isArray(r.bands)) throw argError(name, r, 'a Raster from readGeoTiff');
    r.bands.forEach((band, i) => all.push({ raster: r, band, description: r.bandDescriptions[i] ?? null }));
  }
  if (pick === undefined) return all;
  return pick.map((i, k) => {
    const b = all[i];
    if (!Number.isInteger(i) || b === undefined) throw argError(`${name}Bands[${k}]`, i, `a band index in 0..${all.length - 1}`);
    return b;
  });
}

function sameGrid(a: Raster, b: Raster): boolean {
  return a.width === b.width && a.height === b.height && a.geoTransform.every((x, i) => Math.abs(x - b.geoTransform[i]!) < 1e-9 * Math.max(1, Math.abs(x))) && a.crs.proj4 === b.crs.proj4;
}

/**
 * Build a {@link GriddedWindField} from GeoTIFF rasters (see the module note).
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { readGeoTiff } from 'hazetrace/io';
 * import { windFromGeoTiff } from 'hazetrace/wind';
 * const u = await readGeoTiff(await readFile('test/fixtures/wind/wind_u_4326.tif')); // one band per hour, description = ISO time
 * const v = await readGeoTiff(await readFile('test/fixtures/wind/wind_v_4326.tif'));
 * const field = windFromGeoTiff(u, v);
 * field.timeRange; // [Date.UTC(2025, 3, 22, 0), Date.UTC(2025, 3, 22, 2)]
 * // one file with bands u0 v0 u1 v1:
 * const r = await readGeoTiff(await readFile('test/fixtures/wind/wind_uv_32647.tif'));
 * const utm = windFromGeoTiff(r, r, { uBands: [0, 2], vBands: [1, 3] }); // resampled from UTM 47N to lat/lng
 * ```
 */
export function windFromGeoTiff(u: Raster | readonly Raster[], v: Raster | readonly Raster[], options: GeoTiffWindOptions = {}): GriddedWindField {
  checkOptions('options', options);
  const ub = bandsOf('u', u, options.uBands);
  const vb = bandsOf('v', v, options.vBands);
  if (ub.length !== vb.length) throw new HazetraceError('E_ARG', `u has ${ub.length} band(s) but v has ${vb.length}: one u and one v band per time`, { argument: 'v' });
  const ref = ub[0]!.raster;
  for (const b of [...ub, ...vb]) {
    if (!sameGrid(ref, b.raster)) throw new HazetraceError('E_ARG', 'all u and v rasters must share one grid (size, geotransform, CRS)', { argument: 'u/v' });
  }
  let times: Float64Array;
  if (options.times !== undefined) {
    times = Float64Array.from(options.times);
    if (times.length !== ub.length) throw argError('times', times.length, `one time per band (${ub.length})`);
  } else {
    times = Float64Array.from(ub, (b, i) => {
      const t = b.description === null ? NaN : parseIsoUtc(b.description);
      if (!Number.isFinite(t)) {
        throw new HazetraceError('E_ARG', `u band ${i} description ${showValue(b.description)} is not an ISO time; set band descriptions or pass options.times`, {
          argument: 'times',
        });
      }
      const vd = vb[i]!.description;
      const tv = vd === null ? NaN : parseIsoUtc(vd);
      if (Number.isFinite(tv) && tv !== t) {
        throw new HazetraceError('E_ARG', `u band ${i} is ${b.description} but v band ${i} is ${vd}: u and v bands must pair up in time`, { argument: 'v' });
      }
      return t;
    });
  }
  const [x0, dx, rx, y0, ry, dy] = ref.geoTransform;
  const w = ref.width;
  const h = ref.height;
  const longlat = /\+proj=longlat\b/.test(ref.crs.proj4) && rx === 0 && ry === 0;
  const nt = ub.length;
  let west: number, south: number, dLng: number, dLat: number, nx: number, ny: number;
  let U: Float32Array, V: Float32Array;
  const val = (b: BandRef, col: number, row: number): number => {
    const x = b.band[row * w + col]!;
    return b.raster.isNoData(x) ? NaN : x;
  };
  if (longlat) {
    // The raster's own pixel centres are the grid: copy, flipping north-up rows to south-first.
    nx = w;
    ny = h;
    dLng = Math.abs(dx);
    dLat = Math.abs(dy);
    if (dx < 0) throw new HazetraceError('E_ARG', 'lat/lng raster must run west→east (positive pixel width)', { argument: 'u' });
    west = x0 + dx / 2;
    south = dy < 0 ? y0 + dy * (h - 0.5) : y0 + dy / 2;
    U = new Float32Array(nt * nx * ny);
    V = new Float32Array(nt * nx * ny);
    for (let t = 0; t < nt; t++) {
      for (let r = 0; r < ny; r++) {
        const src = dy < 0 ? ny - 1 - r : r;
        for (let c = 0; c < nx; c++) {
          U[(t * ny + r) * nx + c] = val(ub[t]!, c, src);
          V[(t * ny + r) * nx + c] = val(vb[t]!, c, src);
        }
      }
    }
  } else {
    // Resample onto lat/lng: bounding box of the pixel centres along the raster's edges.
    let lo = Infinity, hi = -Infinity, la0 = Infinity, la1 = -Infinity;
    const edge = (c: number, r: number): void => {
      const [lng, lat] = ref.pixelToLngLat(c, r);
      lo = Math.min(lo, lng);
      hi = Math.max(hi, lng);
      la0 = Math.min(la0, lat);
      la1 = Math.max(la1, lat);
    };
    for (let c = 0; c < w; c++) {
      edge(c, 0);
      edge(c, h - 1);
    }
    for (let r = 0; r < h; r++) {
      edge(0, r);
      edge(w - 1, r);
    }
    const step = options.resolutionDeg !== undefined ? checkPositive('resolutionDeg', options.resolutionDeg) : Math.min(Math.hypot(dx, ry), Math.hypot(rx, dy)) / METRES_PER_DEGREE_GRID;
    west = lo;
    south = la0;
    dLng = dLat = step;
    nx = Math.max(2, Math.floor((hi - lo) / step + 1e-9) + 1);
    ny = Math.max(2, Math.floor((la1 - la0) / step + 1e-9) + 1);
    U = new Float32Array(nt * nx * ny).fill(NaN);
    V = new Float32Array(nt * nx * ny).fill(NaN);
    for (let r = 0; r < ny; r++) {
      for (let c = 0; c < nx; c++) {
        const [pc, pr] = ref.lngLatToPixel(west + c * step, south + r * step);
        // lngLatToPixel gives pixel-corner coordinates; centres sit at +0.5
        const x = pc - 0.5;
        const y = pr - 0.5;
        if (!(x >= 0 && x <= w - 1 && y >= 0 && y <= h - 1)) continue;
        const c0 = Math.min(Math.floor(x), w - 2);
        const r0 = Math.min(Math.floor(y), h - 2);
        const fx = x - c0;
        const fy = y - r0;
        for (let t = 0; t < nt; t++) {
          const bil = (b: BandRef): number =>
            (1 - fx) * (1 - fy) * val(b, c0, r0) + fx * (1 - fy) * val(b, c0 + 1, r0) + (1 - fx) * fy * val(b, c0, r0 + 1) + fx * fy * val(b, c0 + 1, r0 + 1);
          U[(t * ny + r) * nx + c] = bil(ub[t]!);
          V[(t * ny + r) * nx + c] = bil(vb[t]!);
        }
      }
    }
  }
  return new GriddedWindField({ west, south, dLng, dLat, nx, ny, times, u: U, v: V });
}
