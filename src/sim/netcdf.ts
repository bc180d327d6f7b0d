/**
 * A minimal NetCDF-3 classic writer for twin-experiment wind, so a scenario's wind can be handed to
 * `hazetrace attribute --wind FILE.nc` exactly as an ERA5 download is: `u10`/`v10` (time, latitude,
 * longitude) in m/s, latitude north→south as ERA5 writes it, `time` in hours since 1970-01-01 UTC.
 * Written from the format specification (Unidata, "NetCDF Classic Format", CDF-1); browser-safe (returns bytes).
 */
import { HOUR_MS } from '../core/index.js';
import type { WindArrays } from './windgen.js';
import { checkWindArrays } from './check.js';

const NC_DIMENSION = 0x0a;
const NC_VARIABLE = 0x0b;
const NC_ATTRIBUTE = 0x0c;
const NC_CHAR = 2;
const NC_FLOAT = 5;
const NC_DOUBLE = 6;

type Attr = [string, string];
interface Var {
  name: string;
  dims: number[];
  type: typeof NC_FLOAT | typeof NC_DOUBLE;
  attrs: Attr[];
  data: ArrayLike<number>;
}

class Bytes {
  private parts: number[] = [];
  u8(...b: number[]): void {
    this.parts.push(...b);
  }
  i32(x: number): void {
    this.parts.push((x >>> 24) & 255, (x >>> 16) & 255, (x >>> 8) & 255, x & 255);
  }
  name(s: string): void {
    const b = new TextEncoder().encode(s);
    this.i32(b.length);
    this.u8(...b);
    this.pad(b.length);
  }
  pad(n: number): void {
    for (let i = n; i % 4 !== 0; i++) this.parts.push(0);
  }
  get length(): number {
    return this.parts.length;
  }
  bytes(): number[] {
    return this.parts;
  }
}

/**
 * Wind arrays (row 0 southernmost, `[t][row][col]`, UTC ms times) as the bytes of an ERA5-style NetCDF-3 file
 * (`u10`, `v10` float32, m/s; `latitude` descending, `longitude` ascending, degrees; `time` float64 hours since
 * 1970-01-01). `windFromNetcdf` reads it back to the same field (to float32 precision).
 *
 * @example
 * ```ts
 * import { buildScenario, windToNetcdf } from 'hazetrace/sim';
 * import { windFromNetcdf } from 'hazetrace/wind';
 * const sc = buildScenario({ hours: 6 });
 * const field = await windFromNetcdf(windToNetcdf(sc.wind));
 * field.kind; // 'gridded'
 * ```
 */
export function windToNetcdf(w: Pick<WindArrays, 'west' | 'south' | 'dLng' | 'dLat' | 'nx' | 'ny' | 'times' | 'u' | 'v'>): Uint8Array {
  checkWindArrays('w', w);
  const { nx, ny } = w;
  const nt = w.times.length;
  const lat = Float64Array.from({ length: ny }, (_, r) => w.south + (ny - 1 - r) * w.dLat);
  const lng = Float64Array.from({ length: nx }, (_, c) => w.west + c * w.dLng);
  const time = Float64Array.from(w.times, (t) => t / HOUR_MS);
  // Flip rows: the file is north→south like ERA5; the arrays are south→north.
  const flip = (a: ArrayLike<number>): Float32Array => {
    const out = new Float32Array(nt * ny * nx);
    for (let t = 0; t < nt; t++) {
      for (let r = 0; r < ny; r++) {
        const src = (t * ny + (ny - 1 - r)) * nx;
        const dst = (t * ny + r) * nx;
        for (let c = 0; c < nx; c++) out[dst + c] = a[src + c]!;
      }
    }
    return out;
  };
  const dims: [string, number][] = [['time', nt], ['latitude', ny], ['longitude', nx]];
  const vars: Var[] = [
    { name: 'time', dims: [0], type: NC_DOUBLE, attrs: [['units', 'hours since 1970-01-01 00:00:00'], ['calendar', 'gregorian']], data: time },
    { name: 'latitude', dims: [1], type: NC_DOUBLE, attrs: [['units', 'degrees_north']], data: lat },
    { name: 'longitude', dims: [2], type: NC_DOUBLE, attrs: [['units', 'degrees_east']], data: lng },
    { name: 'u10', dims: [0, 1, 2], type: NC_FLOAT, attrs: [['units', 'm s**-1'], ['long_name', '10 metre U wind component']], data: flip(w.u) },
    { name: 'v10', dims: [0, 1, 2], type: NC_FLOAT, attrs: [['units', 'm s**-1'], ['long_name', '10 metre V wind component']], data: flip(w.v) },
  ];
  const size = (v: Var): number => {
    const n = v.dims.reduce((p, d) => p * dims[d]![1], 1) * (v.type === NC_FLOAT ? 4 : 8);
    return n + ((4 - (n % 4)) % 4);
  };
  // The header's length does not depend on the `begin` values (fixed 4-byte ints), so write it twice.
  const header = (begins: number[]): Bytes => {
    const b = new Bytes();
    b.u8(0x43, 0x44, 0x46, 0x01);
    b.i32(0); // numrecs: no record dimension
    b.i32(NC_DIMENSION);
    b.i32(dims.length);
    for (const [name, len] of dims) {
      b.name(name);
      b.i32(len);
    }
    b.i32(NC_ATTRIBUTE);
    b.i32(1);
    b.name('Conventions');
    b.i32(NC_CHAR);
    attrText(b, 'CF-1.6');
    b.i32(NC_VARIABLE);
    b.i32(vars.length);
    vars.forEach((v, i) => {
      b.name(v.name);
      b.i32(v.dims.length);
      for (const d of v.dims) b.i32(d);
      b.i32(NC_ATTRIBUTE);
      b.i32(v.attrs.length);
      for (const [k, val] of v.attrs) {
        b.name(k);
        b.i32(NC_CHAR);
        attrText(b, val);
      }
      b.i32(v.type);
      b.i32(size(v));
      b.i32(begins[i] ?? 0);
    });
    return b;
  };
  const headLen = header([]).length;
  const begins: number[] = [];
  let off = headLen;
  for (const v of vars) {
    begins.push(off);
    off += size(v);
  }
  const head = header(begins).bytes();
  const out = new Uint8Array(off);
  out.set(head, 0);
  const view = new DataView(out.buffer);
  vars.forEach((v, i) => {
    let p = begins[i]!;
    for (let k = 0; k < v.data.length; k++) {
      if (v.type === NC_FLOAT) {
        view.setFloat32(p, v.data[k]!, false);
        p += 4;
      } else {
        view.setFloat64(p, v.data[k]!, false);
        p += 8;
      }
    }
  });
  return out;
}

function attrText(b: Bytes, s: string): void {
  const bytes = new TextEncoder().encode(s);
  b.i32(bytes.length);
  b.u8(...bytes);
  b.pad(bytes.length);
}
