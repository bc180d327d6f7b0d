/**
 * 3-D wind from NetCDF as ERA5 and GFS users download it: pressure-level u, v, vertical velocity (omega, Pa/s) and
 * geopotential (ERA5 `z`, m²/s²) or geopotential height (GFS `gh`/`hgtprs`, gpm), optional temperature and
 * relative humidity, plus surface fields from the same file or from separate single-level files (ERA5 surface
 * geopotential `z`, `sp`, `blh`, `tp`; GFS `hgtsfc`, `pressfc`, `hpblsfc`, `apcpsfc`/`pratesfc`). The arrays are
 * laid out as {@link PressureLevelWindArrays} (levels bottom first, row 0 southernmost) and handed to
 * `pressureLevelWind`. File handling (NetCDF3 via netcdfjs, NetCDF4/HDF5 via h5wasm, CF times and calendars,
 * packing, fill values, corrupt-file errors) is shared with the 2-D reader in netcdf.ts. Browser-safe.
 */
import { HazetraceError, argError, checkPositive, showValue } from '../core/errors.js';
import type { LngLatGrid, RejectedRow } from '../core/types.js';
import { pressureLevelWind, type PressureLevelWindArrays, type PressureLevelWindField } from './field3d.js';
import {
  LAT_NAMES,
  LEVEL_NAMES,
  LNG_NAMES,
  TIME_NAMES,
  decodeCfTimes,
  findName,
  formatError,
  messageOf,
  openNcFile,
  regularAxis,
  type CfCalendar,
  type NcFile,
} from './netcdf.js';

/** Standard gravity, m/s² (WMO): geopotential ÷ this = geopotential height, m. */
const G0 = 9.80665;

/** Options of {@link windFromNetcdf3d} / {@link readNetcdf3d}. Variable names default to the first one present. */
export interface Netcdf3dOptions {
  /** Eastward wind on pressure levels. Default: first of `u`, `ugrdprs`, `UGRD`, `u-component_of_wind_isobaric`, `ua`. */
  uVar?: string;
  /** Northward wind. Default: first of `v`, `vgrdprs`, `VGRD`, `v-component_of_wind_isobaric`, `va`. */
  vVar?: string;
  /**
   * Vertical velocity in pressure coordinates (omega), Pa/s. Default: first of `w` (ERA5), `vvelprs`, `VVEL`,
   * `Vertical_velocity_pressure_isobaric`, `wap`, `omega`; none present → the field has no omega.
   */
  omegaVar?: string;
  /**
   * Geopotential (m²/s², divided by g = 9.80665) or geopotential height (gpm, used as metres). Default: first of `z`,
   * `gh`, `hgtprs`, `HGT`, `Geopotential_height_isobaric`, `zg`. Units containing `s**-2`/`s-2`/`s^-2` (or the ERA5
   * name `z` without units) mean geopotential.
   */
  heightVar?: string;
  /**
   * Extra fields to carry for sampling, by their canonical name: `t` (temperature, K; from `t`, `tmpprs`, `TMP`,
   * `Temperature_isobaric`, `ta`), `r` (relative humidity, %; from `r`, `rhprs`, `RH`, `Relative_humidity_isobaric`,
   * `hur`), or any other variable name in the files (pressure-level or single-level). Default: `t` and `r` when
   * present. Names not found are listed in `missing` of {@link readNetcdf3d} (not an error).
   */
  extra?: readonly string[];
  /**
   * Single-level files (bytes) with the surface fields: surface geopotential `z` / orography (`orog`, `hgtsfc`,
   * `Geopotential_height_surface` in m), surface pressure (`sp`, `pressfc`, `Pressure_surface`, `ps`, Pa),
   * boundary-layer height (`blh`, `hpblsfc`, `hpbl`, `Planetary_Boundary_Layer_Height_surface`, m) and precipitation
   * (`tp` in m, `apcpsfc`/`APCP` in kg/m² — accumulations over `precipAccumulationHours` — or rates `pratesfc`,
   * `prate`, `mtpr`, `Precipitation_rate_surface` in kg/m²/s). The pressure-level file itself is searched first.
   * Each file's grid must be the pressure-level grid or a larger one with the same step (it is cut to fit); each
   * pressure-level time must be one of its times (a missing time leaves that frame NaN and is listed in `rejected`).
   */
  surface?: Uint8Array | ArrayBuffer | readonly (Uint8Array | ArrayBuffer)[];
  /**
   * Hours each precipitation accumulation covers (default 1: ERA5 hourly `tp` is the total over the hour ending at
   * the frame time). Accumulations are divided by this to give mm/h; rates (units per second) are not.
   */
  precipAccumulationHours?: number;
  /** As griddedWind: longest gap between frames interpolated in time, hours (default: the larger of 6 h and 2× the median step). */
  maxGapHours?: number;
}

/** What {@link readNetcdf3d} returns: the arrays for `pressureLevelWind` and what was read. */
export interface Netcdf3dResult {
  arrays: PressureLevelWindArrays;
  calendar: CfCalendar;
  /** NetCDF3 or NetCDF4/HDF5, of the pressure-level file. */
  format: 'NetCDF3' | 'NetCDF4/HDF5';
  /** The file variable read for each role (`u`, `v`, `omega`, `height`, `elevation`, `pressure`, `mixingHeight`, `precipitation`, extras). */
  variables: Record<string, string>;
  /** Requested extras found in no file. */
  missing: string[];
  /**
   * What was not used: frames the calendar cannot place (1-based frame number, `E_DATE`), per frame and variable the
   * count of values beyond the plausible range read as NoData (`E_RANGE`), and frames a surface file lacks (`E_DATE`).
   */
  rejected: RejectedRow[];
}

const U_NAMES = ['u', 'ugrdprs', 'UGRD', 'u-component_of_wind_isobaric', 'ua'];
const V_NAMES = ['v', 'vgrdprs', 'VGRD', 'v-component_of_wind_isobaric', 'va'];
const OMEGA_NAMES = ['w', 'vvelprs', 'VVEL', 'Vertical_velocity_pressure_isobaric', 'wap', 'omega'];
const HEIGHT_NAMES = ['z', 'gh', 'hgtprs', 'HGT', 'Geopotential_height_isobaric', 'zg'];
const EXTRA_NAMES: Readonly<Record<string, readonly string[]>> = {
  t: ['t', 'tmpprs', 'TMP', 'Temperature_isobaric', 'ta'],
  r: ['r', 'rhprs', 'RH', 'Relative_humidity_isobaric', 'hur'],
};
const EXTRA_UNITS: Readonly<Record<string, string>> = { t: 'K', r: '%' };
const ELEVATION_NAMES = ['z', 'orog', 'hgtsfc', 'Geopotential_height_surface', 'HGT_surface'];
const SP_NAMES = ['sp', 'pressfc', 'Pressure_surface', 'ps', 'PRES_surface'];
const BLH_NAMES = ['blh', 'hpblsfc', 'hpbl', 'Planetary_Boundary_Layer_Height_surface', 'HPBL'];
const PRECIP_NAMES = ['tp', 'apcpsfc', 'APCP', 'Total_precipitation_surface_Mixed_intervals_Accumulation', 'pratesfc', 'prate', 'mtpr', 'Precipitation_rate_surface', 'PRATE'];

/** Plausible ranges (after unit conversion) beyond which a value is a corrupt or mis-packed one, read as NoData. */
const LIMITS: Readonly<Record<string, [number, number, string]>> = {
  u: [-100, 100, 'm/s'],
  v: [-100, 100, 'm/s'],
  omega: [-100, 100, 'Pa/s'],
  height: [-2000, 80_000, 'm'],
  elevation: [-1000, 9000, 'm'],
  pressure: [10_000, 120_000, 'Pa'],
  mixingHeight: [0, 10_000, 'm'],
  precipitation: [0, 1000, 'mm/h'],
};

/** A NetCDF variable unpacked to float32: scale_factor/add_offset applied, fill and missing values NaN (CF §2.5.1, §8.1). */
function unpackAll(file: NcFile, name: string, need: number): Float32Array {
  const raw = file.data(name);
  if (raw.length < need) throw new HazetraceError('E_FORMAT', `variable ${name} holds ${raw.length} values, fewer than its shape needs (${need})`, { section: `variable ${name}` });
  const num = (x: unknown, d: number): number => (typeof x === 'number' ? x : d);
  const s = num(file.attr(name, 'scale_factor'), 1);
  const o = num(file.attr(name, 'add_offset'), 0);
  const fill = num(file.attr(name, '_FillValue'), NaN);
  const miss = num(file.attr(name, 'missing_value'), NaN);
  const ff = Math.fround(fill);
  const fm = Math.fround(miss);
  const out = new Float32Array(need);
  for (let i = 0; i < need; i++) {
    const x = Number(raw[i]);
    out[i] = x === fill || x === miss || Math.fround(x) === ff || Math.fround(x) === fm || Number.isNaN(x) ? NaN : x * s + o;
  }
  return out;
}

function unitsOf(file: NcFile, name: string): string {
  const u = file.attr(name, 'units');
  return typeof u === 'string' ? u.trim() : '';
}

/** Pressure of each level in Pa from the level axis: units hPa/mbar/millibar(s) → ×100, Pa → ×1; no units: > 2000 means Pa. */
function levelsPa(file: NcFile, name: string): number[] {
  const vals = Array.from(file.data(name), Number);
  const unitsAsWritten = unitsOf(file, name);
  const units = unitsAsWritten.toLowerCase();
  let scale: number;
  if (/^(hpa|mbar|mb|millibars?|mbars?)$/.test(units)) scale = 100;
  else if (units === 'pa') scale = 1;
  else if (units === '') scale = Math.max(...vals.map(Math.abs)) > 2000 ? 1 : 100;
  else throw new HazetraceError('E_FORMAT', `level axis ${name} has units ${showValue(unitsAsWritten)}; expected hPa, millibar(s) or Pa (pressure levels)`, { section: `variable ${name}`, value: units });
  const out = vals.map((x) => x * scale);
  for (const [i, p] of out.entries()) {
    if (!(Number.isFinite(p) && p > 0 && p <= 120_000)) {
      throw new HazetraceError('E_FORMAT', `level ${i + 1} of ${name} is ${showValue(vals[i])} ${units || '(no units)'}: not a pressure between 0 and 1200 hPa`, { section: `variable ${name}`, row: i + 1 });
    }
  }
  if (new Set(out).size !== out.length) throw new HazetraceError('E_FORMAT', `level axis ${name} repeats a level (${vals.join(', ')})`, { section: `variable ${name}` });
  return out;
}

interface Grid extends LngLatGrid {
  latReversed: boolean;
}

function gridOf(file: NcFile, yName: string, xName: string): Grid {
  const lat = regularAxis(yName, file.data(yName));
  const lonVals = Array.from(file.data(xName), Number);
  for (let i = 1; i < lonVals.length; i++) if (lonVals[i]! < lonVals[i - 1]!) lonVals[i] = lonVals[i]! + 360; // a 180→-180 seam
  const lon = regularAxis(xName, lonVals);
  if (lon.reversed) throw new HazetraceError('E_FORMAT', `${xName} must increase eastward`, { section: `variable ${xName}` });
  let west = lon.start;
  if (west >= 180) west -= 360;
  if (lat.start < -90 - 1e-9 || lat.start + (lat.n - 1) * lat.step > 90 + 1e-9) {
    throw new HazetraceError('E_FORMAT', `${yName} runs beyond ±90° (${lat.start}..${lat.start + (lat.n - 1) * lat.step})`, { section: `variable ${yName}` });
  }
  return { west, south: lat.start, dLng: lon.step, dLat: lat.step, nx: lon.n, ny: lat.n, latReversed: lat.reversed };
}

interface TimeAxis {
  name: string;
  /** UTC ms of every frame of the file (NaN where the calendar cannot place it). */
  all: Float64Array;
  calendar: CfCalendar;
  rejected: RejectedRow[];
}

function timeAxis(file: NcFile): TimeAxis | null {
  const name = findName(file, TIME_NAMES);
  if (!name) return null;
  const units = file.attr(name, 'units');
  if (typeof units !== 'string') throw new HazetraceError('E_FORMAT', `time variable ${name} has no units attribute`, { section: `variable ${name}` });
  const d = decodeCfTimes(file.data(name), units, file.attr(name, 'calendar'));
  return { name, all: d.times, calendar: d.calendar, rejected: d.rejected };
}

function pick(file: NcFile, given: string | undefined, candidates: readonly string[], option: string): string | undefined {
  if (given !== undefined) {
    if (typeof given !== 'string' || given === '') throw argError(option, given, 'a variable name');
    if (!file.names.includes(given)) throw new HazetraceError('E_FORMAT', `NetCDF has no variable ${showValue(given)}; variables: ${file.names.join(', ')} (set ${option})`, { argument: option, value: given });
    return given;
  }
  return findName(file, candidates);
}

/** An opened single-level (or the pressure-level) file, with its grid and times, ready to cut 2-D fields from. */
interface SurfaceSource {
  file: NcFile;
  label: string;
  grid: Grid;
  times: TimeAxis | null;
  yName: string;
  xName: string;
}

/**
 * Read ERA5/GFS pressure-level NetCDF (and optional single-level files) into the arrays of `pressureLevelWind`:
 * levels sorted bottom first (descending pressure, Pa, whatever order and unit — hPa, millibar, Pa — the file uses),
 * rows south first, 0–360 longitudes moved to −180..180, packed shorts unpacked, fill values NaN, geopotential ÷ g,
 * precipitation accumulations turned into mm/h. Variables must be (time, level, latitude, longitude) with at least two
 * levels (one level: use `windFromNetcdf` with `level`). Errors: `E_FORMAT` for a corrupt file, missing or misshapen
 * variables and axes, or surface grids that do not fit; `E_ARG` for bad options.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { readNetcdf3d } from 'hazetrace/wind';
 * const r = await readNetcdf3d(await readFile('test/fixtures/wind3d/era5_pl_packed.nc'), {
 *   surface: await readFile('test/fixtures/wind3d/era5_sl.nc'),
 * });
 * Array.from(r.arrays.levels); // [100000, 92500, 85000, 70000, 50000]
 * r.variables.omega; // 'w'
 * r.variables.mixingHeight; // 'blh'
 * ```
 */
export async function readNetcdf3d(bytes: Uint8Array | ArrayBuffer, options: Netcdf3dOptions = {}): Promise<Netcdf3dResult> {
  const u8 = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : null;
  if (!u8) throw argError('bytes', bytes, 'an ArrayBuffer or Uint8Array of a NetCDF file');
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object');
  if (options.maxGapHours !== undefined) checkPositive('maxGapHours', options.maxGapHours);
  const accHours = options.precipAccumulationHours === undefined ? 1 : checkPositive('precipAccumulationHours', options.precipAccumulationHours);
  if (options.extra !== undefined && (!Array.isArray(options.extra) || options.extra.some((x) => typeof x !== 'string' || x === ''))) {
    throw argError('extra', options.extra, 'an array of variable names');
  }
  const surfaceBytes: Uint8Array[] = [];
  if (options.surface !== undefined) {
    const list = Array.isArray(options.surface) ? options.surface : [options.surface];
    for (const [i, b] of (list as unknown[]).entries()) {
      if (b instanceof Uint8Array) surfaceBytes.push(b);
      else if (b instanceof ArrayBuffer) surfaceBytes.push(new Uint8Array(b));
      else throw argError(`surface[${i}]`, b, 'an ArrayBuffer or Uint8Array of a NetCDF file');
    }
  }
  const opened: { file: NcFile; format: 'NetCDF3' | 'NetCDF4/HDF5'; size: number }[] = [];
  try {
    const main = await openNcFile(u8);
    opened.push({ ...main, size: u8.byteLength });
    for (const b of surfaceBytes) opened.push({ ...(await openNcFile(b)), size: b.byteLength });
    try {
      return build(opened.map((o) => o.file), main.format, options, accHours);
    } catch (e) {
      if (e instanceof HazetraceError) throw e;
      throw formatError(main.format, `corrupt file (${u8.byteLength} bytes): ${messageOf(e)}`, { size: u8.byteLength });
    }
  } finally {
    for (const o of opened) o.file.close();
  }
}

function build(files: NcFile[], format: 'NetCDF3' | 'NetCDF4/HDF5', options: Netcdf3dOptions, accHours: number): Netcdf3dResult {
  const file = files[0]!;
  const variables: Record<string, string> = {};
  const uVar = pick(file, options.uVar, U_NAMES, 'uVar');
  const vVar = pick(file, options.vVar, V_NAMES, 'vVar');
  if (!uVar || !vVar) {
    throw new HazetraceError('E_FORMAT', `NetCDF has no pressure-level wind (looked for ${U_NAMES.join('/')} and ${V_NAMES.join('/')}); variables: ${file.names.join(', ')} (set uVar/vVar)`, {
      section: 'variables',
    });
  }
  variables['u'] = uVar;
  variables['v'] = vVar;
  const tAxis = timeAxis(file);
  const yName = findName(file, LAT_NAMES);
  const xName = findName(file, LNG_NAMES);
  const zName = findName(file, LEVEL_NAMES) ?? findName(file, ['lev', 'level', 'isobaric1', 'isobaric2', 'isobaric3']);
  if (!tAxis || !yName || !xName) {
    throw new HazetraceError('E_FORMAT', `NetCDF needs time (${TIME_NAMES.join('/')}), latitude and longitude coordinate variables; found ${file.names.join(', ')}`, { section: 'coordinates' });
  }
  const shape = file.shape(uVar);
  if (shape.length !== 4) {
    throw new HazetraceError('E_FORMAT', `${uVar} has ${shape.length} dimensions; pressure-level wind needs 4 (time, level, latitude, longitude) — for one level or 10-m wind use windFromNetcdf`, {
      section: `variable ${uVar}`,
      dims: file.dims(uVar),
    });
  }
  const dims = file.dims(uVar);
  const levelDim = dims?.[1] ?? zName;
  if (!levelDim || !file.names.includes(levelDim)) throw new HazetraceError('E_FORMAT', `NetCDF has no pressure-level coordinate (${LEVEL_NAMES.join('/')}) for ${uVar}`, { section: 'coordinates' });
  if (dims && dims.join() !== [tAxis.name, levelDim, yName, xName].join()) {
    throw new HazetraceError('E_FORMAT', `${uVar} must have dimensions (time, level, latitude, longitude), got (${dims.join(', ')})`, { section: `variable ${uVar}`, dims });
  }
  const grid = gridOf(file, yName, xName);
  const levelsIn = levelsPa(file, levelDim);
  const [nt, nzIn, nyIn, nxIn] = shape as [number, number, number, number];
  if (nzIn !== levelsIn.length || nyIn !== grid.ny || nxIn !== grid.nx || nt !== tAxis.all.length) {
    throw new HazetraceError('E_FORMAT', `${uVar} shape [${shape}] does not match the axes (time ${tAxis.all.length}, level ${levelsIn.length}, lat ${grid.ny}, lon ${grid.nx})`, { section: `variable ${uVar}` });
  }
  if (nzIn < 2) throw new HazetraceError('E_FORMAT', `${uVar} has ${nzIn} pressure level; 3-D wind needs at least 2 (for one level use windFromNetcdf with level)`, { section: `variable ${levelDim}` });
  // frames kept: placed in UTC and strictly after the previous kept one
  const keep: number[] = [];
  for (let i = 0; i < nt; i++) {
    const t = tAxis.all[i]!;
    if (Number.isNaN(t)) continue;
    if (keep.length > 0 && !(t > tAxis.all[keep[keep.length - 1]!]!)) {
      throw new HazetraceError('E_FORMAT', `time axis ${tAxis.name} must increase: frame ${i + 1} is not after frame ${keep[keep.length - 1]! + 1}`, { section: `variable ${tAxis.name}`, row: i + 1 });
    }
    keep.push(i);
  }
  if (keep.length === 0) throw new HazetraceError('E_FORMAT', `time axis ${tAxis.name} has no usable frame (${tAxis.rejected[0]?.message ?? 'empty'})`, { section: `variable ${tAxis.name}` });
  const times = Float64Array.from(keep, (i) => tAxis.all[i]!);
  // levels bottom first (descending pressure)
  const order = levelsIn.map((_, k) => k).sort((a, b) => levelsIn[b]! - levelsIn[a]!);
  const levels = Float64Array.from(order, (k) => levelsIn[k]!);
  const { nx, ny } = grid;
  const nz = nzIn;
  const nk = keep.length;
  const rejected: RejectedRow[] = [...tAxis.rejected];

  /** Count values beyond the plausible range per kept frame, set them NaN, and note them. */
  const limit = (role: string, name: string, out: Float32Array, perFrame: number): void => {
    const lim = LIMITS[role];
    if (!lim) return;
    for (let k = 0; k < out.length / perFrame; k++) {
      let wild = 0;
      for (let i = k * perFrame; i < (k + 1) * perFrame; i++) {
        const x = out[i]!;
        if (x < lim[0] || x > lim[1]) {
          out[i] = NaN;
          wild++;
        }
      }
      if (wild > 0) {
        const frame = perFrame === out.length ? 1 : keep[k]! + 1;
        rejected.push({ row: frame, column: name, code: 'E_RANGE', message: `${wild} value(s) of ${name} in frame ${frame} beyond ${lim[0]}..${lim[1]} ${lim[2]} (the plausible ${role}) read as NoData` });
      }
    }
  };

  const levelVar = (name: string, role: string, convert?: (x: number) => number): Float32Array => {
    const s = file.shape(name);
    if (s.join() !== shape.join()) throw new HazetraceError('E_FORMAT', `${name} shape [${s}] differs from ${uVar} shape [${shape}]`, { section: `variable ${name}` });
    const d = file.dims(name);
    if (dims && d && d.join() !== dims.join()) throw new HazetraceError('E_FORMAT', `${name} dimensions (${d.join(', ')}) differ from ${uVar}'s (${dims.join(', ')})`, { section: `variable ${name}` });
    const all = unpackAll(file, name, nt * nz * ny * nx);
    const out = new Float32Array(nk * nz * ny * nx);
    const plane = ny * nx;
    for (let tk = 0; tk < nk; tk++) {
      const t = keep[tk]!;
      for (let k = 0; k < nz; k++) {
        const srcK = order[k]!;
        for (let r = 0; r < ny; r++) {
          const srcRow = grid.latReversed ? ny - 1 - r : r;
          const src = ((t * nz + srcK) * ny + srcRow) * nx;
          const dst = ((tk * nz + k) * ny + r) * nx;
          for (let c = 0; c < nx; c++) {
            const x = all[src + c]!;
            out[dst + c] = convert ? convert(x) : x;
          }
        }
      }
    }
    limit(role, name, out, nz * plane);
    return out;
  };

  const u = levelVar(uVar, 'u');
  const v = levelVar(vVar, 'v');
  const arrays: PressureLevelWindArrays = { west: grid.west, south: grid.south, dLng: grid.dLng, dLat: grid.dLat, nx, ny, times, levels, u, v };
  if (options.maxGapHours !== undefined) arrays.maxGapHours = options.maxGapHours;
  if (Math.abs(nx * grid.dLng - 360) < grid.dLng * 1e-3) arrays.wrapLng = true; // a global grid wraps in longitude
  const omegaVar = pick(file, options.omegaVar, OMEGA_NAMES, 'omegaVar');
  if (omegaVar) {
    const units = unitsOf(file, omegaVar).toLowerCase().replace(/\s+/g, ' ');
    if (units !== '' && !/^(pa s\*\*-1|pa s-1|pa\/s|pa s\^-1|pascal\/s)$/.test(units)) {
      throw new HazetraceError('E_FORMAT', `vertical velocity ${omegaVar} has units ${showValue(units)}; expected Pa/s (omega). Geometric w (m/s) is not read: set omegaVar`, { section: `variable ${omegaVar}`, value: units });
    }
    arrays.omega = levelVar(omegaVar, 'omega');
    variables['omega'] = omegaVar;
  }
  const heightVar = pick(file, options.heightVar, HEIGHT_NAMES, 'heightVar');
  if (heightVar && file.shape(heightVar).length === 4) {
    const units = unitsOf(file, heightVar).toLowerCase();
    const geopotential = /s\*\*-2|s-2|s\^-2|s\^\{-2\}|\/s2|\/s\^2/.test(units) || (units === '' && heightVar === 'z');
    arrays.height = levelVar(heightVar, 'height', geopotential ? (x) => x / G0 : undefined);
    variables['height'] = heightVar;
  }

  // surface sources: the pressure-level file first, then each single-level file
  const sources: SurfaceSource[] = [{ file, label: 'the pressure-level file', grid, times: tAxis, yName, xName }];
  for (const [i, f] of files.slice(1).entries()) {
    const y = findName(f, LAT_NAMES);
    const x = findName(f, LNG_NAMES);
    if (!y || !x) throw new HazetraceError('E_FORMAT', `surface file ${i + 1} needs latitude and longitude coordinate variables; found ${f.names.join(', ')}`, { section: 'coordinates', file: i + 1 });
    sources.push({ file: f, label: `surface file ${i + 1}`, grid: gridOf(f, y, x), times: timeAxis(f), yName: y, xName: x });
  }
  const isSurfaceVar = (s: SurfaceSource, name: string): boolean => {
    if (!s.file.names.includes(name)) return false;
    const n = s.file.shape(name).length;
    return n === 2 || n === 3;
  };
  const findSurface = (candidates: readonly string[]): [SurfaceSource, string] | null => {
    for (const s of sources) for (const c of candidates) if (isSurfaceVar(s, c)) return [s, c];
    return null;
  };

  /** Column and row offsets of the pressure-level grid inside a source's grid, or an error. */
  const offsets = (s: SurfaceSource): [number, number] => {
    const g = s.grid;
    const tol = 1e-6 * Math.max(grid.dLng, grid.dLat);
    if (Math.abs(g.dLng - grid.dLng) > tol || Math.abs(g.dLat - grid.dLat) > tol) {
      throw new HazetraceError('E_FORMAT', `${s.label}: grid step ${g.dLng}° × ${g.dLat}° differs from the pressure-level grid's ${grid.dLng}° × ${grid.dLat}° (regrid it to the same grid)`, { section: 'coordinates' });
    }
    let dw = grid.west - g.west;
    dw -= 360 * Math.round(dw / 360);
    if (dw < -tol) dw += 360;
    const c0 = Math.round(dw / grid.dLng);
    const r0 = Math.round((grid.south - g.south) / grid.dLat);
    if (Math.abs(c0 * grid.dLng - dw) > tol || Math.abs(r0 * grid.dLat - (grid.south - g.south)) > tol || c0 < 0 || r0 < 0 || c0 + nx > g.nx || r0 + ny > g.ny) {
      throw new HazetraceError(
        'E_FORMAT',
        `${s.label}: its grid (${g.nx} × ${g.ny} from ${g.west}°, ${g.south}°) does not contain the pressure-level grid (${nx} × ${ny} from ${grid.west}°, ${grid.south}°) on the same nodes`,
        { section: 'coordinates' },
      );
    }
    return [c0, r0];
  };
  // every single-level file must fit the grid, whichever of its variables end up used
  for (const s of sources.slice(1)) offsets(s);

  /**
   * A 2-D field [t][row][col] (perTime) or [row][col] from a surface source, cut to the grid. Frames are matched by time;
   * a pressure-level time the source lacks gives a NaN frame and a rejection.
   */
  const surfaceField = (s: SurfaceSource, name: string, role: string, perTime: boolean, convert?: (x: number) => number): Float32Array => {
    const sh = s.file.shape(name);
    const g = s.grid;
    const [c0, r0] = offsets(s);
    const snt = sh.length === 3 ? sh[0]! : 1;
    if (sh[sh.length - 2] !== g.ny || sh[sh.length - 1] !== g.nx) {
      throw new HazetraceError('E_FORMAT', `${s.label}: ${name} shape [${sh}] does not match its axes (lat ${g.ny}, lon ${g.nx})`, { section: `variable ${name}` });
    }
    if (sh.length === 3 && (!s.times || s.times.all.length !== snt)) {
      throw new HazetraceError('E_FORMAT', `${s.label}: ${name} has a time dimension of ${snt} but the file's time axis has ${s.times?.all.length ?? 0} values`, { section: `variable ${name}` });
    }
    const all = unpackAll(s.file, name, snt * g.ny * g.nx);
    const frames = perTime ? nk : 1;
    const out = new Float32Array(frames * ny * nx);
    for (let tk = 0; tk < frames; tk++) {
      let st = 0;
      if (sh.length === 3 && perTime) {
        st = s === sources[0] ? keep[tk]! : s.times!.all.indexOf(times[tk]!);
        if (st < 0) {
          out.fill(NaN, tk * ny * nx, (tk + 1) * ny * nx);
          rejected.push({ row: keep[tk]! + 1, column: name, code: 'E_DATE', message: `${s.label} has no ${name} at frame ${keep[tk]! + 1}'s time; read as NoData` });
          continue;
        }
      }
      for (let r = 0; r < ny; r++) {
        const srcRow = g.latReversed ? g.ny - 1 - (r + r0) : r + r0;
        const src = (st * g.ny + srcRow) * g.nx + c0;
        const dst = (tk * ny + r) * nx;
        for (let c = 0; c < nx; c++) {
          const x = all[src + c]!;
          out[dst + c] = convert ? convert(x) : x;
        }
      }
    }
    limit(role, name, out, ny * nx);
    return out;
  };

  const surface: NonNullable<PressureLevelWindArrays['surface']> = {};
  const elev = findSurface(ELEVATION_NAMES);
  if (elev) {
    const [s, name] = elev;
    const units = unitsOf(s.file, name).toLowerCase();
    const geopotential = /s\*\*-2|s-2|s\^-2/.test(units) || (units === '' && name === 'z');
    surface.elevation = surfaceField(s, name, 'elevation', false, geopotential ? (x) => x / G0 : undefined);
    variables['elevation'] = name;
  }
  const sp = findSurface(SP_NAMES);
  if (sp) {
    const units = unitsOf(sp[0].file, sp[1]).toLowerCase();
    surface.pressure = surfaceField(sp[0], sp[1], 'pressure', true, units === 'hpa' || units === 'mbar' || units === 'millibar' ? (x) => x * 100 : undefined);
    variables['pressure'] = sp[1];
  }
  const blh = findSurface(BLH_NAMES);
  if (blh) {
    surface.mixingHeight = surfaceField(blh[0], blh[1], 'mixingHeight', true);
    variables['mixingHeight'] = blh[1];
  }
  const pr = findSurface(PRECIP_NAMES);
  if (pr) {
    const [s, name] = pr;
    const units = unitsOf(s.file, name).toLowerCase().replace(/\s+/g, ' ');
    const rate = /s\*\*-1|s-1|\/s\b|s\^-1/.test(units) || ((units === '') && /rate|prate|mtpr/i.test(name));
    const metres = units === 'm' || (units === '' && name === 'tp');
    const factor = (rate ? 3600 : 1 / accHours) * (metres ? 1000 : 1);
    if (!rate && units !== '' && !metres && !/^(mm|kg m\*\*-2|kg m-2|kg\/m\^2|kg\/m2|kg\.m-2)$/.test(units)) {
      throw new HazetraceError('E_FORMAT', `precipitation ${name} has units ${showValue(units)}; expected m or mm (kg m-2) accumulations or kg m-2 s-1 rates`, { section: `variable ${name}`, value: units });
    }
    // accumulations can round to tiny negatives (ERA5 packing): clamp those to 0
    surface.precipitation = surfaceField(s, name, 'precipitation', true, (x) => {
      const y = x * factor;
      return y < 0 && y > -1e-3 ? 0 : y;
    });
    variables['precipitation'] = name;
  }
  if (Object.keys(surface).length > 0) arrays.surface = surface;

  // extras
  const missing: string[] = [];
  const wanted = options.extra ?? Object.keys(EXTRA_NAMES).filter((k) => EXTRA_NAMES[k]!.some((n) => file.names.includes(n) && file.shape(n).length === 4));
  const extra: NonNullable<PressureLevelWindArrays['extra']> = {};
  for (const key of wanted) {
    const candidates = EXTRA_NAMES[key] ?? [key];
    const onLevels = candidates.find((n) => file.names.includes(n) && file.shape(n).length === 4);
    if (onLevels) {
      const units = unitsOf(file, onLevels);
      extra[key] = { values: levelVar(onLevels, key), levels: true, units: EXTRA_UNITS[key] ?? units };
      variables[key] = onLevels;
      continue;
    }
    const flat = findSurface(candidates);
    if (flat) {
      extra[key] = { values: surfaceField(flat[0], flat[1], key, true), levels: false, units: EXTRA_UNITS[key] ?? unitsOf(flat[0].file, flat[1]) };
      variables[key] = flat[1];
      continue;
    }
    missing.push(key);
  }
  if (Object.keys(extra).length > 0) arrays.extra = extra;
  rejected.sort((a, b) => a.row - b.row);
  return { arrays, calendar: tAxis.calendar, format, variables, missing, rejected };
}

/**
 * A 3-D wind field (`pressureLevelWind`) from ERA5/GFS pressure-level NetCDF bytes and optional single-level files,
 * or from the result of {@link readNetcdf3d}. See {@link readNetcdf3d} for names, units and layout; the field's 2-D
 * `sample` gives the wind 500 m above ground, so every 2-D caller can use it.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { windFromNetcdf3d } from 'hazetrace/wind';
 * const field = await windFromNetcdf3d(await readFile('test/fixtures/wind3d/era5_pl.nc'), {
 *   surface: await readFile('test/fixtures/wind3d/era5_sl.nc'),
 * });
 * field.is3d; // true
 * ```
 */
export async function windFromNetcdf3d(input: Uint8Array | ArrayBuffer | Netcdf3dResult, options: Netcdf3dOptions = {}): Promise<PressureLevelWindField> {
  const r = input instanceof Uint8Array || input instanceof ArrayBuffer ? await readNetcdf3d(input, options) : input;
  if (r === null || typeof r !== 'object' || !('arrays' in r)) throw argError('input', input, 'NetCDF bytes or the result of readNetcdf3d');
  return pressureLevelWind(r.arrays);
}

/**
 * Whether NetCDF bytes hold pressure-level wind this module can read: `u`/`v` (or the GFS names) with a time, level,
 * latitude and longitude axis and at least two levels. Never throws (corrupt bytes → false).
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { hasPressureLevels } from 'hazetrace/wind';
 * await hasPressureLevels(await readFile('test/fixtures/wind3d/era5_pl.nc')); // true
 * await hasPressureLevels(await readFile('test/fixtures/wind/era5_like_packed.nc')); // false (u10/v10)
 * ```
 */
export async function hasPressureLevels(bytes: Uint8Array | ArrayBuffer): Promise<boolean> {
  const u8 = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : null;
  return u8 ? (await probeNetcdf3d(u8)).levels : false;
}

/** Variable names of NetCDF bytes and whether they hold pressure-level wind (internal; used by openWind). Never throws. */
export async function probeNetcdf3d(u8: Uint8Array): Promise<{ levels: boolean; names: string[] }> {
  let file: NcFile | undefined;
  try {
    file = (await openNcFile(u8)).file;
    const u = findName(file, U_NAMES);
    const v = findName(file, V_NAMES);
    if (!u || !v) return { levels: false, names: file.names };
    const s = file.shape(u);
    return { levels: s.length === 4 && s[1]! >= 2, names: file.names };
  } catch {
    return { levels: false, names: [] };
  } finally {
    file?.close();
  }
}
