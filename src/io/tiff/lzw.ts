/**
 * TIFF LZW decoder (TIFF 6.0 §13, "new-style": codes read most-significant bit first, 9 to 12 bits wide,
 * the width growing one code early as libtiff and GDAL write it). Decodes one strip or tile straight into
 * a buffer of its known decoded size. @internal
 */
import { HazetraceError } from '../../core/errors.js';

const CLEAR = 256;
const EOI = 257;
const FIRST = 258;
const TABLE = 4096;

/**
 * Decode `src` (one compressed strip/tile) into a new Uint8Array of `size` bytes. Output past `size` is
 * dropped (libtiff does the same); a code that is not yet in the table, or data that ends before `size`
 * bytes came out, throws `E_FORMAT` naming `what`.
 */
export function decodeLzw(src: Uint8Array, size: number, what: string): Uint8Array {
  const out = new Uint8Array(size);
  // Each table entry's string already lies in the output: remember where it starts and how long it is.
  const start = new Int32Array(TABLE);
  const len = new Int32Array(TABLE);
  const n = src.length;
  let bitPos = 0;
  const totalBits = n * 8;
  let width = 9;
  let next = FIRST;
  let prev = -1; // previous code's string: its output start and length
  let prevStart = 0;
  let prevLen = 0;
  let p = 0;
  for (;;) {
    if (bitPos + width > totalBits) break; // ran out of data without EOI (tolerated like libtiff when the output is full)
    // Read `width` bits MSB-first.
    const byte = bitPos >>> 3;
    const word = ((src[byte]! << 16) | ((src[byte + 1] ?? 0) << 8) | (src[byte + 2] ?? 0)) >>> 0;
    const code = (word >>> (24 - (bitPos & 7) - width)) & ((1 << width) - 1);
    bitPos += width;
    if (code === EOI) break;
    if (code === CLEAR) {
      width = 9;
      next = FIRST;
      prev = -1;
      continue;
    }
    // The string is written at p; a new entry is the previous string plus this one's first byte, which lie
    // contiguous in the output where the previous string was written.
    let l: number;
    if (code < 256) {
      if (p < size) out[p] = code;
      l = 1;
    } else if (code < next) {
      l = len[code]!;
      copyWithin(out, p, start[code]!, l, size);
    } else if (code === next && prev >= 0) {
      // KwKwK: the previous string followed by its own first byte.
      l = prevLen + 1;
      copyWithin(out, p, prevStart, prevLen, size);
      if (p + prevLen < size) out[p + prevLen] = out[prevStart]!;
    } else {
      throw new HazetraceError('E_FORMAT', `GeoTIFF: corrupt LZW pixel data in ${what}: code ${code} is not in the table (next free code ${next})`, { format: 'GeoTIFF', section: what });
    }
    if (prev >= 0 && next < TABLE) {
      start[next] = prevStart;
      len[next] = prevLen + 1;
      next++;
      if (next >= (1 << width) - 1 && width < 12) width++;
    }
    prev = code;
    prevStart = p;
    prevLen = l;
    p += l;
    if (p >= size) break;
  }
  if (p < size) {
    throw new HazetraceError('E_FORMAT', `GeoTIFF: LZW pixel data of ${what} ended after ${p} of ${size} bytes: truncated or corrupt`, { format: 'GeoTIFF', section: what });
  }
  return out;
}

/** out[to..to+l) = out[from..from+l), clipped at `size` (the source always ends at or before `to`). */
function copyWithin(out: Uint8Array, to: number, from: number, l: number, size: number): void {
  const end = Math.min(l, size - to);
  if (end <= 0) return;
  if (end < 16) {
    for (let i = 0; i < end; i++) out[to + i] = out[from + i]!;
  } else {
    out.copyWithin(to, from, from + end);
  }
}
