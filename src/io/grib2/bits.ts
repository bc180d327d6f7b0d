/**
 * Bit-level helpers for GRIB2 sections: big-endian integers (GRIB2 writes signed integers as sign-and-magnitude,
 * WMO Manual on Codes, FM 92 regulation 92.1.5) and an MSB-first bit reader. Browser-safe.
 */
import { HazetraceError } from '../../core/errors.js';

/** Unsigned big-endian integer of `n` (1..6) bytes at `at`. */
export function uint(b: Uint8Array, at: number, n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = x * 256 + b[at + i]!;
  return x;
}

/** Sign-and-magnitude big-endian integer of `n` bytes (the top bit is the sign). */
export function sint(b: Uint8Array, at: number, n: number): number {
  const top = b[at]!;
  let x = top & 0x7f;
  for (let i = 1; i < n; i++) x = x * 256 + b[at + i]!;
  return top & 0x80 ? -x : x;
}

/** IEEE 754 single-precision big-endian float at `at`. */
export function float32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset + at, 4).getFloat32(0, false);
}

/**
 * Unpack `count` unsigned integers of `width` (0..32) bits each, MSB first, starting `bitPos` bits into `b`,
 * into `out[outAt..]`. Returns the bit position after the last value. Bits beyond the end of `b` read as
 * zero; the caller checks lengths first.
 */
export function unpackBits(b: Uint8Array, bitPos: number, width: number, count: number, out: Float64Array | Float32Array | Uint32Array | Int32Array, outAt: number): number {
  if (width === 0) {
    for (let i = 0; i < count; i++) out[outAt + i] = 0;
    return bitPos;
  }
  const len = b.length;
  if (width === 8 && (bitPos & 7) === 0) {
    let p = bitPos >>> 3;
    for (let i = 0; i < count; i++, p++) out[outAt + i] = p < len ? b[p]! : 0;
    return bitPos + 8 * count;
  }
  if (width === 16 && (bitPos & 7) === 0) {
    let p = bitPos >>> 3;
    for (let i = 0; i < count; i++, p += 2) out[outAt + i] = ((p < len ? b[p]! : 0) << 8) | (p + 1 < len ? b[p + 1]! : 0);
    return bitPos + 16 * count;
  }
  if (width <= 25) {
    // a 32-bit window always holds the value: it starts at most 7 bits into its first byte
    const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
    let pos = bitPos;
    const safeEnd = (len - 4) * 8;
    for (let i = 0; i < count; i++, pos += width) {
      const p = pos >>> 3;
      let w: number;
      if (pos < safeEnd) w = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
      else w = (((p < len ? b[p]! : 0) << 24) | ((p + 1 < len ? b[p + 1]! : 0) << 16) | ((p + 2 < len ? b[p + 2]! : 0) << 8) | (p + 3 < len ? b[p + 3]! : 0)) >>> 0;
      out[outAt + i] = (w >>> (32 - width - (pos & 7))) & mask;
    }
    return pos;
  }
  let pos = bitPos;
  for (let i = 0; i < count; i++) {
    let x = 0;
    for (let k = 0; k < width; k++, pos++) {
      const p = pos >>> 3;
      x = x * 2 + (p < len ? (b[p]! >>> (7 - (pos & 7))) & 1 : 0);
    }
    out[outAt + i] = x;
  }
  return pos;
}

/** MSB-first bit reader over a byte array (used by the CCSDS and PNG decoders' slow paths). */
export class BitReader {
  pos: number;
  readonly end: number;
  constructor(
    readonly b: Uint8Array,
    bitPos = 0,
  ) {
    this.pos = bitPos;
    this.end = b.length * 8;
  }
  /** Read `n` (0..32) bits as an unsigned integer; throws when the data run out. */
  bits(n: number, what: string): number {
    if (this.pos + n > this.end) throw new HazetraceError('E_FORMAT', `GRIB2: ${what} runs past the end of its data (bit ${this.pos} of ${this.end})`, { offset: this.pos >>> 3 });
    let x = 0;
    let pos = this.pos;
    const b = this.b;
    while (n > 0) {
      const avail = 8 - (pos & 7);
      const take = avail < n ? avail : n;
      const byte = b[pos >>> 3]!;
      x = x * (1 << take) + ((byte >>> (avail - take)) & ((1 << take) - 1));
      pos += take;
      n -= take;
    }
    this.pos = pos;
    return x;
  }
  align(): void {
    this.pos = Math.ceil(this.pos / 8) * 8;
  }
}
