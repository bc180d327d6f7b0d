/**
 * Test helper: a tiny NetCDF-3 classic (CDF-1) writer for small wind fixtures with any time units and calendar,
 * written from Unidata's "NetCDF Classic Format" specification. Non-record variables only; text and double
 * attributes; float or double data. Used by test/wind/calendars.test.ts, the hostile corpus and bench/fuzz-wind.ts.
 */
const NC_DIMENSION = 0x0a;
const NC_VARIABLE = 0x0b;
const NC_ATTRIBUTE = 0x0c;
const NC_CHAR = 2;
const NC_FLOAT = 5;
const NC_DOUBLE = 6;

export interface Nc3Var {
  name: string;
  dims: string[];
  type: 'float' | 'double';
  attrs?: Record<string, string | number>;
  data: ArrayLike<number>;
}

export interface Nc3File {
  dims: Record<string, number>;
  vars: Nc3Var[];
}

class Out {
  bytes: number[] = [];
  i32(x: number): void {
    this.bytes.push((x >>> 24) & 255, (x >>> 16) & 255, (x >>> 8) & 255, x & 255);
  }
  raw(b: ArrayLike<number>): void {
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i]!);
  }
  pad(): void {
    while (this.bytes.length % 4 !== 0) this.bytes.push(0);
  }
  name(s: string): void {
    const b = new TextEncoder().encode(s);
    this.i32(b.length);
    this.raw(b);
    this.pad();
  }
}

function attrs(o: Out, a: Record<string, string | number> | undefined): void {
  const entries = Object.entries(a ?? {});
  if (entries.length === 0) {
    o.i32(0);
    o.i32(0);
    return;
  }
  o.i32(NC_ATTRIBUTE);
  o.i32(entries.length);
  for (const [k, v] of entries) {
    o.name(k);
    if (typeof v === 'string') {
      const b = new TextEncoder().encode(v);
      o.i32(NC_CHAR);
      o.i32(b.length);
      o.raw(b);
      o.pad();
    } else {
      o.i32(NC_DOUBLE);
      o.i32(1);
      const dv = new DataView(new ArrayBuffer(8));
      dv.setFloat64(0, v);
      o.raw(new Uint8Array(dv.buffer));
    }
  }
}

/** Encode a NetCDF-3 classic file. */
export function writeNc3(file: Nc3File): Uint8Array {
  const dimNames = Object.keys(file.dims);
  const sizeOf = (v: Nc3Var): number => v.dims.reduce((n, d) => n * file.dims[d]!, 1) * (v.type === 'float' ? 4 : 8);
  const header = (offsets: number[]): Out => {
    const o = new Out();
    o.raw([0x43, 0x44, 0x46, 0x01]);
    o.i32(0); // numrecs
    o.i32(NC_DIMENSION);
    o.i32(dimNames.length);
    for (const d of dimNames) {
      o.name(d);
      o.i32(file.dims[d]!);
    }
    o.i32(0); // no global attributes
    o.i32(0);
    o.i32(NC_VARIABLE);
    o.i32(file.vars.length);
    file.vars.forEach((v, k) => {
      o.name(v.name);
      o.i32(v.dims.length);
      for (const d of v.dims) o.i32(dimNames.indexOf(d));
      attrs(o, v.attrs);
      o.i32(v.type === 'float' ? NC_FLOAT : NC_DOUBLE);
      const size = sizeOf(v);
      o.i32(size + ((4 - (size % 4)) % 4));
      o.i32(offsets[k] ?? 0);
    });
    return o;
  };
  const hlen = header([]).bytes.length;
  const offsets: number[] = [];
  let at = hlen;
  for (const v of file.vars) {
    offsets.push(at);
    const size = sizeOf(v);
    at += size + ((4 - (size % 4)) % 4);
  }
  const o = header(offsets);
  for (const v of file.vars) {
    const dv = new DataView(new ArrayBuffer(sizeOf(v)));
    for (let i = 0; i < v.data.length; i++) {
      if (v.type === 'float') dv.setFloat32(i * 4, v.data[i]!);
      else dv.setFloat64(i * 8, v.data[i]!);
    }
    o.raw(new Uint8Array(dv.buffer));
    o.pad();
  }
  return Uint8Array.from(o.bytes);
}

/**
 * A 2 × 2 wind grid (lat 18–19, lon 98–99) with `times` in `units` and `calendar`; u = 1 + frame index, v = 0.
 * `calendar` undefined writes no calendar attribute.
 */
export function windNc3(times: readonly number[], units: string, calendar?: string, extra: { u?: number[] } = {}): Uint8Array {
  const nt = times.length;
  const u = extra.u ?? Array.from({ length: nt * 4 }, (_, i) => 1 + Math.floor(i / 4));
  const timeAttrs: Record<string, string> = { units };
  if (calendar !== undefined) timeAttrs['calendar'] = calendar;
  return writeNc3({
    dims: { time: nt, latitude: 2, longitude: 2 },
    vars: [
      { name: 'time', dims: ['time'], type: 'double', attrs: timeAttrs, data: times },
      { name: 'latitude', dims: ['latitude'], type: 'double', attrs: { units: 'degrees_north' }, data: [18, 19] },
      { name: 'longitude', dims: ['longitude'], type: 'double', attrs: { units: 'degrees_east' }, data: [98, 99] },
      { name: 'u10', dims: ['time', 'latitude', 'longitude'], type: 'float', attrs: { units: 'm s-1' }, data: u },
      { name: 'v10', dims: ['time', 'latitude', 'longitude'], type: 'float', attrs: { units: 'm s-1' }, data: new Array(nt * 4).fill(0) },
    ],
  });
}
