/**
 * The pieces of the fast GeoTIFF path that reuse buffers and engines: Node's inflater driving one reused zlib
 * engine into a caller's buffer (src/node/inflate.ts), and predictor 2's running-sum loop (src/io/tiff/predictor.ts).
 * Each result is compared with an independent reference (zlib.inflateSync, a plain per-value loop).
 */
import { describe, expect, it } from 'vitest';
import { deflateSync, inflateSync } from 'node:zlib';
import { nodeInflate } from '../../src/node/inflate.js';
import { undoHorizontal } from '../../src/io/tiff/predictor.js';

/** Seeded bytes (xorshift32), compressible enough to look like a strip. */
function strip(n: number, seed: number): Uint8Array {
  const a = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    a[i] = (i >> 3) + (s & 7);
  }
  return a;
}

describe('nodeInflate with a reused engine and buffer', () => {
  it('decodes many streams in a row into one buffer, each equal to inflateSync', () => {
    const out = new Uint8Array(8000 + 1024);
    for (let k = 0; k < 50; k++) {
      const raw = strip(8000 - k * 37, k + 1);
      const z = deflateSync(raw);
      const got = nodeInflate(z, 8000, out);
      expect(got.buffer).toBe(out.buffer);
      expect(Buffer.from(got).equals(inflateSync(z))).toBe(true);
    }
  });

  it('without a buffer returns a fresh copy that later calls do not overwrite', () => {
    const a = nodeInflate(deflateSync(strip(500, 1)), 500);
    const b = nodeInflate(deflateSync(strip(500, 2)), 500);
    expect(Buffer.from(a).equals(Buffer.from(strip(500, 1)))).toBe(true);
    expect(Buffer.from(b).equals(Buffer.from(strip(500, 2)))).toBe(true);
  });

  it('throws zlib errors on a wrong Adler-32, a truncated stream and a bad header, then still decodes', () => {
    const raw = strip(4000, 9);
    const z = deflateSync(raw);
    const out = new Uint8Array(5024);
    const badCheck = Uint8Array.from(z);
    badCheck[badCheck.length - 1]! ^= 1;
    const badHeader = Uint8Array.from(z);
    badHeader[0] = 0;
    expect(() => nodeInflate(badCheck, 4000, out)).toThrow(/incorrect data check/);
    expect(() => nodeInflate(z.subarray(0, z.length - 20), 4000, out)).toThrow(/unexpected end of file/);
    expect(() => nodeInflate(badHeader, 4000, out)).toThrow(/incorrect header check/);
    expect(() => nodeInflate(new Uint8Array(0), 4000, out)).toThrow();
    expect(Buffer.from(nodeInflate(z, 4000, out)).equals(Buffer.from(raw))).toBe(true);
  });

  it('keeps the output cap (2 × expected + 1 KiB) even when the buffer is larger', () => {
    const z = deflateSync(strip(8000, 3));
    expect(() => nodeInflate(z, 3000, new Uint8Array(9024))).toThrow();
  });

  it('accepts a stream longer than the buffer but within the cap (public inflateSync redoes it)', () => {
    const raw = strip(8000, 4);
    const got = nodeInflate(deflateSync(raw), 7000, new Uint8Array(7100));
    expect(got.length).toBe(8000);
    expect(Buffer.from(got).equals(Buffer.from(raw))).toBe(true);
  });
});

describe('undoHorizontal (predictor 2) with one sample per pixel', () => {
  /** Reference: value[i] += value[i - stride] per row, wrapping at the sample width. */
  function reference(vals: number[], rows: number, rowValues: number, stride: number, mod: number): number[] {
    const v = vals.slice();
    for (let r = 0; r < rows; r++) for (let i = stride; i < rowValues; i++) v[r * rowValues + i] = (v[r * rowValues + i]! + v[r * rowValues + i - stride]!) % mod;
    return v;
  }
  for (const bytes of [1, 2, 4] as const) {
    for (const stride of [1, 3]) {
      it(`${bytes * 8}-bit values, stride ${stride}: the same as the per-value reference, with wrap-around`, () => {
        const rows = 5;
        const rowValues = 33;
        const raw = strip(rows * rowValues * bytes, bytes * 10 + stride);
        for (let i = 0; i < raw.length; i += 7) raw[i] = 0xff; // large values: the running sum wraps
        const mod = 2 ** (8 * bytes);
        const T = bytes === 1 ? Uint8Array : bytes === 2 ? Uint16Array : Uint32Array;
        const before = Array.from(new T(raw.buffer as ArrayBuffer, 0, rows * rowValues));
        undoHorizontal(raw, bytes, rows, rowValues, stride);
        expect(Array.from(new T(raw.buffer as ArrayBuffer, 0, rows * rowValues))).toEqual(reference(before, rows, rowValues, stride, mod));
      });
    }
  }
});
