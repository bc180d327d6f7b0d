/**
 * `sampleType: 'native'`: bands in the file's own typed array. Every GDAL-made fixture in test/fixtures/geotiff/
 * (scripts/fixtures/make-geotiff.sh) must read, through both readers and both inflaters, whole image and a window
 * crossing block edges, into the typed array class of its sample type, with values equal to the default float64
 * output value for value and to GDAL's ReadAsArray (the SHA-256 of the values as float64 in expected.json).
 * Also: band subsets, NoData, the geotiff.js fallback, a bad option value (E_ARG), and the declared types.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readGeoTiff, type GeoTiffOptions, type NativeBand, type Raster } from '../../src/io/geotiff.js';
import { setSyncInflate } from '../../src/io/tiff/inflate.js';
import { useStockDecompression } from './helpers.js';
import { nodeInflate } from '../../src/node/inflate.js';
import { readGeoTiffFile } from '../../src/node/index.js';
import { HazetraceError } from '../../src/core/errors.js';

const dir = resolve(import.meta.dirname, '../fixtures/geotiff');
interface Case { bands: number; window: [number, number, number, number]; noData: number | null; sha256: string[]; windowSha256: string[] }
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { cases: Record<string, Case> };
const names = Object.keys(expected.cases);
const bytes = (name: string): Uint8Array => readFileSync(join(dir, `${name}.tif`));
const file = (name: string): string => join(dir, `${name}.tif`);
/** SHA-256 of a band's values as little-endian float64, as expected.json records GDAL's. */
const sha64 = (a: NativeBand): string => {
  const f = a instanceof Float64Array ? a : Float64Array.from(a);
  return createHash('sha256').update(new Uint8Array(f.buffer, f.byteOffset, f.byteLength)).digest('hex');
};

/** The typed array class each fixture's sample type must give (from the generator's CASES table). */
const CLASS: Record<string, string> = {
  deflate_tiled_f32: 'Float32Array',
  deflate_strip_i16: 'Int16Array',
  lzw_tiled_u8: 'Uint8Array',
  lzw_strip_pred2_i32: 'Int32Array',
  lzw_strip_pred2_u16: 'Uint16Array',
  deflate_tiled_pred3_f32: 'Float32Array',
  lzw_strip_pred3_f64: 'Float64Array',
  planar_3band_u16: 'Uint16Array',
  chunky_3band_i16_pred2: 'Int16Array',
  chunky_2band_pred3_f32: 'Float32Array',
  nodata_strip_f32: 'Float32Array',
  signed_byte_lzw: 'Int8Array',
  uncompressed_tiled_f32: 'Float32Array',
  uncompressed_strip_u32: 'Uint32Array',
  bigendian_lzw_pred2_i16: 'Int16Array',
  bigendian_deflate_pred3_f32: 'Float32Array',
  zip_old_code_f32: 'Float32Array',
  chunky_3band_u8_deflate: 'Uint8Array',
  chunky_4band_i8: 'Int8Array',
};

/** native equals float64 value for value, has the file's class, and matches GDAL's hashes. */
function same(name: string, native: Raster<NativeBand>, f64: Raster, gdal: string[]): void {
  expect(native.decoder).toBe('fast');
  expect(native.bands.length).toBe(f64.bands.length);
  expect(native.width).toBe(f64.width);
  expect(native.height).toBe(f64.height);
  expect(native.noData).toBe(f64.noData);
  native.bands.forEach((b, k) => {
    expect(b.constructor.name, `${name} band ${k}`).toBe(CLASS[name]);
    expect(b.length).toBe(native.width * native.height);
    const f = f64.bands[k]!;
    let diff = -1;
    for (let i = 0; i < b.length; i++) {
      if (!Object.is(b[i], f[i])) {
        diff = i;
        break;
      }
    }
    expect(diff, `${name} band ${k}: first value that differs from the float64 output`).toBe(-1);
  });
  expect(native.bands.map(sha64)).toEqual(gdal);
}

describe("sampleType: 'native' equals the float64 output and GDAL on every fixture", () => {
  it('covers every fixture', () => {
    expect(names.sort()).toEqual(Object.keys(CLASS).sort());
  });
  describe('with Node zlib', () => {
    beforeAll(() => setSyncInflate(nodeInflate));
    for (const name of names) {
      const e = expected.cases[name]!;
      it(`${name}: whole image, bytes`, async () => {
        same(name, await readGeoTiff(bytes(name), { sampleType: 'native' }), await readGeoTiff(bytes(name)), e.sha256);
      });
      it(`${name}: window, bytes`, async () => {
        same(name, await readGeoTiff(bytes(name), { sampleType: 'native', window: e.window }), await readGeoTiff(bytes(name), { window: e.window }), e.windowSha256);
      });
      it(`${name}: whole image and window, file`, async () => {
        same(name, await readGeoTiffFile(file(name), { sampleType: 'native' }), await readGeoTiffFile(file(name)), e.sha256);
        same(name, await readGeoTiffFile(file(name), { sampleType: 'native', window: e.window }), await readGeoTiffFile(file(name), { window: e.window }), e.windowSha256);
      });
    }
  });
  describe('with the stock DecompressionStream (no sync inflater)', () => {
    useStockDecompression();
    for (const name of names) {
      const e = expected.cases[name]!;
      it(`${name}: whole image and window`, async () => {
        same(name, await readGeoTiff(bytes(name), { sampleType: 'native' }), await readGeoTiff(bytes(name)), e.sha256);
        same(name, await readGeoTiff(bytes(name), { sampleType: 'native', window: e.window }), await readGeoTiff(bytes(name), { window: e.window }), e.windowSha256);
      });
    }
  });
  it("sampleType: 'float64' is the default output", async () => {
    const r = await readGeoTiff(bytes('deflate_strip_i16'), { sampleType: 'float64' });
    expect(r.bands[0]).toBeInstanceOf(Float64Array);
    expect(r.bands.map(sha64)).toEqual(expected.cases.deflate_strip_i16!.sha256);
  });
});

describe('band subsets', () => {
  for (const name of ['planar_3band_u16', 'chunky_3band_i16_pred2', 'chunky_2band_pred3_f32', 'chunky_3band_u8_deflate', 'chunky_4band_i8']) {
    it(`${name}: reordered and single bands, whole image and window, both readers`, async () => {
      const e = expected.cases[name]!;
      const pick = e.bands === 4 ? [3, 0, 2] : e.bands === 3 ? [2, 0] : [1];
      const whole = await readGeoTiff(bytes(name), { sampleType: 'native', bands: pick });
      same(name, whole, await readGeoTiff(bytes(name), { bands: pick }), pick.map((b) => e.sha256[b]!));
      const win = await readGeoTiffFile(file(name), { sampleType: 'native', bands: pick, window: e.window });
      same(name, win, await readGeoTiffFile(file(name), { bands: pick, window: e.window }), pick.map((b) => e.windowSha256[b]!));
    });
  }
});

describe('NoData is unchanged', () => {
  it('the float32 NoData fixture: same noData, same NoData pixels, isNoData works on native values', async () => {
    const n = await readGeoTiff(bytes('nodata_strip_f32'), { sampleType: 'native' });
    const f = await readGeoTiff(bytes('nodata_strip_f32'));
    expect(n.noData).toBe(-9999);
    expect(n.bands[0]).toBeInstanceOf(Float32Array);
    let count = 0;
    for (let i = 0; i < f.bands[0]!.length; i++) {
      expect(n.isNoData(n.bands[0]![i]!)).toBe(f.isNoData(f.bands[0]![i]!));
      if (n.isNoData(n.bands[0]![i]!)) count++;
    }
    // the generator sets NoData where (7x + 3y) % 23 == 0
    let want = 0;
    for (let y = 0; y < n.height; y++) for (let x = 0; x < n.width; x++) if ((7 * x + 3 * y) % 23 === 0) want++;
    expect(count).toBe(want);
  });
});

describe('files the fast path declines (geotiff.js)', () => {
  it('a PackBits byte image comes back as a Uint8Array with the same values', async () => {
    const { makeTiff } = await import('./tiff-bytes.js');
    const packed = Uint8Array.from([7, 1, 2, 3, 4, 5, 6, 7, 8]);
    const tif = makeTiff({ width: 4, height: 2, pixels: packed, compression: 32773 });
    const r = await readGeoTiff(tif, { sampleType: 'native' });
    expect(r.decoder).toBe('geotiff.js');
    expect(r.bands[0]).toBeInstanceOf(Uint8Array);
    expect(Array.from(r.bands[0]!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await readGeoTiff(tif)).bands[0]).toBeInstanceOf(Float64Array);
  });
});

describe('bad sampleType → E_ARG', () => {
  const bad: unknown[] = ['int16', 'NATIVE', 'float32', '', 1, null, true, {}];
  for (const v of bad) {
    it(`${JSON.stringify(v)}`, async () => {
      const opts = { sampleType: v } as unknown as GeoTiffOptions;
      for (const read of [() => readGeoTiff(bytes('deflate_strip_i16'), opts), () => readGeoTiffFile(file('deflate_strip_i16'), opts)]) {
        const err = await read().then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(HazetraceError);
        expect((err as HazetraceError).code).toBe('E_ARG');
        expect((err as HazetraceError).message).toContain('sampleType');
      }
    });
  }
});

describe('types', () => {
  it('default reads are typed Float64Array[]; native reads NativeBand[] (checked by tsc)', async () => {
    const f: Float64Array[] = (await readGeoTiff(bytes('lzw_tiled_u8'))).bands;
    const o: GeoTiffOptions = { window: [0, 0, 10, 10] };
    const g: Float64Array[] = (await readGeoTiffFile(file('lzw_tiled_u8'), o)).bands;
    const n: NativeBand[] = (await readGeoTiff(bytes('lzw_tiled_u8'), { sampleType: 'native' })).bands;
    // @ts-expect-error a native band is not known to be a Float64Array
    const bad: Float64Array[] = (await readGeoTiffFile(file('lzw_tiled_u8'), { sampleType: 'native' })).bands;
    expect([f[0], g[0], n[0], bad[0]].map((a) => a!.constructor.name)).toEqual(['Float64Array', 'Float64Array', 'Uint8Array', 'Uint8Array']);
  });
});
