/**
 * Wind from NetCDF as ERA5 and GFS users download it: `u10`/`v10` (or `u`/`v` on a chosen pressure
 * level), the file's own time axis (`time`, or `valid_time` in the 2024+ CDS files), latitude
 * (often north→south), longitude (0–360 or −180–180), `scale_factor`/`add_offset` packing and
 * `_FillValue`/`missing_value` (CF conventions 1.x §2.5.1, §8.1). NetCDF3 files are read with
 * netcdfjs, NetCDF4 (HDF5) files with h5wasm. Both libraries are imported lazily on first use,
 * so importing hazetrace/wind stays light and browser-safe; h5wasm loads its WASM then.
 */
import { HazetraceError, argError, showValue } from '../core/errors.js';
import { GriddedWindField } from './fields.js';

/** Options of {@link windFromNetcdf}. */
export interface NetcdfWindOptions {
  /** Eastward wind variable (default `u10`). */
  uVar?: string;
  /** Northward wind variable (default `v10`). */
  vVar?: string;
  /** Pressure level (the level coordinate's value, e.g. 850) when the variables have a level axis. */
  level?: number;
}

/** The little of a NetCDF file this reader needs, over netcdfjs or h5wasm. */
interface NcFile {
  names: string[];
  /** Dimension names of a variable, when the file says. */
  dims(name: string): string[] | null;
  shape(name: string): number[];
  attr(name: string, attr: string): number | string | undefined;
  data(name: string): ArrayLike<number>;
  close(): void;
}

const TIME_NAMES = ['valid_time', 'time', 'Time', 't'];
const LAT_NAMES = ['latitude', 'lat', 'Latitude', 'y'];
const LNG_NAMES = ['longitude', 'lon', 'Longitude', 'x'];
const LEVEL_NAMES = ['pressure_level', 'level', 'isobaricInhPa', 'plev', 'lev', 'isobaric'];

function flatten(a: unknown): number[] | ArrayLike<number> {
  if (Array.isArray(a) && a.length > 0 && (Array.isArray(a[0]) || ArrayBuffer.isView(a[0]))) {
    const out: number[] = [];
    for (const rec of a as ArrayLike<number>[]) for (let i = 0; i < rec.length; i++) out.push(Number(rec[i]));
    return out;
  }
  return a as ArrayLike<number>;
}

async function openNetcdf3(bytes: Uint8Array): Promise<NcFile> {
  const { NetCDFReader } = await import('netcdfjs');
  const r = new NetCDFReader(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const dimName = (id: number): string => r.dimensions[id]!.name;
  const nrec = r.recordDimension?.length ?? 0;
  const v = (name: string) => r.variables.find((x) => x.name === name)!;
  return {
    names: r.variables.map((x) => x.name),
    dims: (name) => v(name).dimensions.map(dimName),
    shape: (name) => v(name).dimensions.map((id) => (r.dimensions[id]!.size === 0 ? nrec : r.dimensions[id]!.size)),
    attr: (name, a) => {
      const attrs = v(name).attributes as unknown as { name: string; value: unknown }[];
      const at = attrs.find((x) => x.name === a);
      if (!at) return undefined;
      const val = at.value as unknown;
      if (typeof val === 'string' || typeof val === 'number') return val;
      if (Array.isArray(val) || ArrayBuffer.isView(val)) return Number((val as ArrayLike<number>)[0]);
      return undefined;
    },
    data: (name) => flatten(r.getDataVariable(name)),
    close: () => undefined,
  };
}

let h5Counter = 0;

async function openHdf5(bytes: Uint8Array): Promise<NcFile> {
  const h5 = await import('h5wasm');
  const Module = await h5.ready;
  const path = `/hazetrace-${Date.now()}-${h5Counter++}.nc`;
  Module.FS.writeFile(path, bytes);
  const f = new h5.File(path, 'r');
  const names = f.keys();
  const ds = (name: string): InstanceType<typeof h5.Dataset> => {
    const d = f.get(name);
    if (!(d instanceof h5.Dataset)) throw new HazetraceError('E_FORMAT', `NetCDF4 variable ${showValue(name)} is not a dataset`, { argument: name });
    return d;
  };
  const attrOf = (name: string, a: string): number | string | undefined => {
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
  };
  // netCDF-4 records each dimension's id on its dimension-scale dataset (_Netcdf4Dimid) and each
  // variable's dimension ids in order (_Netcdf4Coordinates): enough to name a variable's axes.
  const dimById = new Map<number, string>();
  for (const n of names) {
    const id = f.get(n) instanceof h5.Dataset ? attrOf(n, '_Netcdf4Dimid') : undefined;
    if (typeof id === 'number') dimById.set(id, n);
  }
  return {
    names,
    dims: (name) => {
      const at = ds(name).attrs['_Netcdf4Coordinates'];
      if (!at) return (ds(name).shape ?? []).length === 1 ? [name] : null;
      const ids = Array.from(at.value as ArrayLike<number>, Number);
      const out = ids.map((id) => dimById.get(id));
      return out.every((x): x is string => x !== undefined) ? out : null;
    },
    shape: (name) => (ds(name).shape ?? []).map(Number),
    attr: attrOf,
    data: (name) => {
      const v = ds(name).value as unknown;
      if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Array.from(v, Number);
      return v as ArrayLike<number>;
    },
    close: () => {
      f.close();
      try {
        Module.FS.unlink(path);
      } catch {
        /* already gone */
      }
    },
  };
}

/**
 * Parse CF time units, e.g. `hours since 1900-01-01 00:00:00.0`, into [ms per unit, epoch ms].
 *
 * @example
 * ```ts
 * import { parseCfTimeUnits } from 'hazetrace/wind';
 * parseCfTimeUnits('seconds since 1970-01-01'); // [1000, 0]
 * ```
 */
export function parseCfTimeUnits(units: string): [number, number] {
  const m = /^\s*(seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|d)\s+since\s+(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d*)?)?)?\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i.exec(
    units,
  );
  if (!m) throw new HazetraceError('E_FORMAT', `time units must be CF "<unit> since <date>", got ${showValue(units)}`, { value: units });
  const u = m[1]!.toLowerCase();
  const scale = u.startsWith('s') ? 1000 : u.startsWith('m') ? 60_000 : u.startsWith('h') ? 3_600_000 : 86_400_000;
  let epoch = Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]), Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0));
  const z = m[8];
  if (z && z !== 'Z' && z.toUpperCase() !== 'UTC') {
    const zm = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(z)!;
    const off = (Number(zm[2]) * 60 + Number(zm[3] ?? 0)) * (zm[1] === '-' ? -1 : 1);
    epoch -= off * 60_000;
  }
  return [scale, epoch];
}

function findName(file: NcFile, candidates: readonly string[]): string | undefined {
  return candidates.find((c) => file.names.includes(c));
}

function regularAxis(name: string, values: ArrayLike<number>): { start: number; step: number; n: number; reversed: boolean } {
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
 * north→south latitudes, accepts 0–360 longitudes (a longitude axis that spans the globe wraps).
 * Variables must be (time, [level,] latitude, longitude).
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
  const u8 = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : null;
  if (!u8) throw argError('bytes', bytes, 'an ArrayBuffer or Uint8Array of a NetCDF file');
  let file: NcFile;
  if (u8[0] === 0x43 && u8[1] === 0x44 && u8[2] === 0x46) file = await openNetcdf3(u8);
  else if (u8[0] === 0x89 && u8[1] === 0x48 && u8[2] === 0x44 && u8[3] === 0x46) file = await openHdf5(u8);
  else throw new HazetraceError('E_FORMAT', 'bytes are neither NetCDF3 ("CDF") nor NetCDF4/HDF5 ("\\x89HDF")', { argument: 'bytes' });
  try {
    return buildField(file, options);
  } finally {
    file.close();
  }
}

function buildField(file: NcFile, options: NetcdfWindOptions): GriddedWindField {
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
  const [scale, epoch] = parseCfTimeUnits(tUnits);
  const tRaw = file.data(tName);
  const times = Float64Array.from(tRaw, (x) => epoch + Math.round(Number(x) * scale));
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
  if (shape[shape.length - 2] !== ny || shape[shape.length - 1] !== nx || times.length !== nt) {
    throw new HazetraceError('E_FORMAT', `${uVar} shape [${shape}] does not match the axes (time ${times.length}, lat ${ny}, lon ${nx})`, {});
  }
  const unpack = (name: string): Float32Array => {
    const raw = file.data(name);
    const sf = file.attr(name, 'scale_factor');
    const ao = file.attr(name, 'add_offset');
    const fv = file.attr(name, '_FillValue');
    const mv = file.attr(name, 'missing_value');
    const s = typeof sf === 'number' ? sf : 1;
    const o = typeof ao === 'number' ? ao : 0;
    const fill = typeof fv === 'number' ? fv : NaN;
    const miss = typeof mv === 'number' ? mv : NaN;
    const out = new Float32Array(nt * ny * nx);
    const frame = ny * nx;
    for (let t = 0; t < nt; t++) {
      for (let r = 0; r < ny; r++) {
        // row 0 of the output is the southernmost; north→south files are flipped
        const srcRow = lat.reversed ? ny - 1 - r : r;
        const src = ((t * nz + levelIndex) * ny + srcRow) * nx;
        const dst = t * frame + r * nx;
        for (let c = 0; c < nx; c++) {
          const x = Number(raw[src + c]);
          // Fill values are compared packed, before unpacking (CF §2.5.1); float fills are matched at float32 precision.
          const isFill = x === fill || x === miss || Math.fround(x) === Math.fround(fill) || Math.fround(x) === Math.fround(miss) || Number.isNaN(x);
          out[dst + c] = isFill ? NaN : x * s + o;
        }
      }
    }
    return out;
  };
  return new GriddedWindField({
    west,
    south: lat.start,
    dLng: lon.step,
    dLat: lat.step,
    nx,
    ny,
    times,
    u: unpack(uVar),
    v: unpack(vVar),
    wrapLng: global,
  });
}
