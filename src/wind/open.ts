/**
 * One entry point for every wind input hazetrace reads: the content is sniffed (not the file name), so a
 * browser upload, a fetch() body or a file's bytes all go through the same path.
 *
 * - NetCDF 3 (`CDF\x01`, `CDF\x02`) and NetCDF 4 / HDF5 (`\x89HDF`) → {@link windFromNetcdf};
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
import type { GriddedWindField } from './fields.js';
import { windFromGeoTiff, type GeoTiffWindOptions } from './geotiff.js';
import { readNetcdfWind, type NetcdfWindOptions } from './netcdf.js';
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
  'NetCDF 3 or NetCDF 4/HDF5 with u10/v10 (ERA5/GFS style), a GeoTIFF pair { u, v } (one band per hour, band description = ISO time), ' +
  'or point-wind CSV text (site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from)';

/** What {@link openWind} found: `netcdf3`, `netcdf4` (HDF5), `geotiff` or `point-csv`. */
export type WindInputKind = 'netcdf3' | 'netcdf4' | 'geotiff' | 'point-csv';

/** Bytes of one file. */
export type WindBytes = Uint8Array | ArrayBuffer;

/** Input of {@link openWind}: the bytes of a NetCDF (or one multi-band GeoTIFF), a GeoTIFF pair, or CSV text. */
export type WindInput = WindBytes | { u: WindBytes; v: WindBytes } | string;

/** Options of {@link openWind}; each group is handed to the reader of that format. */
export interface OpenWindOptions {
  /** NetCDF variables and level (default `u10`/`v10`, no level). */
  netcdf?: NetcdfWindOptions;
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
  /** The field: a `GriddedWindField` (NetCDF, GeoTIFF) or a `StationWindField` (point CSV). */
  field: GriddedWindField | StationWindField;
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

async function openGrid(kind: 'netcdf3' | 'netcdf4', bytes: Uint8Array, o: OpenWindOptions, coarseDeg: number): Promise<OpenedWind> {
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
 * (HDF5), a GeoTIFF pair `{ u, v }`, or point-wind CSV text (a `string`, or UTF-8 bytes). Returns the field, what
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
 */
export async function openWind(input: WindInput, options: OpenWindOptions = {}): Promise<OpenedWind> {
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object');
  const coarseDeg = options.coarseDeg === undefined ? 1 : checkPositive('coarseDeg', options.coarseDeg);
  if (typeof input === 'string') return openCsv(decodeText(input, 'wind CSV'), options);
  if (input !== null && typeof input === 'object' && !(input instanceof Uint8Array) && !(input instanceof ArrayBuffer) && 'u' in input && 'v' in input) {
    const u = asBytes('input.u', input.u);
    const v = asBytes('input.v', input.v);
    for (const [name, b] of [['u', u], ['v', v]] as const) {
      if (magicOf(b) !== 'geotiff') throw unknown(`input.${name} is not a GeoTIFF (a { u, v } pair must be two GeoTIFFs)`);
    }
    return openTiffs(u, v, options, coarseDeg);
  }
  if (!(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) {
    throw argError('input', input, 'NetCDF/GeoTIFF bytes (Uint8Array or ArrayBuffer), a GeoTIFF pair { u, v }, or point-wind CSV text');
  }
  const bytes = asBytes('input', input);
  const magic = magicOf(bytes);
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
      throw unknown('this is a GRIB file, which is not supported', 'download NetCDF from the CDS, or convert with `cdo -f nc4 copy in.grib out.nc`');
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
