/**
 * Wind from NetCDF as ERA5 and GFS users download it: `u10`/`v10` (or `u`/`v` on a chosen pressure
 * level), the file's own time axis (`time`, or `valid_time` in the 2024+ CDS files), latitude
 * (often north→south), longitude (0–360 or −180–180), `scale_factor`/`add_offset` packing and
 * `_FillValue`/`missing_value` (CF conventions 1.x §2.5.1, §8.1). NetCDF3 files are read with
 * netcdfjs, NetCDF4 (HDF5) files with h5wasm. Both libraries are imported lazily on first use,
 * so importing hazetrace/wind stays light and browser-safe; h5wasm loads its WASM then.
 */
import { HazetraceError, argError, checkPositive, showValue } from '../core/errors.js';
import { PLAUSIBLE } from '../core/ranges.js';
import { DAY_MS } from '../core/time.js';
import type { RejectedRow } from '../core/types.js';
import { GriddedWindField, framesCovering } from './fields.js';

/** Options of {@link windFromNetcdf}. */
export interface NetcdfWindOptions {
  /** Eastward wind variable (default `u10`). */
  uVar?: string;
  /** Northward wind variable (default `v10`). */
  vVar?: string;
  /** Pressure level (the level coordinate's value, e.g. 850) when the variables have a level axis. */
  level?: number;
  /**
   * Longest gap between two frames that is interpolated linearly in time, hours. Default: the larger of 6 h
   * and twice the file's median frame step (hourly ERA5 → 6 h, 6-hourly GFS → 12 h). A sample inside a longer
   * hole returns `no-data` and a trajectory reaching it stops with `no-data` (see `griddedWind`).
   */
  maxGapHours?: number;
}

/** What {@link readNetcdfWind} returns: the field, the CF calendar it was read in and the frames left out. */
export interface NetcdfWindResult {
  field: GriddedWindField;
  /** The time variable's `calendar` attribute, normalised (`standard` when absent). */
  calendar: CfCalendar;
  /**
   * What was not used, with the 1-based frame number in `row` and the reason: frames on dates the file's model
   * calendar has but the real (proleptic Gregorian) one lacks (e.g. 30 February in a `360_day` file; code
   * `E_DATE`), and per frame and variable the count of values beyond the plausible wind speed (core
   * `PLAUSIBLE.windSpeed`, 100 m/s) read as NoData (code `E_RANGE`).
   */
  rejected: RejectedRow[];
}

/**
 * CF calendars (CF conventions 1.11 §4.4.2) that {@link readNetcdfWind} reads. `gregorian` is read as `standard`
 * (Julian before 1582-10-15, Gregorian after), `365_day` as `noleap`, `366_day` as `all_leap`.
 */
export type CfCalendar = 'standard' | 'proleptic_gregorian' | 'julian' | 'noleap' | 'all_leap' | '360_day';

/** The little of a NetCDF file this reader needs, over netcdfjs or h5wasm (internal; shared with netcdf3d.ts). */
export interface NcFile {
  names: string[];
  /** Dimension names of a variable, when the file says. */
  dims(name: string): string[] | null;
  shape(name: string): number[];
  attr(name: string, attr: string): number | string | undefined;
  data(name: string): ArrayLike<number>;
  close(): void;
}

export const TIME_NAMES = ['valid_time', 'time', 'Time', 't'];
export const LAT_NAMES = ['latitude', 'lat', 'Latitude', 'y'];
export const LNG_NAMES = ['longitude', 'lon', 'Longitude', 'x'];
export const LEVEL_NAMES = ['pressure_level', 'level', 'isobaricInhPa', 'plev', 'lev', 'isobaric'];

/**
 * Concatenate netcdfjs's per-record arrays. `perRecord` is the number of values in one record: netcdfjs reads a
 * record's padded byte size, so a record of an odd number of shorts (or bytes) carries 1–3 padding values that
 * must not be kept (NetCDF classic pads each record variable's slab to 4 bytes).
 */
function flatten(a: unknown, perRecord = Infinity): number[] | ArrayLike<number> {
  if (Array.isArray(a) && a.length > 0 && (Array.isArray(a[0]) || ArrayBuffer.isView(a[0]))) {
    const out: number[] = [];
    for (const rec of a as ArrayLike<number>[]) for (let i = 0, n = Math.min(rec.length, perRecord); i < n; i++) out.push(Number(rec[i]));
    return out;
  }
  return a as ArrayLike<number>;
}

export function formatError(format: string, what: string, details: Record<string, unknown> = {}): HazetraceError {
  return new HazetraceError('E_FORMAT', `${format}: ${what}`, { format, ...details });
}

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : showValue(e);
}

/**
 * Walk a NetCDF3 (CDF-1 / CDF-2) header with bounds checks before netcdfjs reads it: every count and length must fit
 * in the bytes that remain, so a corrupt count can neither make the decoder allocate gigabytes nor fail somewhere
 * deep inside it. Throws `E_FORMAT` naming the header part and its byte offset (Unidata, "NetCDF Classic Format").
 */
function checkNetcdf3Header(b: Uint8Array): void {
  const size = b.byteLength;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const offset64 = b[3] === 2;
  let at = 4;
  const fail = (what: string, pos = at): never => {
    throw formatError('NetCDF3', `corrupt or truncated header at byte ${pos} (file of ${size} bytes): ${what}`, { section: 'header', offset: pos, size });
  };
  const u32 = (what: string): number => {
    if (at + 4 > size) fail(`${what} runs past the end of the file`);
    const x = dv.getUint32(at);
    at += 4;
    return x;
  };
  const skip = (n: number, what: string): void => {
    const padded = n + ((4 - (n % 4)) % 4);
    if (!(padded <= size - at)) fail(`${what} (${n} bytes) runs past the end of the file`);
    at += padded;
  };
  const TYPE_SIZE = [0, 1, 1, 2, 4, 4, 8];
  const attrs = (where: string): void => {
    const p = at;
    const tag = u32(`${where} attribute tag`);
    const n = u32(`${where} attribute count`);
    if (tag === 0 && n === 0) return;
    if (tag !== 0x0c) fail(`${where} attribute list has tag ${tag}, expected 12 (NC_ATTRIBUTE) or absent`, p);
    if (n > (size - at) / 12) fail(`${where} claims ${n} attributes, more than the file can hold`, p + 4);
    for (let i = 0; i < n; i++) {
      skip(u32(`${where} attribute ${i + 1} name length`), `${where} attribute ${i + 1} name`);
      const type = u32(`${where} attribute ${i + 1} type`);
      if (!(type >= 1 && type <= 6)) fail(`${where} attribute ${i + 1} has type ${type}, not 1..6`);
      const count = u32(`${where} attribute ${i + 1} length`);
      skip(count * TYPE_SIZE[type]!, `${where} attribute ${i + 1} values`);
    }
  };
  u32('record count');
  const dimAt = at;
  const dimTag = u32('dimension tag');
  const nDims = u32('dimension count');
  if (!(dimTag === 0x0a || (dimTag === 0 && nDims === 0))) fail(`dimension list has tag ${dimTag}, expected 10 (NC_DIMENSION) or absent`, dimAt);
  if (nDims > (size - at) / 8) fail(`claims ${nDims} dimensions, more than the file can hold`, dimAt + 4);
  for (let i = 0; i < nDims; i++) {
    skip(u32(`dimension ${i + 1} name length`), `dimension ${i + 1} name`);
    u32(`dimension ${i + 1} length`);
  }
  attrs('global');
  const varAt = at;
  const varTag = u32('variable tag');
  const nVars = u32('variable count');
  if (!(varTag === 0x0b || (varTag === 0 && nVars === 0))) fail(`variable list has tag ${varTag}, expected 11 (NC_VARIABLE) or absent`, varAt);
  if (nVars > (size - at) / 24) fail(`claims ${nVars} variables, more than the file can hold`, varAt + 4);
  for (let i = 0; i < nVars; i++) {
    skip(u32(`variable ${i + 1} name length`), `variable ${i + 1} name`);
    const rank = u32(`variable ${i + 1} rank`);
    if (rank > 1024 || rank * 4 > size - at) fail(`variable ${i + 1} claims ${rank} dimensions`);
    for (let k = 0; k < rank; k++) {
      const id = u32(`variable ${i + 1} dimension id`);
      if (id >= nDims) fail(`variable ${i + 1} refers to dimension id ${id}, but there are ${nDims}`);
    }
    attrs(`variable ${i + 1}`);
    const type = u32(`variable ${i + 1} type`);
    if (!(type >= 1 && type <= 6)) fail(`variable ${i + 1} has type ${type}, not 1..6`);
    u32(`variable ${i + 1} size`);
    u32(`variable ${i + 1} offset`);
    if (offset64) u32(`variable ${i + 1} offset`);
  }
}

async function openNetcdf3(bytes: Uint8Array): Promise<NcFile> {
  const { NetCDFReader } = await import('netcdfjs');
  const size = bytes.byteLength;
  checkNetcdf3Header(bytes);
  let r: InstanceType<typeof NetCDFReader>;
  try {
    r = new NetCDFReader(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    // netcdfjs reads the header front to back; any failure there is a truncated or corrupt header
    throw formatError('NetCDF3', `corrupt or truncated header (file of ${size} bytes): ${messageOf(e)}`, { section: 'header', size });
  }
  checkNc3Bounds(r, size);
  return nc3File(r, (name, x) => {
    try {
      const perRecord = x.record ? x.dimensions.slice(1).reduce((n, id) => n * (r.dimensions[id]?.size ?? 0), 1) : Infinity;
      return flatten(r.getDataVariable(name), perRecord);
    } catch (e) {
      throw formatError('NetCDF3', `cannot decode variable ${showValue(name)} at byte ${Number(x.offset)}: ${messageOf(e)}`, { section: `variable ${name}`, offset: Number(x.offset) });
    }
  });
}

type Nc3Reader = InstanceType<typeof import('netcdfjs').NetCDFReader>;
type Nc3Variable = Nc3Reader['variables'][number];

/**
 * Every variable's data must lie inside the file before anything is read: a truncated file names its first missing
 * variable and byte range instead of failing inside the decoder.
 */
function checkNc3Bounds(r: Nc3Reader, size: number): void {
  const nrec = r.recordDimension?.length ?? 0;
  const recordStep = Number((r.recordDimension as { recordStep?: number } | undefined)?.recordStep ?? 0);
  for (const v of r.variables) {
    const off = Number(v.offset);
    const vsize = Number(v.size);
    const end = v.record ? off + Math.max(0, nrec - 1) * recordStep + vsize : off + vsize;
    if (!Number.isFinite(end) || off < 0 || end > size) {
      throw formatError('NetCDF3', `variable ${showValue(v.name)} data at bytes ${off}..${end} lies beyond the end of the file (${size} bytes): truncated or corrupt`, {
        section: `variable ${v.name}`,
        offset: off,
        size,
      });
    }
  }
}

/** The {@link NcFile} view of a netcdfjs header; `data` reads a variable's values. */
function nc3File(r: Nc3Reader, data: (name: string, v: Nc3Variable) => ArrayLike<number>): NcFile {
  const nrec = r.recordDimension?.length ?? 0;
  const dimName = (id: number): string => {
    const d = r.dimensions[id];
    if (!d) throw formatError('NetCDF3', `a variable refers to dimension id ${id}, which the header does not define`, { section: 'header' });
    return d.name;
  };
  const v = (name: string): Nc3Variable => {
    const x = r.variables.find((y) => y.name === name);
    if (!x) throw formatError('NetCDF3', `no variable ${showValue(name)}`, { section: 'header' });
    return x;
  };
  return {
    names: r.variables.map((x) => x.name),
    dims: (name) => v(name).dimensions.map(dimName),
    shape: (name) => v(name).dimensions.map((id) => (dimName(id) && r.dimensions[id]!.size === 0 ? nrec : r.dimensions[id]!.size)),
    attr: (name, a) => {
      const attrs = v(name).attributes as unknown as { name: string; value: unknown }[];
      const at = attrs.find((x) => x.name === a);
      if (!at) return undefined;
      const val = at.value as unknown;
      if (typeof val === 'string' || typeof val === 'number') return val;
      if (Array.isArray(val) || ArrayBuffer.isView(val)) return Number((val as ArrayLike<number>)[0]);
      return undefined;
    },
    data: (name) => data(name, v(name)),
    close: () => undefined,
  };
}

let h5Counter = 0;

/** The innermost HDF5 diagnostic ("truncated file: eof = 100, …") of a thrown HDF5 error stack, without file paths. */
function hdf5Reason(e: unknown): string {
  const text = messageOf(e);
  const lines = text.split('\n').map((l) => l.trim());
  const frames = lines.filter((l) => /^#\d+:/.test(l));
  const last = frames[frames.length - 1];
  if (last) {
    const m = /\(\):\s*(.*)$/.exec(last);
    if (m && m[1]) return m[1];
  }
  return lines.find((l) => l !== '' && !l.startsWith('HDF5-DIAG')) ?? 'unreadable';
}

let h5ErrorsThrow = false;

async function openHdf5(bytes: Uint8Array): Promise<NcFile> {
  const h5 = await import('h5wasm');
  const Module = await h5.ready;
  if (!h5ErrorsThrow) {
    // HDF5 prints its error stack to stderr by default; h5wasm can turn it into a thrown Error instead, which is
    // caught below and summarised in one line, so no library diagnostics reach the user's terminal.
    const activate = (Module as unknown as { activate_throwing_error_handler?: () => number }).activate_throwing_error_handler;
    if (typeof activate === 'function') activate();
    h5ErrorsThrow = true;
  }
  const size = bytes.byteLength;
  const path = `/hazetrace-${Date.now()}-${h5Counter++}.nc`;
  const unlink = (): void => {
    try {
      Module.FS.unlink(path);
    } catch {
      /* already gone */
    }
  };
  Module.FS.writeFile(path, bytes);
  let f: InstanceType<typeof h5.File>;
  let names: string[];
  try {
    f = new h5.File(path, 'r');
    names = f.keys();
  } catch (e) {
    unlink();
    throw formatError('NetCDF4/HDF5', `cannot open the file (${size} bytes): ${hdf5Reason(e)}`, { section: 'superblock', size });
  }
  const guard = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof HazetraceError) throw e;
      throw formatError('NetCDF4/HDF5', `cannot read ${what} (file of ${size} bytes): ${hdf5Reason(e)}`, { section: what, size });
    }
  };
  const ds = (name: string): InstanceType<typeof h5.Dataset> => {
    const d = guard(`variable ${name}`, () => f.get(name));
    if (!(d instanceof h5.Dataset)) throw formatError('NetCDF4/HDF5', `variable ${showValue(name)} is not a dataset`, { argument: name, section: `variable ${name}` });
    return d;
  };
  const attrOf = (name: string, a: string): number | string | undefined =>
    guard(`attribute ${name}:${a}`, () => {
      const at = ds(name).attrs[a];
      if (!at) return undefined;
      const val = at.value as unknown;
      if (typeof val === 'string' || typeof val === 'number') return val;
      if (typeof val === 'bigint') return Number(val);
      if (Array.isArray(val) || ArrayBuffer.isView(val)) {
        const x = (val as ArrayLike<number | bigint | string>)[0];
        return typeof x === 'string' ? x : Number(x);
      }
      return undefined;
    });
  const close = (): void => {
    try {
      f.close();
    } catch {
      /* a corrupt file may fail to close; the in-memory copy is removed below either way */
    }
    unlink();
  };
  // netCDF-4 records each dimension's id on its dimension-scale dataset (_Netcdf4Dimid) and each
  // variable's dimension ids in order (_Netcdf4Coordinates): enough to name a variable's axes.
  const dimById = new Map<number, string>();
  try {
    for (const n of names) {
      const id = guard(`variable ${n}`, () => f.get(n)) instanceof h5.Dataset ? attrOf(n, '_Netcdf4Dimid') : undefined;
      if (typeof id === 'number') dimById.set(id, n);
    }
  } catch (e) {
    close();
    throw e;
  }
  return {
    names,
    dims: (name) =>
      guard(`dimensions of ${name}`, () => {
        const at = ds(name).attrs['_Netcdf4Coordinates'];
        if (!at) return (ds(name).shape ?? []).length === 1 ? [name] : null;
        const ids = Array.from(at.value as ArrayLike<number>, Number);
        const out = ids.map((id) => dimById.get(id));
        return out.every((x): x is string => x !== undefined) ? out : null;
      }),
    shape: (name) => guard(`shape of ${name}`, () => (ds(name).shape ?? []).map(Number)),
    attr: attrOf,
    data: (name) =>
      guard(`variable ${name} data`, () => {
        const v = ds(name).value as unknown;
        if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Array.from(v, Number);
        if (v === null || v === undefined || typeof (v as ArrayLike<number>).length !== 'number') {
          throw formatError('NetCDF4/HDF5', `variable ${showValue(name)} has no numeric data`, { section: `variable ${name}` });
        }
        return v as ArrayLike<number>;
      }),
    close,
  };
}

interface CfUnits {
  /** ms per unit. */
  scale: number;
  year: number;
  month: number;
  day: number;
  /** Time of day of the reference, ms, minus its zone offset. */
  clockMs: number;
}

function parseUnits(units: string): CfUnits {
  if (typeof units !== 'string') throw new HazetraceError('E_FORMAT', `time units must be a CF "<unit> since <date>" string, got ${showValue(units)}`, { value: units });
  const m = /^\s*(seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|d)\s+since\s+(-?\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(\.\d*)?)?)?\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i.exec(
    units,
  );
  if (!m) {
    const why = /^\s*(months?|years?|common_years?)\s+since/i.test(units) ? ' (months and years are not fixed lengths of time; CF advises against them)' : '';
    throw new HazetraceError('E_FORMAT', `time units must be CF "<unit> since <date>" with seconds, minutes, hours or days, got ${showValue(units)}${why}`, { value: units });
  }
  const u = m[1]!.toLowerCase();
  const scale = u.startsWith('s') ? 1000 : u.startsWith('m') ? 60_000 : u.startsWith('h') ? 3_600_000 : DAY_MS;
  const [hh, mi, ss] = [Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0)];
  const month = Number(m[3]);
  const day = Number(m[4]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hh > 24 || mi > 59 || ss > 60) {
    throw new HazetraceError('E_FORMAT', `time units ${showValue(units)} name an impossible reference date or time`, { value: units });
  }
  let clockMs = ((hh * 60 + mi) * 60 + ss) * 1000 + (m[8] ? Math.round(Number(m[8]) * 1000) : 0);
  const z = m[9];
  if (z && z !== 'Z' && z.toUpperCase() !== 'UTC') {
    const zm = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(z)!;
    clockMs -= (Number(zm[2]) * 60 + Number(zm[3] ?? 0)) * (zm[1] === '-' ? -1 : 1) * 60_000;
  }
  return { scale, year: Number(m[2]), month, day, clockMs };
}

/** Julian Day Number of a proleptic Gregorian date (valid for years ≥ −4800). */
function jdnGregorian(y: number, m: number, d: number): number {
  const a = Math.floor((14 - m) / 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  return d + Math.floor((153 * mm + 2) / 5) + 365 * yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400) - 32045;
}

/** Julian Day Number of a Julian-calendar date. */
function jdnJulian(y: number, m: number, d: number): number {
  const a = Math.floor((14 - m) / 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  return d + Math.floor((153 * mm + 2) / 5) + 365 * yy + Math.floor(yy / 4) - 32083;
}

/** JDN of 1970-01-01. */
const JDN_UNIX = 2_440_588;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function gregorianLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `m` (1–12) of year `y` in a calendar. */
function monthLength(cal: CfCalendar, y: number, m: number): number {
  if (cal === '360_day') return 30;
  if (m !== 2) return MONTH_DAYS[m - 1]!;
  if (cal === 'noleap') return 28;
  if (cal === 'all_leap') return 29;
  if (cal === 'julian') return y % 4 === 0 ? 29 : 28;
  return gregorianLeap(y) ? 29 : 28;
}

const CALENDAR_NAMES: Readonly<Record<string, CfCalendar>> = {
  standard: 'standard',
  gregorian: 'standard',
  proleptic_gregorian: 'proleptic_gregorian',
  julian: 'julian',
  noleap: 'noleap',
  '365_day': 'noleap',
  all_leap: 'all_leap',
  '366_day': 'all_leap',
  '360_day': '360_day',
};

/**
 * Normalise a CF `calendar` attribute (absent → `standard`); throws `E_FORMAT` for `none` (no calendar: times are
 * not dates) and for names CF does not define.
 *
 * @example
 * ```ts
 * import { parseCfCalendar } from 'hazetrace/wind';
 * parseCfCalendar('365_day'); // 'noleap'
 * parseCfCalendar(undefined); // 'standard'
 * ```
 */
export function parseCfCalendar(calendar: unknown): CfCalendar {
  if (calendar === undefined || calendar === null || calendar === '') return 'standard';
  const key = typeof calendar === 'string' ? calendar.trim().toLowerCase() : '';
  const c = CALENDAR_NAMES[key];
  if (c) return c;
  if (key === 'none') throw new HazetraceError('E_FORMAT', 'time calendar "none" has no dates: the file\'s times cannot be placed in UTC', { value: calendar });
  throw new HazetraceError('E_FORMAT', `unknown CF calendar ${showValue(calendar)}; supported: ${Object.keys(CALENDAR_NAMES).join(', ')}`, { value: calendar });
}

/** Day count of a date in a fixed-length-year model calendar (noleap, all_leap, 360_day), from year 0. */
function modelDay(cal: CfCalendar, y: number, m: number, d: number): number {
  const len = cal === '360_day' ? 360 : cal === 'noleap' ? 365 : 366;
  let doy = 0;
  for (let k = 1; k < m; k++) doy += monthLength(cal, y, k);
  return y * len + doy + d - 1;
}

/** Year, month, day of a model-calendar day count (inverse of modelDay). */
function modelDate(cal: CfCalendar, n: number): [number, number, number] {
  const len = cal === '360_day' ? 360 : cal === 'noleap' ? 365 : 366;
  const y = Math.floor(n / len);
  let doy = n - y * len;
  let m = 1;
  while (m < 12 && doy >= monthLength(cal, y, m)) {
    doy -= monthLength(cal, y, m);
    m++;
  }
  return [y, m, doy + 1];
}

/** UTC ms of the reference date of `units` in a calendar whose days are all 86,400 s (every CF calendar). */
function referenceMs(u: CfUnits, cal: CfCalendar, units: string): number {
  if (u.day > monthLength(cal, u.year, u.month)) {
    throw new HazetraceError('E_FORMAT', `time units ${showValue(units)}: ${u.year}-${u.month}-${u.day} does not exist in the ${cal} calendar`, { value: units });
  }
  let jdn: number;
  if (cal === 'julian') jdn = jdnJulian(u.year, u.month, u.day);
  else if (cal === 'standard') {
    // CF "standard": Julian up to 1582-10-04, Gregorian from 1582-10-15; the ten days between do not exist.
    const key = u.year * 10_000 + u.month * 100 + u.day;
    if (key > 15821004 && key < 15821015) {
      throw new HazetraceError('E_FORMAT', `time units ${showValue(units)}: ${u.year}-${u.month}-${u.day} falls in the 1582 Julian→Gregorian gap of the standard calendar`, { value: units });
    }
    jdn = key <= 15821004 ? jdnJulian(u.year, u.month, u.day) : jdnGregorian(u.year, u.month, u.day);
  } else jdn = jdnGregorian(u.year, u.month, u.day);
  return (jdn - JDN_UNIX) * DAY_MS + u.clockMs;
}

/**
 * Parse CF time units, e.g. `hours since 1900-01-01 00:00:00.0`, into [ms per unit, epoch ms of the reference]
 * in a calendar where a time value maps to UTC by a fixed offset: `standard`/`gregorian` (default),
 * `proleptic_gregorian` or `julian`. Impossible reference dates (`2025-02-30`) throw `E_FORMAT`. Model calendars
 * (`noleap`, `all_leap`, `360_day`) are not a fixed offset: use {@link decodeCfTimes}.
 *
 * @example
 * ```ts
 * import { parseCfTimeUnits } from 'hazetrace/wind';
 * parseCfTimeUnits('seconds since 1970-01-01'); // [1000, 0]
 * parseCfTimeUnits('days since 1582-10-04', 'julian')[1] === parseCfTimeUnits('days since 1582-10-14', 'proleptic_gregorian')[1]; // true
 * ```
 */
export function parseCfTimeUnits(units: string, calendar: string = 'standard'): [number, number] {
  const cal = parseCfCalendar(calendar);
  if (cal === 'noleap' || cal === 'all_leap' || cal === '360_day') {
    throw new HazetraceError('E_ARG', `parseCfTimeUnits: the ${cal} calendar has no fixed epoch in UTC; use decodeCfTimes`, { argument: 'calendar', value: calendar });
  }
  const u = parseUnits(units);
  return [u.scale, referenceMs(u, cal, units)];
}

/** What {@link decodeCfTimes} returns. */
export interface CfTimes {
  /** UTC ms per value; NaN where the value was left out (see `rejected`). */
  times: Float64Array;
  calendar: CfCalendar;
  /** Values left out, 1-based in `row`, with the reason. */
  rejected: RejectedRow[];
}

/**
 * Turn CF time values (`units` "<unit> since <date>", `calendar` attribute) into UTC ms, per CF conventions §4.4.
 * `standard`/`gregorian`, `proleptic_gregorian` and `julian` are exact. In the model calendars `noleap`/`365_day`,
 * `all_leap`/`366_day` and `360_day` each value is turned into the model date and time, which is then read as the
 * same date and time in UTC; model dates the real calendar lacks (29 February of a common year in `all_leap`,
 * 29–30 February in `360_day`) are left out as NaN and listed in `rejected` (code `E_DATE`). Non-finite values are
 * rejected too. Throws `E_FORMAT` for bad units or an unknown calendar.
 *
 * @example
 * ```ts
 * import { toIsoUtc } from 'hazetrace';
 * import { decodeCfTimes } from 'hazetrace/wind';
 * const r = decodeCfTimes([0, 59], 'days since 2024-01-01', '360_day');
 * Number.isNaN(r.times[1]!); // true: 30 February does not exist; r.rejected[0].row === 2
 * toIsoUtc(decodeCfTimes([59], 'days since 2024-01-01', 'noleap').times[0]!); // '2024-03-01T00:00:00Z'
 * ```
 */
export function decodeCfTimes(values: ArrayLike<number>, units: string, calendar?: unknown): CfTimes {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') throw argError('values', values, 'an array of numbers');
  const cal = parseCfCalendar(calendar);
  const u = parseUnits(units);
  const n = values.length;
  const times = new Float64Array(n);
  const rejected: RejectedRow[] = [];
  const fixed = cal === 'standard' || cal === 'proleptic_gregorian' || cal === 'julian';
  const epoch = referenceMs(u, cal, units);
  const refDay = fixed ? 0 : modelDay(cal, u.year, u.month, u.day);
  for (let i = 0; i < n; i++) {
    const x = Number(values[i]);
    if (!Number.isFinite(x)) {
      times[i] = NaN;
      rejected.push({ row: i + 1, column: 'time', code: 'E_NUMBER', message: `time value ${showValue(values[i])} is not a finite number` });
      continue;
    }
    if (fixed) {
      times[i] = epoch + Math.round(x * u.scale);
    } else {
      // position in the model calendar: whole days since its year 0 plus the time of day
      const ms = refDay * DAY_MS + u.clockMs + Math.round(x * u.scale);
      const dayN = Math.floor(ms / DAY_MS);
      const [y, m, d] = modelDate(cal, dayN);
      if (d > monthLength('proleptic_gregorian', y, m)) {
        times[i] = NaN;
        rejected.push({ row: i + 1, column: 'time', code: 'E_DATE', message: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')} of the ${cal} calendar has no real (Gregorian) date` });
        continue;
      }
      times[i] = (jdnGregorian(y, m, d) - JDN_UNIX) * DAY_MS + (ms - dayN * DAY_MS);
    }
    if (!Number.isFinite(times[i]!) || Math.abs(times[i]!) > 8.64e15) {
      times[i] = NaN;
      rejected.push({ row: i + 1, column: 'time', code: 'E_NUMBER', message: `time value ${x} ${units} is outside the representable range` });
    }
  }
  return { times, calendar: cal, rejected };
}

export function findName(file: NcFile, candidates: readonly string[]): string | undefined {
  return candidates.find((c) => file.names.includes(c));
}

export function regularAxis(name: string, values: ArrayLike<number>): { start: number; step: number; n: number; reversed: boolean } {
  const n = values.length;
  if (n < 2) throw new HazetraceError('E_FORMAT', `${name} axis needs at least 2 values, got ${n}`, { argument: name });
  const a = Number(values[0]);
  const b = Number(values[n - 1]);
  const step = (b - a) / (n - 1);
  for (let i = 0; i < n; i++) {
    const x = Number(values[i]);
    if (!(Math.abs(x - (a + i * step)) <= Math.abs(step) * 1e-4)) {
      throw new HazetraceError('E_FORMAT', `${name} axis must be regularly spaced: value ${i} is ${x}, expected ${a + i * step}`, { argument: name });
    }
  }
  if (step === 0) throw new HazetraceError('E_FORMAT', `${name} axis has zero spacing`, { argument: name });
  return step > 0 ? { start: a, step, n, reversed: false } : { start: b, step: -step, n, reversed: true };
}

/**
 * Build a {@link GriddedWindField} from NetCDF bytes (NetCDF3 classic/64-bit offset, or NetCDF4/HDF5).
 * Unpacks `scale_factor`/`add_offset`, turns `_FillValue`/`missing_value` into NoData, flips
 * north→south latitudes, accepts 0–360 longitudes (a longitude axis that spans the globe wraps), reads the time
 * axis in its CF `calendar` (see {@link decodeCfTimes}) and leaves holes longer than `maxGapHours` uninterpolated.
 * Variables must be (time, [level,] latitude, longitude). Frames the calendar cannot place are left out: use
 * {@link readNetcdfWind} to see them. A corrupt or truncated file throws `E_FORMAT` naming the format and the
 * section (header, variable) or byte offset.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { windFromNetcdf, traceTrajectory } from 'hazetrace/wind';
 * const field = await windFromNetcdf(await readFile('test/fixtures/wind/era5_like_packed.nc')); // ERA5 single levels: u10, v10
 * const gfs850 = await windFromNetcdf(await readFile('test/fixtures/wind/gfs_like.nc'), { uVar: 'u', vVar: 'v', level: 850 });
 * traceTrajectory(field, { lng: 99, lat: 23, time: Date.UTC(2025, 3, 22, 3) }, { hours: 3 }).stopReason; // 'completed'
 * ```
 */
export async function windFromNetcdf(bytes: ArrayBuffer | Uint8Array, options: NetcdfWindOptions = {}): Promise<GriddedWindField> {
  return (await readNetcdfWind(bytes, options)).field;
}

/**
 * {@link windFromNetcdf} with what it read: the field, the CF calendar, and the frames left out (1-based frame
 * number and reason, e.g. 30 February of a `360_day` file). Errors as {@link windFromNetcdf}.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { readNetcdfWind } from 'hazetrace/wind';
 * const r = await readNetcdfWind(await readFile('test/fixtures/wind/classic_nc3.nc'));
 * r.calendar; // 'standard'
 * r.rejected.length; // 0
 * ```
 */
export async function readNetcdfWind(bytes: ArrayBuffer | Uint8Array, options: NetcdfWindOptions = {}): Promise<NetcdfWindResult> {
  const u8 = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : null;
  if (!u8) throw argError('bytes', bytes, 'an ArrayBuffer or Uint8Array of a NetCDF file');
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object');
  const { file, format } = await openNcFile(u8);
  try {
    return buildField(file, options);
  } catch (e) {
    if (e instanceof HazetraceError) throw e;
    // anything else is the decoder tripping over a corrupt structure
    throw formatError(format, `corrupt file (${u8.byteLength} bytes): ${messageOf(e)}`, { size: u8.byteLength });
  } finally {
    file.close();
  }
}

/**
 * Open NetCDF3 or NetCDF4/HDF5 bytes as an {@link NcFile} (internal; shared with netcdf3d.ts). Throws `E_FORMAT` for
 * other content and for a corrupt header. The caller closes the file.
 */
export async function openNcFile(u8: Uint8Array): Promise<{ file: NcFile; format: 'NetCDF3' | 'NetCDF4/HDF5' }> {
  const isNc3 = u8[0] === 0x43 && u8[1] === 0x44 && u8[2] === 0x46;
  const isHdf5 = u8[0] === 0x89 && u8[1] === 0x48 && u8[2] === 0x44 && u8[3] === 0x46;
  if (!isNc3 && !isHdf5) throw new HazetraceError('E_FORMAT', 'bytes are neither NetCDF3 ("CDF") nor NetCDF4/HDF5 ("\\x89HDF")', { argument: 'bytes' });
  const format = isNc3 ? 'NetCDF3' : 'NetCDF4/HDF5';
  try {
    return { file: isNc3 ? await openNetcdf3(u8) : await openHdf5(u8), format };
  } catch (e) {
    if (e instanceof HazetraceError) throw e;
    throw formatError(format, `corrupt header (file of ${u8.byteLength} bytes): ${messageOf(e)}`, { section: 'header', size: u8.byteLength });
  }
}

/** Where a wind variable's values lie and how they unpack: what {@link buildField} and the windowed reader share. */
interface FieldLayout {
  uVar: string;
  vVar: string;
  shape: number[];
  /** File frame index of each usable frame (ascending). */
  keep: number[];
  /** Usable frame times, UTC ms. */
  times: Float64Array;
  decoded: CfTimes;
  lat: { start: number; step: number; n: number; reversed: boolean };
  lon: { start: number; step: number; n: number; reversed: boolean };
  west: number;
  global: boolean;
  nt: number;
  nz: number;
  levelIndex: number;
  ny: number;
  nx: number;
}

/** Checks and axes of a NetCDF wind file, from its coordinate variables only (u/v data are not read). */
function fieldLayout(file: NcFile, options: NetcdfWindOptions): FieldLayout {
  const uVar = options.uVar ?? 'u10';
  const vVar = options.vVar ?? 'v10';
  for (const v of [uVar, vVar]) {
    if (!file.names.includes(v)) {
      throw new HazetraceError('E_FORMAT', `NetCDF has no variable ${showValue(v)}; variables: ${file.names.join(', ')} (set uVar/vVar)`, { argument: 'uVar', value: v });
    }
  }
  const tName = findName(file, TIME_NAMES);
  const yName = findName(file, LAT_NAMES);
  const xName = findName(file, LNG_NAMES);
  if (!tName || !yName || !xName) {
    throw new HazetraceError('E_FORMAT', `NetCDF needs time (${TIME_NAMES.join('/')}), latitude and longitude coordinate variables; found ${file.names.join(', ')}`, {});
  }
  const shape = file.shape(uVar);
  const vShape = file.shape(vVar);
  if (shape.join() !== vShape.join()) throw new HazetraceError('E_FORMAT', `${uVar} shape [${shape}] differs from ${vVar} shape [${vShape}]`, {});
  const zName = shape.length === 4 ? findName(file, LEVEL_NAMES) : undefined;
  const dims = file.dims(uVar) ?? (shape.length === 4 ? [tName, zName ?? 'level', yName, xName] : [tName, yName, xName]);
  const expected = shape.length === 4 ? [tName, zName, yName, xName] : [tName, yName, xName];
  if (shape.length < 3 || shape.length > 4 || dims.join() !== expected.join()) {
    throw new HazetraceError('E_FORMAT', `${uVar} must have dimensions (time, [level,] latitude, longitude), got (${dims.join(', ')})`, { dims });
  }
  // time
  const tUnits = file.attr(tName, 'units');
  if (typeof tUnits !== 'string') throw new HazetraceError('E_FORMAT', `time variable ${tName} has no units attribute`, {});
  const decoded = decodeCfTimes(file.data(tName), tUnits, file.attr(tName, 'calendar'));
  const allTimes = decoded.times;
  // frames kept: placed in UTC and strictly after the previous kept frame
  const keep: number[] = [];
  for (let i = 0; i < allTimes.length; i++) {
    const t = allTimes[i]!;
    if (Number.isNaN(t)) continue;
    if (keep.length > 0 && !(t > allTimes[keep[keep.length - 1]!]!)) {
      throw new HazetraceError('E_FORMAT', `time axis ${tName} must increase: frame ${i + 1} is not after frame ${keep[keep.length - 1]! + 1}`, { section: `variable ${tName}`, row: i + 1 });
    }
    keep.push(i);
  }
  if (keep.length === 0) throw new HazetraceError('E_FORMAT', `time axis ${tName} has no usable frame (${decoded.rejected[0]?.message ?? 'empty'})`, { section: `variable ${tName}` });
  const times = Float64Array.from(keep, (i) => allTimes[i]!);
  // axes
  const lat = regularAxis(yName, file.data(yName));
  const lonVals = Array.from(file.data(xName), Number);
  for (let i = 1; i < lonVals.length; i++) if (lonVals[i]! < lonVals[i - 1]!) lonVals[i] = lonVals[i]! + 360; // a 180→-180 seam
  const lon = regularAxis(xName, lonVals);
  if (lon.reversed) throw new HazetraceError('E_FORMAT', `${xName} must increase eastward`, {});
  let west = lon.start;
  if (west >= 180) west -= 360;
  const global = Math.abs(lon.n * lon.step - 360) < lon.step * 1e-3;
  // level
  const nt = shape[0]!;
  const ny = lat.n;
  const nx = lon.n;
  let levelIndex = 0;
  let nz = 1;
  if (shape.length === 4) {
    nz = shape[1]!;
    const levels = Array.from(file.data(zName!), Number);
    if (options.level === undefined) {
      if (nz > 1) throw argError('level', undefined, `one of the file's levels (${levels.join(', ')})`);
    } else {
      levelIndex = levels.findIndex((l) => Math.abs(l - options.level!) < 1e-6);
      if (levelIndex < 0) throw argError('level', options.level, `one of the file's levels (${levels.join(', ')})`);
    }
  }
  if (shape[shape.length - 2] !== ny || shape[shape.length - 1] !== nx || allTimes.length !== nt) {
    throw new HazetraceError('E_FORMAT', `${uVar} shape [${shape}] does not match the axes (time ${allTimes.length}, lat ${ny}, lon ${nx})`, {});
  }
  return { uVar, vVar, shape, keep, times, decoded, lat, lon, west, global, nt, nz, levelIndex, ny, nx };
}

/** CF packing of a variable: scale, offset, fill and missing values (packed). */
interface Packing {
  s: number;
  o: number;
  fill: number;
  miss: number;
}

function packingOf(file: Pick<NcFile, 'attr'>, name: string): Packing {
  const sf = file.attr(name, 'scale_factor');
  const ao = file.attr(name, 'add_offset');
  const fv = file.attr(name, '_FillValue');
  const mv = file.attr(name, 'missing_value');
  return { s: typeof sf === 'number' ? sf : 1, o: typeof ao === 'number' ? ao : 0, fill: typeof fv === 'number' ? fv : NaN, miss: typeof mv === 'number' ? mv : NaN };
}

/**
 * Unpack usable frames `k0..k1-1` of variable `name` into `out` (frame k at `(k - outFirst) * ny * nx`): `raw` holds the file's
 * frames from `rawFirst` on, laid out (time, [level,] lat, lon). Fill values become NaN, values beyond the plausible
 * wind speed become NaN and are counted in `implausible`; rows are flipped to south→north.
 */
function unpackFrames(raw: ArrayLike<number>, rawFirst: number, L: FieldLayout, p: Packing, name: string, k0: number, k1: number, out: Float32Array, outFirst: number, implausible: RejectedRow[]): void {
  const { keep, lat, nz, levelIndex, ny, nx } = L;
  const { s, o, fill, miss } = p;
  const frame = ny * nx;
  const limit = PLAUSIBLE.windSpeed.max;
  for (let k = k0; k < k1; k++) {
    const t = keep[k]!;
    let wild = 0;
    for (let r = 0; r < ny; r++) {
      // row 0 of the output is the southernmost; north→south files are flipped
      const srcRow = lat.reversed ? ny - 1 - r : r;
      const src = (((t - rawFirst) * nz + levelIndex) * ny + srcRow) * nx;
      const dst = (k - outFirst) * frame + r * nx;
      for (let c = 0; c < nx; c++) {
        const x = Number(raw[src + c]);
        // Fill values are compared packed, before unpacking (CF §2.5.1); float fills are matched at float32 precision.
        const isFill = x === fill || x === miss || Math.fround(x) === Math.fround(fill) || Math.fround(x) === Math.fround(miss) || Number.isNaN(x);
        const w = isFill ? NaN : x * s + o;
        // a component beyond the plausible wind speed is a corrupt or mis-packed value: NoData, counted below
        if (w > limit || w < -limit) {
          out[dst + c] = NaN;
          wild++;
        } else out[dst + c] = w;
      }
    }
    if (wild > 0) {
      implausible.push({
        row: t + 1,
        column: name,
        code: 'E_RANGE',
        message: `${wild} value(s) of ${name} in frame ${t + 1} beyond ±${limit} m/s (the plausible wind speed) read as NoData`,
      });
    }
  }
}

function makeField(L: FieldLayout, options: NetcdfWindOptions, u: Float32Array, v: Float32Array, make: (o: ConstructorParameters<typeof GriddedWindField>[0]) => GriddedWindField = (o) => new GriddedWindField(o)): GriddedWindField {
  if (options.maxGapHours !== undefined) checkPositive('maxGapHours', options.maxGapHours);
  try {
    return make({
      ...(options.maxGapHours !== undefined ? { maxGapHours: options.maxGapHours } : {}),
      west: L.west,
      south: L.lat.start,
      dLng: L.lon.step,
      dLat: L.lat.step,
      nx: L.nx,
      ny: L.ny,
      times: L.times,
      u,
      v,
      wrapLng: L.global,
    });
  } catch (e) {
    // the options were checked above, so what the grid refuses came from the file (e.g. latitudes beyond ±90)
    if (e instanceof HazetraceError && e.code === 'E_ARG') throw new HazetraceError('E_FORMAT', `the file's grid is not usable: ${e.message}`, { ...(e.details ?? {}), section: 'coordinates' });
    throw e;
  }
}

function buildField(file: NcFile, options: NetcdfWindOptions): NetcdfWindResult {
  const L = fieldLayout(file, options);
  const nk = L.keep.length;
  const implausible: RejectedRow[] = [];
  const unpack = (name: string): Float32Array => {
    const raw = file.data(name);
    if (raw.length < L.nt * L.nz * L.ny * L.nx) {
      throw new HazetraceError('E_FORMAT', `variable ${name} holds ${raw.length} values, fewer than its shape [${L.shape}] needs`, { section: `variable ${name}` });
    }
    const out = new Float32Array(nk * L.ny * L.nx);
    unpackFrames(raw, 0, L, packingOf(file, name), name, 0, nk, out, 0, implausible);
    return out;
  };
  const u = unpack(L.uVar);
  const v = unpack(L.vVar);
  const field = makeField(L, options, u, v);
  const rejected = [...L.decoded.rejected, ...implausible].sort((a, b) => a.row - b.row);
  return { field, calendar: L.decoded.calendar, rejected };
}

// ---------------------------------------------------------------------------------------------------------------
// Windowed reading: the frames of a time range, read from the file's bytes on demand.

/** Random access to a file's bytes (a file handle in Node, a `Blob` in a browser): what {@link openNetcdfWindFrames} reads. */
export interface ByteSource {
  /** File size, bytes. */
  readonly size: number;
  /** `length` bytes from byte `offset` (the caller never asks beyond `size`). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * A NetCDF3 wind file opened for windowed reading (see {@link openNetcdfWindFrames}): the time axis, the CF calendar,
 * what was not used, and `field(from, to)` which reads only the frames of a time range.
 */
export interface NetcdfWindFrames {
  /** Usable frame times of the whole file, UTC ms (the time axis every windowed field has). */
  readonly times: Float64Array;
  readonly calendar: CfCalendar;
  /** As {@link NetcdfWindResult.rejected}: unplaceable frames and implausible values, over the whole file. */
  readonly rejected: RejectedRow[];
  /** Largest wind speed of the whole file, m/s (what fixes the trajectory time step, so every window steps alike). */
  readonly maxSpeed: number;
  /** Bytes of u and v of one frame as held in memory (float32). */
  readonly frameBytes: number;
  /**
   * What the pass over the whole file found: give it back as `options.scan` when opening the same file again (another
   * process of a batch) to skip that pass.
   */
  readonly scan: NetcdfWindScan;
  /**
   * A {@link FrameWindowField} holding the frames of `from`..`to` (UTC ms) and the one frame either side of it; it
   * samples exactly as the whole file's field does there and throws `E_DOMAIN` when asked about a time inside the
   * file but outside those frames.
   */
  field(from: number, to: number): Promise<FrameWindowField>;
}

/**
 * A {@link GriddedWindField} over the whole file's time axis of which only frames `loaded[0]..loaded[1]` hold
 * data: what {@link NetcdfWindFrames.field} returns. Inside the loaded frames every sample and trajectory step is the
 * whole field's, bit for bit (same time axis, same `maxSpeed`, hence the same time step). A sample or step at a time
 * inside the file's span but outside the loaded frames throws `E_DOMAIN` instead of reading frames that were never
 * read. `u` and `v` hold only frames `firstFrame`.. of the time axis (the loaded ones and one more on each side), so
 * the field's memory follows the loaded frames, not the file.
 *
 * @example
 * ```ts
 * import { FrameWindowField } from 'hazetrace/wind';
 * const f = new FrameWindowField({ west: 98, south: 18, dLng: 1, dLat: 1, nx: 2, ny: 2, times: [0, 3_600_000, 7_200_000],
 *   u: new Float32Array(12).fill(1), v: new Float32Array(12) }, { maxSpeed: 1, loaded: [0, 3_600_000] });
 * f.sample(98.5, 18.5, 1_800_000, new Float64Array(2)); // 0 (ok)
 * // f.sample(98.5, 18.5, 7_000_000, new Float64Array(2)) throws E_DOMAIN (frame 3 is not loaded)
 * ```
 */
export class FrameWindowField extends GriddedWindField {
  /** First and last loaded frame time, UTC ms. */
  readonly loaded: readonly [number, number];
  /** Index in `times` of the first frame held in `u`/`v` (0 when built with full-length arrays). */
  get firstFrame(): number {
    return this.frameBase;
  }

  constructor(options: ConstructorParameters<typeof GriddedWindField>[0], window: { maxSpeed: number; loaded: readonly [number, number] }) {
    super(options);
    if (window === null || typeof window !== 'object') throw argError('window', window, '{ maxSpeed, loaded: [first, last] }');
    if (!(window.maxSpeed >= 0)) throw argError('window.maxSpeed', window.maxSpeed, 'the whole field\'s largest wind speed, m/s (≥ 0)');
    const lo = window.loaded?.[0];
    const hi = window.loaded?.[1];
    if (typeof lo !== 'number' || typeof hi !== 'number' || !(lo <= hi)) throw argError('window.loaded', window.loaded, '[first, last] loaded frame times, UTC ms, first ≤ last');
    // the whole field's, not the loaded frames': it fixes the trajectory time step
    (this as { maxSpeed: number }).maxSpeed = window.maxSpeed;
    this.loaded = [lo, hi];
  }

  /**
   * This field with other frames loaded: `u`, `v` hold whole frames `firstFrame`, `firstFrame + 1`, … of the time
   * axis (default 0: full-length arrays), with data at least at `loaded`. The same grid, time axis, gaps and
   * `maxSpeed`, without checking the values again (the constructor's pass over every value would cost as much as the
   * window's own work on a long file).
   */
  withFrames(u: Float32Array, v: Float32Array, loaded: readonly [number, number], firstFrame = 0): FrameWindowField {
    const frame = this.nx * this.ny;
    const nt = this.times.length;
    if (!Number.isInteger(firstFrame) || firstFrame < 0 || firstFrame >= nt) throw argError('firstFrame', firstFrame, `a frame index in 0..${nt - 1}`);
    const held = u instanceof Float32Array ? u.length / frame : NaN;
    if (!(v instanceof Float32Array) || !Number.isInteger(held) || held < 1 || firstFrame + held > nt || v.length !== u.length) {
      throw argError('u', u, `Float32Arrays u, v of whole frames (${frame} values each) from frame ${firstFrame}, at most to the last of ${nt}`);
    }
    if (!(loaded?.[0]! <= loaded?.[1]!)) throw argError('loaded', loaded, '[first, last] loaded frame times, UTC ms, first ≤ last');
    if (!(loaded[0] >= this.times[firstFrame]! && loaded[1] <= this.times[firstFrame + held - 1]!)) {
      throw argError('loaded', loaded, 'times within the frames u and v hold');
    }
    const copy = Object.create(FrameWindowField.prototype) as FrameWindowField;
    return Object.assign(copy, this, { u, v, loaded: [loaded[0], loaded[1]] as const, hint: 0, frameBase: firstFrame });
  }

  private guard(a: number, b: number): void {
    const [t0, t1] = this.timeRange;
    const [lo, hi] = this.loaded;
    const lo2 = Math.min(a, b);
    const hi2 = Math.max(a, b);
    if ((lo2 >= t0 && lo2 <= t1 && lo2 < lo) || (hi2 >= t0 && hi2 <= t1 && hi2 > hi)) {
      throw new HazetraceError('E_DOMAIN', `wind asked at ${new Date(lo2 < lo ? lo2 : hi2).toISOString()}, outside the frames read (${new Date(lo).toISOString()}..${new Date(hi).toISOString()}): read a wider window`, {
        argument: 'time',
        value: lo2 < lo ? lo2 : hi2,
      });
    }
  }

  override sample(lng: number, lat: number, time: number, out: Float64Array): ReturnType<GriddedWindField['sample']> {
    this.guard(time, time);
    return super.sample(lng, lat, time, out);
  }

  override heunSteps(lng: number, lat: number, time: number, dt: number, R: number, steps: number, pos: Float64Array, offLng = 0, offLat = 0): number {
    this.guard(time, time + steps * dt * 1000);
    return super.heunSteps(lng, lat, time, dt, R, steps, pos, offLng, offLat);
  }
}

const NC3_TYPES: Record<string, [number, (d: DataView, at: number) => number]> = {
  // netcdfjs reads NC_BYTE unsigned; the windowed reader does the same so both paths give the same values
  byte: [1, (d, at) => d.getUint8(at)],
  short: [2, (d, at) => d.getInt16(at)],
  int: [4, (d, at) => d.getInt32(at)],
  float: [4, (d, at) => d.getFloat32(at)],
  double: [8, (d, at) => d.getFloat64(at)],
};

/** Largest block read at once, bytes. */
const READ_BLOCK = 8 << 20;

/** What {@link openNetcdfWindFrames}'s pass over a whole file finds (`frames.scan`). */
export interface NetcdfWindScan {
  /** Largest wind speed of the file, m/s. */
  maxSpeed: number;
  /** Implausible values of u and v, as the pass rejects them. */
  implausible: RejectedRow[];
}

/** Options of {@link openNetcdfWindFrames}: those of {@link readNetcdfWind}, and an earlier pass's result. */
export interface NetcdfWindFramesOptions extends NetcdfWindOptions {
  /**
   * `frames.scan` of an earlier opening of the SAME file with the same options: the pass over the whole file is
   * skipped (on a 118 MB file it costs about 2.6 s of CPU). Default: the pass runs. Nothing checks that the file is
   * the same: key it by the file's hash, as `planBatch` does.
   */
  scan?: NetcdfWindScan;
}

/**
 * Open a NetCDF3 (classic or 64-bit offset) wind file for windowed reading from a {@link ByteSource}: the header and
 * the coordinate variables are read, then one pass over u and v (in blocks of a few MB, nothing kept) finds the
 * whole file's largest wind speed and implausible values. `field(from, to)` then reads only the frames of a time
 * range. Memory follows the window, not the file: a season-long file is never held. Same variables, options,
 * checks and values as {@link readNetcdfWind}. Throws `E_FORMAT` for NetCDF4/HDF5 and other content (read those
 * whole with {@link readNetcdfWind}).
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { openNetcdfWindFrames } from 'hazetrace/wind';
 * const bytes = await readFile('test/fixtures/wind/classic_nc3.nc');
 * const frames = await openNetcdfWindFrames({ size: bytes.byteLength, read: async (o, n) => bytes.subarray(o, o + n) });
 * const f = await frames.field(frames.times[0]!, frames.times[1]!); // two frames read
 * f.loaded[1] === frames.times[1]; // true
 * ```
 */
export async function openNetcdfWindFrames(source: ByteSource, options: NetcdfWindFramesOptions = {}): Promise<NetcdfWindFrames> {
  if (source === null || typeof source !== 'object' || typeof source.read !== 'function' || !(Number.isInteger(source.size) && source.size >= 0)) {
    throw argError('source', source, '{ size, read(offset, length) } of a NetCDF3 file');
  }
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object');
  const known = options.scan;
  if (known !== undefined && (known === null || typeof known !== 'object' || typeof known.maxSpeed !== 'number' || !(known.maxSpeed >= 0) || !Number.isFinite(known.maxSpeed) || !Array.isArray(known.implausible))) {
    throw argError('options.scan', known, "an earlier opening's frames.scan: { maxSpeed ≥ 0 (m/s), implausible: [] }");
  }
  const size = source.size;
  const magic = size >= 4 ? await source.read(0, 4) : new Uint8Array(0);
  if (!(magic[0] === 0x43 && magic[1] === 0x44 && magic[2] === 0x46 && (magic[3] === 1 || magic[3] === 2))) {
    throw new HazetraceError('E_FORMAT', 'windowed reading needs a NetCDF3 file (classic "CDF\\x01" or 64-bit offset "CDF\\x02"); read NetCDF4/HDF5 whole with readNetcdfWind', { argument: 'source' });
  }
  const { NetCDFReader } = await import('netcdfjs');
  // The header is read from a growing prefix until it parses.
  let r: Nc3Reader | undefined;
  for (let n = Math.min(size, 1 << 16); ; n = Math.min(size, n * 4)) {
    const head = await source.read(0, n);
    try {
      checkNetcdf3Header(head);
      r = new NetCDFReader(head.buffer.slice(head.byteOffset, head.byteOffset + head.byteLength) as ArrayBuffer);
      break;
    } catch (e) {
      if (n >= size) {
        if (e instanceof HazetraceError) throw e;
        throw formatError('NetCDF3', `corrupt or truncated header (file of ${size} bytes): ${messageOf(e)}`, { section: 'header', size });
      }
    }
  }
  checkNc3Bounds(r, size);
  const nrec = r.recordDimension?.length ?? 0;
  const recordStep = Number((r.recordDimension as { recordStep?: number } | undefined)?.recordStep ?? 0);
  const dimSize = (id: number): number => (r.dimensions[id]!.size === 0 && r.recordDimension?.id === id ? nrec : r.dimensions[id]!.size);
  /** Values of records (first-axis slices) `first..first+count-1` of variable x, as numbers. */
  const values = async (x: Nc3Variable, first: number, count: number): Promise<Float64Array> => {
    const t = NC3_TYPES[x.type];
    if (!t) throw formatError('NetCDF3', `variable ${showValue(x.name)} has type ${x.type}, not numeric`, { section: `variable ${x.name}` });
    const [width, get] = t;
    const per = x.dimensions.length === 0 ? 1 : x.dimensions.slice(1).reduce((m, id) => m * dimSize(id), 1);
    const out = new Float64Array(count * per);
    const step = x.record ? recordStep : per * width;
    // records per read: a block of about READ_BLOCK bytes
    const batch = Math.max(1, Math.floor(READ_BLOCK / Math.max(step, 1)));
    for (let a = 0; a < count; a += batch) {
      const n = Math.min(batch, count - a);
      const at = Number(x.offset) + (first + a) * step;
      const bytes = await source.read(at, (n - 1) * step + per * width);
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < n; i++) for (let j = 0; j < per; j++) out[(a + i) * per + j] = get(dv, i * step + j * width);
    }
    return out;
  };
  const variable = (name: string): Nc3Variable => {
    const x = r.variables.find((y) => y.name === name);
    if (!x) throw formatError('NetCDF3', `no variable ${showValue(name)}`, { section: 'header' });
    return x;
  };
  // coordinate variables (at most one axis) are read whole; u and v only by frames
  const coords = new Map<string, Float64Array>();
  for (const x of r.variables) {
    if (x.dimensions.length <= 1 && x.type !== 'char') coords.set(x.name, await values(x, 0, x.dimensions.length === 0 ? 1 : dimSize(x.dimensions[0]!)));
  }
  const file = nc3File(r, (name) => {
    const c = coords.get(name);
    if (!c) throw formatError('NetCDF3', `variable ${showValue(name)} is read by frames`, { section: `variable ${name}` });
    return c;
  });
  const L = fieldLayout(file, options);
  const frameValues = L.nz * L.ny * L.nx;
  const uVar = variable(L.uVar);
  const vVar = variable(L.vVar);
  const pu = packingOf(file, L.uVar);
  const pv = packingOf(file, L.vVar);
  const nk = L.keep.length;
  const frame = L.ny * L.nx;
  /** Unpack usable frames k0..k1-1 of u and v into uOut/vOut (frame k at (k - outFirst)·frame). */
  const readFrames = async (k0: number, k1: number, uOut: Float32Array, vOut: Float32Array, outFirst: number, implausible: RejectedRow[]): Promise<void> => {
    const per = Math.max(1, Math.floor(READ_BLOCK / (frameValues * 8)));
    for (let a = k0; a < k1; a += per) {
      const b = Math.min(k1, a + per);
      const f0 = L.keep[a]!;
      const f1 = L.keep[b - 1]! + 1;
      for (const [x, p, out] of [[uVar, pu, uOut], [vVar, pv, vOut]] as const) {
        const raw = await values(x, f0, f1 - f0);
        unpackFrames(raw, f0, L, p, x.name, a, b, out, outFirst, implausible);
      }
    }
  };
  // one pass over the file: the largest speed and the implausible values (nothing kept), unless given
  const implausible: RejectedRow[] = known ? known.implausible.map((r) => ({ ...r })) : [];
  let maxSpeed = known ? known.maxSpeed : 0;
  if (!known) {
    const chunk = Math.max(1, Math.floor(READ_BLOCK / (frameValues * 8)));
    const uBuf = new Float32Array(chunk * frame);
    const vBuf = new Float32Array(chunk * frame);
    for (let a = 0; a < nk; a += chunk) {
      const b = Math.min(nk, a + chunk);
      await readFrames(a, b, uBuf, vBuf, a, implausible);
      for (let i = 0, n = (b - a) * frame; i < n; i++) {
        const sp = Math.hypot(uBuf[i]!, vBuf[i]!);
        if (sp > maxSpeed) maxSpeed = sp;
      }
    }
  }
  // sorted by frame, u before v within a frame: as readNetcdfWind lists them
  const rejected = [...L.decoded.rejected, ...implausible].sort((a, b) => a.row - b.row);
  const times = L.times;
  // Every window's field is made from one template (checked once; it then holds one frame) and arrays holding only
  // the window's frames: memory and the garbage each window leaves follow the window, not the file (full-length
  // arrays per window cost 50-70 % more CPU in V8 collections of external memory, docs/batch.md).
  let template: FrameWindowField | undefined;
  return {
    times,
    calendar: L.decoded.calendar,
    rejected,
    maxSpeed,
    frameBytes: frame * 8,
    scan: { maxSpeed, implausible: implausible.map((r) => ({ ...r })) },
    async field(from: number, to: number): Promise<FrameWindowField> {
      if (typeof from !== 'number' || typeof to !== 'number' || Number.isNaN(from) || Number.isNaN(to) || !(from <= to)) {
        throw argError('from', from, `a time range from ≤ to (UTC ms; to is ${showValue(to)})`);
      }
      // last frame at or before `from`, first frame at or after `to` (clamped to the file)
      const [k0, k1] = framesCovering(times, from, to);
      // Built once over zero-filled full-length arrays (never written: no memory pages; the constructor's pass reads
      // the zero page), then kept with one frame, so they are freed: V8 counted them as external memory all run
      // (dropping them moved no measured peak, docs/batch.md "Memory as the season grows").
      template ??= (makeField(L, options, new Float32Array(nk * frame), new Float32Array(nk * frame), (o) => new FrameWindowField(o, { maxSpeed, loaded: [times[0]!, times[0]!] })) as FrameWindowField)
        .withFrames(new Float32Array(frame), new Float32Array(frame), [times[0]!, times[0]!], 0);
      // one frame more each side than the loaded ones: a time on frame k0 whose index rounds just below k0 still
      // reads real values (with weight ~0), as the whole field does
      const a = Math.max(0, k0 - 1);
      const b = Math.min(nk - 1, k1 + 1);
      const u = new Float32Array((b + 1 - a) * frame);
      const v = new Float32Array((b + 1 - a) * frame);
      await readFrames(a, b + 1, u, v, a, []);
      return template.withFrames(u, v, [times[k0]!, times[k1]!], a);
    },
  };
}
