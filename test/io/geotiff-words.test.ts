/**
 * Native reads of 1-byte chunky (pixel-interleaved) samples place the bands with 32-bit word stores
 * (`placeRowWords` in src/io/tiff/decode.ts): head bytes until the band index is a multiple of 4, whole words of
 * 4 pixels, tail bytes. These tests write small chunky 8-bit TIFFs of random geometry (own writer below: strips or
 * tiles, uncompressed or deflate, unsigned or signed samples, 2–5 samples per pixel) and check every band of
 * every read against a naive per-pixel reference computed here from the raw pixel bytes written — not against the
 * implementation — and against the float64 output (which still takes the byte loop), value for value.
 * Windows start at every x0 % 4; band subsets come in any order, with repeats.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { readGeoTiff } from '../../src/io/geotiff.js';
import { setSyncInflate } from '../../src/io/tiff/inflate.js';
import { nodeInflate } from '../../src/node/inflate.js';
import { useStockDecompression } from './helpers.js';
import { DOUBLE, LONG, SHORT, placeIfdValues, writeIfd, type IfdEntry } from './tiff-bytes.js';

interface ChunkySpec {
  width: number;
  height: number;
  /** Samples per pixel. */
  spp: number;
  signed: boolean;
  /** Tile size, or null for strips of `rowsPerStrip` rows. */
  tile: [number, number] | null;
  rowsPerStrip: number;
  deflate: boolean;
  /** Raw pixel bytes, row by row, `spp` samples per pixel: byte (y × width + x) × spp + s. */
  pixels: Uint8Array;
  /** Seed of the bytes that pad edge tiles (must never reach a band). */
  padSeed: number;
}


/** A little-endian chunky 8-bit GeoTIFF (EPSG:4326 by tie point + pixel scale) holding `s.pixels`. */
function writeChunky(s: ChunkySpec): Uint8Array {
  const { width, height, spp } = s;
  const [bw, bh] = s.tile ?? [width, s.rowsPerStrip];
  const across = Math.ceil(width / bw);
  const down = Math.ceil(height / bh);
  let pad = s.padSeed >>> 0;
  const padByte = (): number => {
    pad = (Math.imul(pad, 1103515245) + 12345) >>> 0;
    return pad >>> 24;
  };
  const blocks: Uint8Array[] = [];
  for (let ty = 0; ty < down; ty++) {
    for (let tx = 0; tx < across; tx++) {
      // A tile is always bw × bh (padding past the image edge); a strip is full width, the last one shorter.
      const rows = s.tile ? bh : Math.min(bh, height - ty * bh);
      const b = new Uint8Array(bw * rows * spp);
      for (let y = 0; y < rows; y++) {
        for (let x = 0; x < bw; x++) {
          const ix = tx * bw + x, iy = ty * bh + y;
          for (let k = 0; k < spp; k++) {
            b[(y * bw + x) * spp + k] = ix < width && iy < height ? s.pixels[(iy * width + ix) * spp + k]! : padByte();
          }
        }
      }
      blocks.push(s.deflate ? new Uint8Array(deflateSync(b)) : b);
    }
  }
  const n = blocks.length;
  const entries: IfdEntry[] = [
    { tag: 256, type: LONG, values: [width] },
    { tag: 257, type: LONG, values: [height] },
    { tag: 258, type: SHORT, values: new Array<number>(spp).fill(8) },
    { tag: 259, type: SHORT, values: [s.deflate ? 8 : 1] },
    { tag: 262, type: SHORT, values: [1] },
    { tag: 277, type: SHORT, values: [spp] },
    { tag: 284, type: SHORT, values: [1] },
    ...(s.tile
      ? [
          { tag: 322, type: LONG, values: [bw] },
          { tag: 323, type: LONG, values: [bh] },
          { tag: 324, type: LONG, values: new Array<number>(n).fill(0) },
          { tag: 325, type: LONG, values: blocks.map((b) => b.length) },
        ]
      : [
          { tag: 273, type: LONG, values: new Array<number>(n).fill(0) },
          { tag: 278, type: LONG, values: [bh] },
          { tag: 279, type: LONG, values: blocks.map((b) => b.length) },
        ]),
    { tag: 338, type: SHORT, values: new Array<number>(spp - 1).fill(0) },
    { tag: 339, type: SHORT, values: new Array<number>(spp).fill(s.signed ? 2 : 1) },
    { tag: 33550, type: DOUBLE, values: [0.1, 0.1, 0] },
    { tag: 33922, type: DOUBLE, values: [0, 0, 0, 98, 19, 0] },
    { tag: 34735, type: SHORT, values: [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326] },
  ];
  const ifd = 8;
  const { at, end: valuesEnd } = placeIfdValues(entries, ifd + 2 + entries.length * 12 + 4, true);
  let end = valuesEnd;
  // Block data after the directory, one odd byte between blocks so blocks sit at every byte alignment.
  const offsets: number[] = [];
  for (const b of blocks) {
    end += 1;
    offsets.push(end);
    end += b.length;
  }
  entries.find((e) => e.tag === (s.tile ? 324 : 273))!.values = offsets;
  const out = new Uint8Array(end);
  writeIfd(new DataView(out.buffer), ifd, entries, at);
  blocks.forEach((b, i) => out.set(b, offsets[i]!));
  return out;
}

/** Band `sample` of window `win` straight from the raw pixel bytes: the value a reader must return, pixel by pixel. */
function reference(s: ChunkySpec, win: readonly [number, number, number, number], sample: number): number[] {
  const [x0, y0, x1, y1] = win;
  const v: number[] = [];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const b = s.pixels[(y * s.width + x) * s.spp + sample]!;
      v.push(s.signed && b > 127 ? b - 256 : b);
    }
  }
  return v;
}

/** Reads `s` natively and as float64 and checks both, band by band, against the reference. */
async function check(s: ChunkySpec, win: [number, number, number, number], bands: number[]): Promise<void> {
  const tif = writeChunky(s);
  const native = await readGeoTiff(tif, { sampleType: 'native', window: win, bands });
  const f64 = await readGeoTiff(tif, { window: win, bands });
  expect(native.decoder).toBe('fast');
  expect(native.bands.length).toBe(bands.length);
  bands.forEach((sample, k) => {
    const got = native.bands[k]!;
    expect(got).toBeInstanceOf(s.signed ? Int8Array : Uint8Array);
    const want = reference(s, win, sample);
    expect(got.length).toBe(want.length);
    // First differing index (not a 5000-element diff) so a failure says where.
    const bad = want.findIndex((v, i) => got[i] !== v);
    const w = win[2] - win[0];
    expect(bad, `band slot ${k} (sample ${sample}): first wrong value at window x ${bad % w}, y ${Math.floor(bad / w)}`).toBe(-1);
    const byteLoop = f64.bands[k]!;
    expect(want.findIndex((v, i) => byteLoop[i] !== v), `float64 output, band slot ${k}`).toBe(-1);
  });
}

const bytesOf = (n: number, seed: number): Uint8Array => {
  const a = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    a[i] = x & 255;
  }
  return a;
};

/** A random file and read: geometry, layout, window (x0 from any residue mod 4) and band subset. */
const readCase = fc
  .record({
    width: fc.integer({ min: 1, max: 70 }),
    height: fc.integer({ min: 1, max: 70 }),
    spp: fc.integer({ min: 2, max: 5 }),
    signed: fc.boolean(),
    tiled: fc.boolean(),
    tw: fc.integer({ min: 1, max: 40 }),
    th: fc.integer({ min: 1, max: 40 }),
    rowsPerStrip: fc.integer({ min: 1, max: 30 }),
    deflate: fc.boolean(),
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
    // Window corners and band picks as fractions, scaled to the drawn size below.
    wx: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
    wy: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
    picks: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 1, maxLength: 6 }),
    // Half the reads take every sample once, in a random order (the word-load path for 2–4 samples).
    every: fc.boolean(),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
  })
  .map((r) => {
    const s: ChunkySpec = {
      width: r.width, height: r.height, spp: r.spp, signed: r.signed, tile: r.tiled ? [r.tw, r.th] : null, rowsPerStrip: r.rowsPerStrip,
      deflate: r.deflate, pixels: bytesOf(r.width * r.height * r.spp, r.seed), padSeed: r.seed ^ 0x5bd1e995,
    };
    const span = (f: [number, number], n: number): [number, number] => {
      const a = Math.min(n - 1, Math.floor(f[0] * n));
      const b = Math.min(n - 1, Math.floor(f[1] * n));
      return [Math.min(a, b), Math.max(a, b) + 1];
    };
    const [x0, x1] = span(r.wx, r.width);
    const [y0, y1] = span(r.wy, r.height);
    const bands = r.every
      ? Array.from({ length: r.spp }, (_, i) => i).sort((a, b) => r.order[a]! - r.order[b]! || a - b)
      : r.picks.map((p) => Math.floor(p * r.spp));
    return { s, win: [x0, y0, x1, y1] as [number, number, number, number], bands };
  });

describe('1-byte chunky samples placed by 32-bit words equal the per-pixel reference', () => {
  beforeAll(() => setSyncInflate(nodeInflate));

  it('random geometries, layouts, windows and band subsets (fast-check, fixed seed)', async () => {
    await fc.assert(fc.asyncProperty(readCase, async ({ s, win, bands }) => check(s, win, bands)), { seed: 20261203, numRuns: 300 });
  });

  it('every x0 % 4, row lengths 1–9 and whole rows, band subsets and every-sample orders, 2–5 samples, tiles and strips', async () => {
    const all = (spp: number): number[] => Array.from({ length: spp }, (_, i) => i);
    for (const spp of [2, 3, 4, 5]) {
      for (const signed of [false, true]) {
        // Width 37 (odd, so image rows start at every alignment); tiles 13 × 7 and strips of 5 rows. Deflated blocks
        // are decoded into a word-aligned buffer; uncompressed ones are read in place at odd file offsets.
        for (const layout of [{ tile: [13, 7] as [number, number], rowsPerStrip: 1 }, { tile: null, rowsPerStrip: 5 }]) {
          for (const deflate of [false, true]) {
            const s: ChunkySpec = { width: 37, height: 19, spp, signed, ...layout, deflate, pixels: bytesOf(37 * 19 * spp, 99 + spp), padSeed: 7 };
            const subsets = [
              all(spp), [0], [spp - 1, 0], all(spp).reverse(), [1, 0, ...all(spp).slice(2)], [0, 0, 1],
              [...all(spp).slice(1), 0], [1, 0, 2 % spp], [spp - 1, 1, 0, 1 % spp, spp - 1],
            ];
            for (let x0 = 0; x0 < 4; x0++) {
              for (let w = 1; w <= 9; w++) await check(s, [x0, 2, x0 + w, 17], subsets[(w + x0) % subsets.length]!);
              for (const bands of subsets) await check(s, [x0, 0, 37, 19], bands);
            }
          }
        }
      }
    }
  });

  it('the whole-image read of a 256 × 256-tiled 3-band file (the benchmark layout, at small size)', async () => {
    const s: ChunkySpec = { width: 300, height: 40, spp: 3, signed: false, tile: [256, 16], rowsPerStrip: 1, deflate: true, pixels: bytesOf(300 * 40 * 3, 5), padSeed: 3 };
    await check(s, [0, 0, 300, 40], [0, 1, 2]);
    await check(s, [1, 3, 299, 37], [2, 1, 0]);
    await check(s, [4, 3, 297, 37], [1, 2, 0]);
  });
});

describe('the same through the stock DecompressionStream (no sync inflater)', () => {
  useStockDecompression();
  it('random cases (fast-check, fixed seed)', async () => {
    await fc.assert(fc.asyncProperty(readCase, async ({ s, win, bands }) => check(s, win, bands)), { seed: 14, numRuns: 60 });
  });
});
