/**
 * One entry point for every wind input hazetrace reads: the content is sniffed (not the file name), so a
 * browser upload, a fetch() body or a file's bytes all go through the same path.
 *
 * - NetCDF 3 (`CDF\x01`, `CDF\x02`) and NetCDF 4 / HDF5 (`\x89HDF`) → {@link windFromNetcdf}, or
 *   {@link readNetcdf3d} + `pressureLevelWind` when the file holds wind on pressure levels (ERA5 / GFS `u`, `v` with
 *   a level axis and no `u10`) or `netcdf3d` options are given;
 * - GRIB2 (`GRIB` … edition 2; GFS, ERA5) → {@link readGrib2Wind}: 3-D on isobaric levels, one level, or 10-m wind;
 * - a pair of GeoTIFFs `{ u, v }` (`II*\0` / `MM\0*`, BigTIFF too) → `readGeoTiff` + {@link windFromGeoTiff};
 * - point-wind CSV text (`site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from`, or `u`,`v` columns)
 *   → {@link readWindCsv} + {@link stationWind}.
 *
 * Browser-safe: no Node builtins (hazetrace/node's `openWindFile` reads paths and calls this).
 */
import { HazetraceError, argError, checkPositive, showValue } from '../core/errors.js';
import { toIsoUtc } from '../core/time.js';
import type { RejectedRow } from '../core/types.js';
import { decodeText, readGeoTiff, type GeoTiffOptions } from '../io/index.js';
import type { PressureLevelWindField } from './field3d.js';
import { pressureLevelWind } from './field3d.js';
import type { GriddedWindField } from './fields.js';
import { windFromGeoTiff, type GeoTiffWindOptions } from './geotiff.js';
import { readGrib2Wind, type Grib2WindOptions } from './grib2.js';
import { readNetcdfWind, type NetcdfWindOptions } from './netcdf.js';
import { probeNetcdf3d, readNetcdf3d, type Netcdf3dOptions } from './netcdf3d.js';
import { readWindCsv, stationWind, type StationWindField, type StationWindOptions } from './station.js';

/**
 * The formats {@link openWind} recognises, as listed in its "unknown content" error (`E_INPUT`).
 *
 * @example
 * ```ts
 * import { WIND_INPUT_FORMATS } from 'hazetrace/wind';
 * WIND_INPUT_FORMATS.startsWith('NetCDF 3'); // true
 * ```
 */
export const WIND_INPUT_FORMATS =
  'NetCDF 3 or NetCDF 4/HDF5 with u10/v10 or u/v on pressure levels (ERA5/GFS style), GRIB2 (GFS/ERA5: u/v on isobaric levels or 10u/10v), a GeoTIFF pair { u, v } (one band per hour, band description = ISO time), ' +
  'or point-wind CSV text (site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from)';

/** What {@link openWind} found: `netcdf3`, `netcdf4` (HDF5), `grib2`, `geotiff` or `point-csv`. */
export type WindInputKind = 'netcdf3' | 'netcdf4' | 'grib2' | 'geotiff' | 'point-csv';

/** Bytes of one file. */
export type WindBytes = Uint8Array | ArrayBuffer;

/** Input of {@link openWind}: the bytes of a NetCDF (or one multi-band GeoTIFF), a GeoTIFF pair, or CSV text. */
export type WindInput = WindBytes | { u: WindBytes; v: WindBytes } | string;

/** Options of {@link openWind}; each group is handed to the reader of that format. */
export interface OpenWindOptions {
  /** NetCDF variables and level (default `u10`/`v10`, no level). Giving `uVar` or `level` keeps a pressure-level file 2-D. */
  netcdf?: NetcdfWindOptions;
  /**
   * Pressure-level (3-D) NetCDF: variable names, single-level `surface` files, extras ({@link readNetcdf3d}). Giving
   * it opens the NetCDF as 3-D (an error when it has no levels); `false` never opens 3-D. Default: 3-D exactly when
   * the file has `u`/`v` (or GFS names) on ≥ 2 pressure levels, no `u10`, and `netcdf.uVar`/`netcdf.level` are not set.
   */
  netcdf3d?: Netcdf3dOptions | false;
  /** GRIB2 (GFS, ERA5): one level for 2-D, levels and extras for 3-D ({@link readGrib2Wind}). Default: 3-D when u, v are on ≥ 2 isobaric levels. */
  grib2?: Grib2WindOptions;
  /**
   * GeoTIFF band selection and times (default: every band, times from the band descriptions). Giving `uBands`
   * and `vBands` also lets a single GeoTIFF that holds both components be opened from its bytes alone.
   */
  geotiff?: GeoTiffWindOptions;
  /** How the GeoTIFF bytes are read: window, `maxPixels`, `signal`, `proj4` (default: whole image). */
  raster?: Omit<GeoTiffOptions, 'bands'>;
  /** Point-wind interpolation: units, IDW power, gap bridging, reach (defaults of `stationWind`). */
  station?: StationWindOptions;
  /** A grid at least this coarse (degrees, the larger step) is marked `coarse`. Default 1. */
  coarseDeg?: number;
  /** Name of the source shown in `describe` (e.g. a file name). Default: none. */
  label?: string;
}

/** What {@link openWind} returns. */
export interface OpenedWind {
  /**
   * The field: a `GriddedWindField` (NetCDF, GeoTIFF), a `StationWindField` (point CSV), or a 3-D
   * `PressureLevelWindField` (pressure-level NetCDF; its 2-D `sample` is the wind 500 m above ground).
   */
  field: GriddedWindField | StationWindField | PressureLevelWindField;
  kind: WindInputKind;
  /** One human line: what was read and how it is interpolated. */
  describe: string;
  /**
   * What was not used, never dropped silently: CSV rows (1-based data row: the reader's rejections and the field's
   * duplicates and moved sites), or NetCDF frames a model calendar cannot place (1-based frame number).
   */
  rejected: RejectedRow[];
  /** CSV rows accepted, or time frames of a grid. */
  accepted: number;
  /** Distinct sites of point wind. */
  sites?: number;
  /** Pressure-level NetCDF only: the file variable read for each role (`u`, `omega`, `height`, `mixingHeight`, extras…). */
  variables?: Record<string, string>;
  /** Pressure-level NetCDF only: requested extra fields found in no file. */
  missing?: string[];
  /**
   * The field cannot tell nearby start points apart: point wind from ≤ 2 sites, or a grid whose step is at least
   * `coarseDeg`. Offset ensembles are then degenerate; use a random-walk (wind-error) ensemble instead.
   */
  coarse: boolean;
}

type Magic = 'netcdf3' | 'netcdf4' | 'geotiff' | 'cdf5' | 'gzip' | 'zip' | 'grib' | 'unknown';

function asBytes(name: string, x: unknown): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  throw argError(name, x, 'a Uint8Array or ArrayBuffer of a file');
}

function magicOf(b: Uint8Array): Magic {
  const at = (i: number, ...xs: number[]): boolean => xs.every((x, k) => b[i + k] === x);
  if (at(0, 0x43, 0x44, 0x46, 0x01) || at(0, 0x43, 0x44, 0x46, 0x02)) return 'netcdf3';
  if (at(0, 0x43, 0x44, 0x46, 0x05)) return 'cdf5';
  if (at(0, 0x89, 0x48, 0x44, 0x46)) return 'netcdf4';
  // little- or big-endian TIFF (42) and BigTIFF (43)
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a) || at(0, 0x49, 0x49, 0x2b, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2b)) return 'geotiff';
  if (at(0, 0x1f, 0x8b)) return 'gzip';
  if (at(0, 0x50, 0x4b, 0x03, 0x04)) return 'zip';
  if (at(0, 0x47, 0x52, 0x49, 0x42)) return 'grib';
  return 'unknown';
}

function unknown(what: string, extra?: string): HazetraceError {
  return new HazetraceError('E_INPUT', `${what}${extra ? `; ${extra}` : ''}. Supported wind inputs: ${WIND_INPUT_FORMATS}`, { formats: WIND_INPUT_FORMATS });
}

function gridLine(name: string, f: GriddedWindField, label: string | undefined): string {
  const n = f.times.length;
  const range = n === 0 ? 'no frames' : `${n} frame(s) ${toIsoUtc(f.times[0]!)}..${toIsoUtc(f.times[n - 1]!)}`;
  const step = f.dLng === f.dLat ? `${+f.dLng.toFixed(6)}°` : `${+f.dLng.toFixed(6)}° × ${+f.dLat.toFixed(6)}°`;
  return `${name} wind${label ? ` ${label}` : ''}: ${f.nx} × ${f.ny} grid at ${step}, ${range}`;
}

function isCoarseGrid(f: GriddedWindField, coarseDeg: number): boolean {
  return Math.max(f.dLng, f.dLat) >= coarseDeg;
}

/** Whether a NetCDF is opened as 3-D: see `OpenWindOptions.netcdf3d`. */
async function wants3d(bytes: Uint8Array, o: OpenWindOptions): Promise<boolean> {
  if (o.netcdf3d === false) return false;
  if (o.netcdf3d !== undefined) {
    if (o.netcdf3d === null || typeof o.netcdf3d !== 'object') throw argError('netcdf3d', o.netcdf3d, 'an object of pressure-level options, or false');
    return true;
  }
  if (o.netcdf?.uVar !== undefined || o.netcdf?.level !== undefined) return false;
  const p = await probeNetcdf3d(bytes);
  return p.levels && !p.names.includes('u10');
}

async function openGrid3d(kind: 'netcdf3' | 'netcdf4', bytes: Uint8Array, o: OpenWindOptions, coarseDeg: number): Promise<OpenedWind> {
  const r = await readNetcdf3d(bytes, o.netcdf3d || {});
  let field: PressureLevelWindField;
  try {
    field = pressureLevelWind(r.arrays);
  } catch (e) {
    // the options were checked by the reader, so what the field refuses came from the file
    if (e instanceof HazetraceError && e.code === 'E_ARG') throw new HazetraceError('E_FORMAT', `the file's pressure-level grid is not usable: ${e.message}`, { ...(e.details ?? {}), section: 'coordinates' });
    throw e;
  }
  const coarse = Math.max(field.dLng, field.dLat) >= coarseDeg;
  const lv = field.levels;
  const n = field.times.length;
  const range = `${n} frame(s) ${toIsoUtc(field.times[0]!)}..${toIsoUtc(field.times[n - 1]!)}`;
  const step = field.dLng === field.dLat ? `${+field.dLng.toFixed(6)}°` : `${+field.dLng.toFixed(6)}° × ${+field.dLat.toFixed(6)}°`;
  const has = (k: string): boolean => r.variables[k] !== undefined;
  const parts = [
    has('omega') ? `omega ${r.variables['omega']}` : 'no vertical velocity',
    has('height') ? `heights from ${r.variables['height']}` : 'standard-atmosphere heights',
    ['elevation', 'pressure', 'mixingHeight', 'precipitation'].filter(has).map((k) => r.variables[k]).join('/') || 'no surface fields',
    ...Object.keys(r.arrays.extra ?? {}).map((k) => `extra ${k}`),
  ];
  const notes = [
    r.calendar === 'standard' || r.calendar === 'proleptic_gregorian' ? '' : `${r.calendar} calendar`,
    r.rejected.length > 0 ? `${r.rejected.length} frame/value note(s)` : '',
    coarse ? 'a coarse grid' : '',
  ].filter((x) => x !== '');
  const describe =
    `${kind === 'netcdf3' ? 'NetCDF3' : 'NetCDF4'} pressure-level wind${o.label ? ` ${o.label}` : ''}: ${field.nx} × ${field.ny} grid at ${step}, ` +
    `${lv.length} levels ${+(lv[0]! / 100).toFixed(2)}..${+(lv[lv.length - 1]! / 100).toFixed(2)} hPa, ${range}; ${parts.join(', ')}` +
    (notes.length > 0 ? ` (${notes.join('; ')})` : '');
  return { field, kind, describe, rejected: r.rejected, accepted: n, coarse, variables: r.variables, missing: r.missing };
}

async function openGrib(bytes: Uint8Array, o: OpenWindOptions, coarseDeg: number): Promise<OpenedWind> {
  if (bytes[7] !== 2) throw unknown(`this is a GRIB file of edition ${bytes[7] === 1 ? '1' : `byte ${bytes[7] ?? 'missing'} (malformed)`}; only GRIB edition 2 is read`, 'convert GRIB1 with `grib_set -s edition=2 in.grib out.grib2` or `cdo -f nc4 copy in.grib out.nc`');
  const r = await readGrib2Wind(bytes, o.grib2 ?? {});
  const f = r.field;
  const coarse = Math.max(f.dLng, f.dLat) >= coarseDeg;
  const n = r.times.length;
  const range = n === 0 ? 'no frames' : `${n} frame(s) ${toIsoUtc(r.times[0]!)}..${toIsoUtc(r.times[n - 1]!)}`;
  const step = f.dLng === f.dLat ? `${+f.dLng.toFixed(6)}°` : `${+f.dLng.toFixed(6)}° × ${+f.dLat.toFixed(6)}°`;
  const lv = r.levels.map((p) => +(p / 100).toFixed(2));
  const what = r.kind === '3d' ? `pressure-level wind, ${lv.length} levels ${lv[0]}..${lv[lv.length - 1]} hPa` : lv.length === 1 ? `wind at ${lv[0]} hPa` : '10-m wind';
  const notes = [...r.notes, coarse ? 'a coarse grid' : ''].filter((x) => x !== '');
  const describe =
    `GRIB2 ${what}${o.label ? ` ${o.label}` : ''}: ${f.nx} × ${f.ny} grid at ${step}, ${range}; fields ${r.used.join(', ')}` + (notes.length > 0 ? ` (${notes.join('; ')})` : '');
  return { field: f, kind: 'grib2', describe, rejected: [], accepted: n, coarse };
}

async function openGrid(kind: 'netcdf3' | 'netcdf4', bytes: Uint8Array, o: OpenWindOptions, coarseDeg: number): Promise<OpenedWind> {
  if (await wants3d(bytes, o)) return openGrid3d(kind, bytes, o, coarseDeg);
  const { field, calendar, rejected } = await readNetcdfWind(bytes, o.netcdf ?? {});
  const coarse = isCoarseGrid(field, coarseDeg);
  const notes = [
    calendar === 'standard' || calendar === 'proleptic_gregorian' ? '' : `${calendar} calendar`,
    rejected.length > 0 ? `${rejected.length} frame(s) left out` : '',
    field.gapCount > 0 ? `${field.gapCount} hole(s) longer than ${+field.maxGapHours.toFixed(3)} h not interpolated` : '',
    coarse ? 'a coarse grid' : '',
  ].filter((x) => x !== '');
  const describe = gridLine(kind === 'netcdf3' ? 'NetCDF3' : 'NetCDF4', field, o.label) + (notes.length > 0 ? ` (${notes.join('; ')})` : '');
  return { field, kind, describe, rejected, accepted: field.times.length, coarse };
}

/** Read one GeoTIFF of a wind pair; a decoder failure becomes `E_FORMAT` naming the file's role and size. */
async function readTiff(role: string, bytes: Uint8Array, read: Omit<GeoTiffOptions, 'bands'>): Promise<Awaited<ReturnType<typeof readGeoTiff>>> {
  try {
    return await readGeoTiff(bytes, read);
  } catch (e) {
    if (e instanceof HazetraceError) throw e;
    const why = e instanceof Error ? e.message : typeof e === 'string' ? e : showValue(e);
    throw new HazetraceError('E_FORMAT', `GeoTIFF (${role}): corrupt or truncated file (${bytes.byteLength} bytes): ${why}`, {
      format: 'GeoTIFF',
      section: role,
      size: bytes.byteLength,
    });
  }
}

async function openTiffs(u: Uint8Array, v: Uint8Array | null, o: OpenWindOptions, coarseDeg: number): Promise<OpenedWind> {
  const read = o.raster ?? {};
  const ru = await readTiff(v === null ? 'u and v bands' : 'u', u, read);
  const rv = v === null ? ru : await readTiff('v', v, read);
  let field: GriddedWindField;
  try {
    field = windFromGeoTiff(ru, rv, o.geotiff ?? {});
  } catch (e) {
    // without band or time options, what windFromGeoTiff refuses (band times, grids that differ) is the files' content
    const g = o.geotiff;
    const optioned = g !== undefined && (g.times !== undefined || g.uBands !== undefined || g.vBands !== undefined || g.resolutionDeg !== undefined);
    if (e instanceof HazetraceError && e.code === 'E_ARG' && !optioned) {
      throw new HazetraceError('E_FORMAT', `GeoTIFF wind: ${e.message}`, { ...(e.details ?? {}), format: 'GeoTIFF' });
    }
    throw e;
  }
  const coarse = isCoarseGrid(field, coarseDeg);
  const notes = [field.gapCount > 0 ? `${field.gapCount} hole(s) longer than ${+field.maxGapHours.toFixed(3)} h not interpolated` : '', coarse ? 'a coarse grid' : ''].filter((x) => x !== '');
  const describe = gridLine(v === null ? 'GeoTIFF (u and v bands)' : 'GeoTIFF (U + V)', field, o.label) + (notes.length > 0 ? ` (${notes.join('; ')})` : '');
  return { field, kind: 'geotiff', describe, rejected: [], accepted: field.times.length, coarse };
}

function openCsv(text: string, o: OpenWindOptions): OpenedWind {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (!first.includes(',')) {
    throw unknown(`wind input is text but not a CSV (first line ${showValue(first.slice(0, 80))} has no commas)`, 'to open a file by path use openWindFile from hazetrace/node');
  }
  const station = o.station ?? {};
  const r = readWindCsv(text, station.units === undefined ? {} : { speedUnit: station.units });
  const n = r.observations.length;
  if (n === 0) {
    const why = r.rejected[0] ? ` (first problem: row ${r.rejected[0].row}${r.rejected[0].column ? ` (${r.rejected[0].column})` : ''}: ${r.rejected[0].message})` : '';
    throw new HazetraceError('E_INPUT', `no usable wind observation in the point-wind CSV: 0 rows accepted, ${r.rejected.length} rejected${why}`, { rejected: r.rejected.length });
  }
  // the observations carry the unit they were read in; stationWind converts from it
  const { units: _units, ...rest } = station;
  const field = stationWind(r.observations, rest);
  const sites = field.sites.length;
  const coarse = sites <= 2;
  // the reader's rejections and the field's (duplicate times, moved sites) both cite CSV data rows
  const rejected = [...r.rejected, ...field.rejected].sort((x, y) => x.row - y.row);
  const unit = r.speedUnit === 'm/s' ? '' : `, speeds read in ${r.speedUnit}`;
  const describe =
    `point wind from ${sites} site(s)${o.label ? ` in ${o.label}` : ''} (IDW of u and v within ${field.maxDistanceKm} km of a site${unit}${coarse ? '; a coarse field' : ''})`;
  return { field, kind: 'point-csv', describe, rejected, accepted: n - field.rejected.length, sites, coarse };
}

/**
 * Open any wind input hazetrace reads, recognised by its content (magic bytes), not its name: NetCDF 3, NetCDF 4
 * (HDF5) — 2-D (`u10`/`v10`, or one level) or 3-D (pressure levels, see `netcdf3d`: the field is then a
 * `PressureLevelWindField`) —, a GeoTIFF pair `{ u, v }`, or point-wind CSV text (a `string`, or UTF-8 bytes). Returns the field, what
 * was read (`kind`, a one-line `describe`), the CSV rows not accepted, and `coarse` (point wind from ≤ 2 sites or a
 * grid step ≥ `coarseDeg`, default 1°: pick a random-walk ensemble rather than an offset one). Async: NetCDF 4 loads
 * h5wasm and GeoTIFF decoding is async. Unrecognised content → `E_INPUT` listing the supported formats; the readers'
 * own errors (`E_FORMAT`, `E_COLUMNS`, …) pass through.
 *
 * @example
 * ```ts
 * import { openWind } from 'hazetrace/wind';
 * const csv = 'site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from\n' +
 *   'cm,18.8,99.03,2025-04-22T00:00:00Z,2,90\ncm,18.8,99.03,2025-04-22T01:00:00Z,3,90\n';
 * const w = await openWind(csv);
 * w.kind; // 'point-csv'
 * w.describe; // 'point wind from 1 site(s) (IDW of u and v within 500 km of a site; a coarse field)'
 * w.coarse; // true
 * // NetCDF or GeoTIFF bytes, e.g. from fetch(): await openWind(new Uint8Array(await res.arrayBuffer()))
 * ```
 *
 * A pressure-level file opens 3-D (with its single-level file for terrain, mixing height and rain):
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { openWind, isWindField3D } from 'hazetrace/wind';
 * const w = await openWind(await readFile('test/fixtures/wind3d/era5_pl.nc'), { netcdf3d: { surface: await readFile('test/fixtures/wind3d/era5_sl.nc') } });
 * isWindField3D(w.field); // true
 * w.variables?.mixingHeight; // 'blh'
 * ```
 */
export async function openWind(input: WindInput, options: OpenWindOptions = {}): Promise<OpenedWind> {
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object');
  const coarseDeg = options.coarseDeg === undefined ? 1 : checkPositive('coarseDeg', options.coarseDeg);
  const only3d = options.netcdf3d !== undefined && options.netcdf3d !== false;
  const not3d = (what: string): HazetraceError =>
    new HazetraceError('E_INPUT', `netcdf3d options were given but the wind input is ${what}: 3-D wind needs a NetCDF with u, v on pressure levels (ERA5 / GFS)`, { formats: WIND_INPUT_FORMATS });
  if (typeof input === 'string') {
    if (only3d) throw not3d('CSV text');
    return openCsv(decodeText(input, 'wind CSV'), options);
  }
  if (input !== null && typeof input === 'object' && !(input instanceof Uint8Array) && !(input instanceof ArrayBuffer) && 'u' in input && 'v' in input) {
    const u = asBytes('input.u', input.u);
    const v = asBytes('input.v', input.v);
    for (const [name, b] of [['u', u], ['v', v]] as const) {
      if (magicOf(b) !== 'geotiff') throw unknown(`input.${name} is not a GeoTIFF (a { u, v } pair must be two GeoTIFFs)`);
    }
    if (only3d) throw not3d('a GeoTIFF pair');
    return openTiffs(u, v, options, coarseDeg);
  }
  if (!(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) {
    throw argError('input', input, 'NetCDF/GeoTIFF bytes (Uint8Array or ArrayBuffer), a GeoTIFF pair { u, v }, or point-wind CSV text');
  }
  const bytes = asBytes('input', input);
  const magic = magicOf(bytes);
  if (only3d && magic !== 'netcdf3' && magic !== 'netcdf4') throw not3d(magic === 'unknown' ? 'not NetCDF' : `a ${magic} file`);
  switch (magic) {
    case 'netcdf3':
    case 'netcdf4':
      return openGrid(magic, bytes, options, coarseDeg);
    case 'geotiff':
      if (options.geotiff?.uBands && options.geotiff.vBands) return openTiffs(bytes, null, options, coarseDeg);
      throw unknown('wind from GeoTIFF needs two GeoTIFFs, U and V: pass { u, v } (or one GeoTIFF with geotiff.uBands and geotiff.vBands)');
    case 'cdf5':
      throw unknown('this is a NetCDF 64-bit data (CDF-5) file, which is not supported', 'convert it with `nccopy -k nc4 in.nc out.nc`');
    case 'gzip':
    case 'zip':
      throw unknown(`this is a ${magic} archive`, 'extract the file first');
    case 'grib':
      return openGrib(bytes, options, coarseDeg);
    default:
  }
  let text: string;
  try {
    text = decodeText(bytes, 'wind CSV');
  } catch (e) {
    if (e instanceof HazetraceError && e.code === 'E_BINARY') throw unknown('wind input is neither NetCDF, GeoTIFF nor UTF-8 CSV text (unrecognised binary content)');
    throw e;
  }
  return openCsv(text, options);
}
