/**
 * A minimal little-endian GeoTIFF writer for hostile-input tests and the reader fuzzer: one 8-bit band,
 * one strip, EPSG:4326 by tie point + pixel scale. Every field that a forged or truncated file could lie
 * about (size, strip offset and byte count, compression, bytes actually present) can be overridden.
 */

export interface TiffSpec {
  width: number;
  height: number;
  /** Pixel bytes (default: width × height bytes 0, 1, 2, …). */
  pixels?: Uint8Array;
  /** Override the StripByteCounts value (default: pixels.length). */
  stripByteCount?: number;
  /** Override the StripOffsets value (default: where the pixels are written). */
  stripOffset?: number;
  /** Compression tag (default 1 = none). */
  compression?: number;
  /** Leave out the georeferencing tags. */
  noGeo?: boolean;
  /** Cut the file to this many bytes at the end. */
  truncateTo?: number;
}

const SHORT = 3;
const LONG = 4;
const DOUBLE = 12;

/** Build the bytes of a GeoTIFF per `spec`. */
export function makeTiff(spec: TiffSpec): Uint8Array {
  const { width, height } = spec;
  const pixels = spec.pixels ?? Uint8Array.from({ length: width * height }, (_, i) => i % 251);
  const geoKeys = [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326];
  const scale = [0.1, 0.1, 0];
  const tie = [0, 0, 0, 98, 19, 0];
  type Entry = { tag: number; type: number; values: number[] };
  const entries: Entry[] = [
    { tag: 256, type: LONG, values: [width] },
    { tag: 257, type: LONG, values: [height] },
    { tag: 258, type: SHORT, values: [8] },
    { tag: 259, type: SHORT, values: [spec.compression ?? 1] },
    { tag: 262, type: SHORT, values: [1] },
    { tag: 273, type: LONG, values: [0] }, // patched below
    { tag: 277, type: SHORT, values: [1] },
    { tag: 278, type: LONG, values: [height] },
    { tag: 279, type: LONG, values: [spec.stripByteCount ?? pixels.length] },
    { tag: 339, type: SHORT, values: [1] },
  ];
  if (!spec.noGeo) {
    entries.push({ tag: 33550, type: DOUBLE, values: scale }, { tag: 33922, type: DOUBLE, values: tie }, { tag: 34735, type: SHORT, values: geoKeys });
  }
  const size = (e: Entry): number => e.values.length * (e.type === SHORT ? 2 : e.type === LONG ? 4 : 8);
  const ifdOffset = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  let extra = ifdOffset + ifdSize;
  const extraAt = new Map<Entry, number>();
  for (const e of entries) {
    if (size(e) > 4) {
      extraAt.set(e, extra);
      extra += size(e);
    }
  }
  const pixelOffset = extra;
  entries[5]!.values = [spec.stripOffset ?? pixelOffset];
  const total = pixelOffset + pixels.length;
  const buf = new ArrayBuffer(total);
  const dv = new DataView(buf);
  const u8 = new Uint8Array(buf);
  u8.set([0x49, 0x49]);
  dv.setUint16(2, 42, true);
  dv.setUint32(4, ifdOffset, true);
  dv.setUint16(ifdOffset, entries.length, true);
  const write = (at: number, e: Entry): void => {
    e.values.forEach((v, k) => {
      if (e.type === SHORT) dv.setUint16(at + k * 2, v, true);
      else if (e.type === LONG) dv.setUint32(at + k * 4, v, true);
      else dv.setFloat64(at + k * 8, v, true);
    });
  };
  entries.forEach((e, i) => {
    const p = ifdOffset + 2 + i * 12;
    dv.setUint16(p, e.tag, true);
    dv.setUint16(p + 2, e.type, true);
    dv.setUint32(p + 4, e.values.length, true);
    const at = extraAt.get(e);
    if (at === undefined) write(p + 8, e);
    else {
      dv.setUint32(p + 8, at, true);
      write(at, e);
    }
  });
  dv.setUint32(ifdOffset + 2 + entries.length * 12, 0, true);
  u8.set(pixels, pixelOffset);
  return spec.truncateTo !== undefined ? u8.slice(0, spec.truncateTo) : u8;
}
