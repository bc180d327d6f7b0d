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

export const SHORT = 3;
export const LONG = 4;
export const DOUBLE = 12;

/** One directory entry: tag, field type (SHORT, LONG or DOUBLE) and its values. */
export interface IfdEntry { tag: number; type: number; values: number[] }

const valueBytes = (e: IfdEntry): number => e.values.length * (e.type === SHORT ? 2 : e.type === LONG ? 4 : 8);

/**
 * Where the values longer than 4 bytes go: one after another from byte `from` (each padded to an even length with
 * `even`, as TIFF 6 asks); returns their offsets and the first byte after them.
 */
export function placeIfdValues(entries: readonly IfdEntry[], from: number, even = false): { at: Map<IfdEntry, number>; end: number } {
  const at = new Map<IfdEntry, number>();
  let end = from;
  for (const e of entries) {
    const n = valueBytes(e);
    if (n > 4) {
      at.set(e, end);
      end += n + (even ? n & 1 : 0);
    }
  }
  return { at, end };
}

/**
 * Write the little-endian header (`II`, 42, first IFD at `ifd`) and the directory `entries` at `ifd` (next IFD 0)
 * into `dv`; values longer than 4 bytes at their offsets in `at` ({@link placeIfdValues}), the others inline.
 */
export function writeIfd(dv: DataView, ifd: number, entries: readonly IfdEntry[], at: ReadonlyMap<IfdEntry, number>): void {
  dv.setUint16(0, 0x4949, true);
  dv.setUint16(2, 42, true);
  dv.setUint32(4, ifd, true);
  dv.setUint16(ifd, entries.length, true);
  const put = (p: number, e: IfdEntry): void => {
    e.values.forEach((v, k) => {
      if (e.type === SHORT) dv.setUint16(p + k * 2, v, true);
      else if (e.type === LONG) dv.setUint32(p + k * 4, v, true);
      else dv.setFloat64(p + k * 8, v, true);
    });
  };
  entries.forEach((e, i) => {
    const p = ifd + 2 + i * 12;
    dv.setUint16(p, e.tag, true);
    dv.setUint16(p + 2, e.type, true);
    dv.setUint32(p + 4, e.values.length, true);
    const far = at.get(e);
    if (far === undefined) put(p + 8, e);
    else {
      dv.setUint32(p + 8, far, true);
      put(far, e);
    }
  });
  dv.setUint32(ifd + 2 + entries.length * 12, 0, true);
}

/** Build the bytes of a GeoTIFF per `spec`. */
export function makeTiff(spec: TiffSpec): Uint8Array {
  const { width, height } = spec;
  const pixels = spec.pixels ?? Uint8Array.from({ length: width * height }, (_, i) => i % 251);
  const geoKeys = [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326];
  const scale = [0.1, 0.1, 0];
  const tie = [0, 0, 0, 98, 19, 0];
  const entries: IfdEntry[] = [
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
  const ifdOffset = 8;
  const { at, end: pixelOffset } = placeIfdValues(entries, ifdOffset + 2 + entries.length * 12 + 4);
  entries[5]!.values = [spec.stripOffset ?? pixelOffset];
  const u8 = new Uint8Array(pixelOffset + pixels.length);
  writeIfd(new DataView(u8.buffer), ifdOffset, entries, at);
  u8.set(pixels, pixelOffset);
  return spec.truncateTo !== undefined ? u8.slice(0, spec.truncateTo) : u8;
}
