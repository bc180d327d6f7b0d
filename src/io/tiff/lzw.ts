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

// Scratch tables, reused by every call (decoding is synchronous, so calls never overlap).
const START = new Int32Array(TABLE);
const LEN = new Int32Array(TABLE);

/** Bytes of output buffer {@link decodeLzw} needs for a block of `size` decoded bytes. */
export const lzwBufferSize = (size: number): number => size + TABLE + 1;

/**
 * Decode `src` (one compressed strip/tile) into `size` bytes: a view of `scratch` when it is given and at
 * least {@link lzwBufferSize}(size) long (reused from block to block by the caller), else of a new buffer.
 * Output past `size` is dropped (libtiff does the same); a code that is not yet in the table, or data that
 * ends before `size` bytes came out, throws `E_FORMAT` naming `what`.
 */
export function decodeLzw(src: Uint8Array, size: number, what: string, scratch?: Uint8Array): Uint8Array {
  // Slack past `size`: a table string is at most 4096 bytes, so one code never writes past the slack and
  // the hot loop needs no bounds test per byte. The caller gets a view of exactly `size` bytes. Every byte
  // of the view is written before it is read, so a reused scratch buffer needs no clearing.
  const out = scratch && scratch.length >= lzwBufferSize(size) ? scratch : new Uint8Array(lzwBufferSize(size));
  // Each table entry's string already lies in the output: remember where it starts and how long it is.
  const start = START;
  const len = LEN;
  const n = src.length;
  let ip = 0; // next source byte
  let bits = 0; // bit buffer: its low `have` bits are the next bits of the stream, most significant first
  let have = 0;
  let width = 9;
  let mask = 511;
  let next = FIRST;
  let prevStart = -1; // previous code's string (-1: none since the last CLEAR): its output start and length
  let prevLen = 0;
  let p = 0;
  while (p < size) {
    if (have < width) {
      // At most two bytes are needed (width <= 12, have >= 0).
      if (ip < n) {
        bits = (bits << 8) | src[ip++]!;
        have += 8;
        if (have < width && ip < n) {
          bits = (bits << 8) | src[ip++]!;
          have += 8;
        }
      }
      if (have < width) break; // ran out of data without EOI (tolerated like libtiff when the output is full)
    }
    have -= width;
    const code = (bits >>> have) & mask;
    if (code === CLEAR) {
      width = 9;
      mask = 511;
      next = FIRST;
      prevStart = -1;
      continue;
    }
    if (code === EOI) break;
    // The string is written at p; a new entry is the previous string plus this one's first byte, which lie
    // contiguous in the output where the previous string was written.
    let l: number;
    if (code < 256) {
      out[p] = code;
      l = 1;
    } else if (code < next) {
      l = len[code]!;
      const s = start[code]!;
      if (l < 24) {
        for (let i = 0; i < l; i++) out[p + i] = out[s + i]!;
      } else {
        out.copyWithin(p, s, s + l);
      }
    } else if (code === next && prevStart >= 0) {
      // KwKwK: the previous string followed by its own first byte.
      l = prevLen + 1;
      if (prevLen < 24) {
        for (let i = 0; i < prevLen; i++) out[p + i] = out[prevStart + i]!;
      } else {
        out.copyWithin(p, prevStart, prevStart + prevLen);
      }
      out[p + prevLen] = out[prevStart]!;
    } else {
      throw new HazetraceError('E_FORMAT', `GeoTIFF: corrupt LZW pixel data in ${what}: code ${code} is not in the table (next free code ${next})`, { format: 'GeoTIFF', section: what });
    }
    if (prevStart >= 0 && next < TABLE) {
      start[next] = prevStart;
      len[next] = prevLen + 1;
      next++;
      if (next >= mask && width < 12) {
        width++;
        mask = (1 << width) - 1;
      }
    }
    prevStart = p;
    prevLen = l;
    p += l;
  }
  if (p < size) {
    throw new HazetraceError('E_FORMAT', `GeoTIFF: LZW pixel data of ${what} ended after ${p} of ${size} bytes: truncated or corrupt`, { format: 'GeoTIFF', section: what });
  }
  return out.subarray(0, size);
}
