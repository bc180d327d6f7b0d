/**
 * The fast GeoTIFF path (src/io/tiff) against GDAL: every fixture in test/fixtures/geotiff/ (made by
 * scripts/fixtures/make-geotiff.sh) must decode to exactly the values GDAL's ReadAsArray returned
 * (SHA-256 of the values as little-endian float64, whole image and a window crossing block edges, plus
 * a few values by pixel), both with Node's zlib (installed by hazetrace/node) and with the stock
 * DecompressionStream, and through the file reader. Also: the fast path agrees with geotiff.js.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readGeoTiff, type Raster } from '../../src/io/geotiff.js';
import { setSyncInflate } from '../../src/io/tiff/inflate.js';
import { useStockDecompression } from './helpers.js';
import { nodeInflate } from '../../src/node/inflate.js';
import { readGeoTiffFile } from '../../src/node/index.js';
import { fastPathDecline, type TiffLayout } from '../../src/io/tiff/decode.js';

const dir = resolve(import.meta.dirname, '../fixtures/geotiff');
interface Case {
  width: number;
  height: number;
  bands: number;
  window: [number, number, number, number];
  noData: number | null;
  sha256: string[];
  windowSha256: string[];
  samples: [number, number, number][][];
}
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { cases: Record<string, Case> };
const names = Object.keys(expected.cases);
const sha = (a: Float64Array): string => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
const bytes = (name: string): Uint8Array => readFileSync(join(dir, `${name}.tif`));

function checkAgainstGdal(name: string, r: Raster, windowed: boolean): void {
  const e = expected.cases[name]!;
  expect(r.decoder).toBe('fast');
  expect(r.bandCount).toBe(e.bands);
  expect(r.noData).toBe(e.noData);
  expect(r.bands.map(sha)).toEqual(windowed ? e.windowSha256 : e.sha256);
  if (!windowed) {
    e.samples.forEach((s, b) => {
      for (const [c, row, v] of s) expect(r.bands[b]![row * r.width + c], `${name} band ${b} (${c}, ${row})`).toBe(v);
    });
  }
}

describe('fast GeoTIFF path: identical values to GDAL ReadAsArray', () => {
  it('has all the fixtures the brief asks for', () => {
    expect(names.length).toBeGreaterThanOrEqual(16);
  });
  describe('with Node zlib (sync inflate)', () => {
    beforeAll(() => setSyncInflate(nodeInflate));
    for (const name of names) {
      it(`${name}: whole image`, async () => checkAgainstGdal(name, await readGeoTiff(bytes(name)), false));
      it(`${name}: window`, async () => checkAgainstGdal(name, await readGeoTiff(bytes(name), { window: expected.cases[name]!.window }), true));
    }
  });
  describe('with the stock DecompressionStream (no sync inflater, as in a browser)', () => {
    useStockDecompression();
    for (const name of names) {
      it(`${name}: whole image`, async () => checkAgainstGdal(name, await readGeoTiff(bytes(name)), false));
    }
  });
  it('readGeoTiffFile (fetches blocks through the file source) gives the same values', async () => {
    for (const name of ['deflate_tiled_f32', 'lzw_strip_pred2_i32', 'planar_3band_u16']) {
      checkAgainstGdal(name, await readGeoTiffFile(join(dir, `${name}.tif`)), false);
      checkAgainstGdal(name, await readGeoTiffFile(join(dir, `${name}.tif`), { window: expected.cases[name]!.window }), true);
    }
  });
  it('band selection on planar and chunky files picks the right samples', async () => {
    for (const name of ['planar_3band_u16', 'chunky_3band_i16_pred2']) {
      const r = await readGeoTiff(bytes(name), { bands: [2, 0] });
      expect(r.bands.map(sha)).toEqual([expected.cases[name]!.sha256[2], expected.cases[name]!.sha256[0]]);
    }
  });
  it('NoData pixels come through as the NoData value', async () => {
    const r = await readGeoTiff(bytes('nodata_strip_f32'));
    const n = r.bands[0]!.reduce((k, v) => k + (r.isNoData(v) ? 1 : 0), 0);
    // the generator sets NoData where (7x + 3y) % 23 == 0
    let want = 0;
    for (let y = 0; y < r.height; y++) for (let x = 0; x < r.width; x++) if ((7 * x + 3 * y) % 23 === 0) want++;
    expect(n).toBe(want);
  });
});

describe('fast path declines what it does not decode (geotiff.js reads it)', () => {
  const base: TiffLayout = {
    width: 10, height: 10, tiled: false, blockWidth: 10, blockHeight: 10, samples: 1, planar: 1, bits: [16], formats: [1],
    compression: 8, predictor: 1, littleEndian: true, fillOrder: 1, offsets: [8], counts: [20],
  };
  it('accepts the plain layout and names each declined feature', () => {
    expect(fastPathDecline(base)).toBeNull();
    expect(fastPathDecline({ ...base, compression: 7 })).toBe('compression 7');
    expect(fastPathDecline({ ...base, compression: 32773 })).toBe('compression 32773');
    expect(fastPathDecline({ ...base, bits: [12] })).toBe('SampleFormat 1 with 12 bits');
    expect(fastPathDecline({ ...base, bits: [64], formats: [2] })).toBe('SampleFormat 2 with 64 bits');
    expect(fastPathDecline({ ...base, counts: [0] })).toBe('sparse blocks');
    expect(fastPathDecline({ ...base, predictor: 3 })).toBe('predictor 3 on integers');
    expect(fastPathDecline({ ...base, fillOrder: 2 })).toBe('FillOrder 2');
  });
  it('a PackBits file is read by geotiff.js, still correctly', async () => {
    const { makeTiff } = await import('./tiff-bytes.js');
    // PackBits literal run: header n-1 then n bytes; 4x2 image = 8 bytes in one literal run.
    const packed = Uint8Array.from([7, 1, 2, 3, 4, 5, 6, 7, 8]);
    const r = await readGeoTiff(makeTiff({ width: 4, height: 2, pixels: packed, compression: 32773 }));
    expect(r.decoder).toBe('geotiff.js');
    expect(Array.from(r.bands[0]!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
  it('the existing uncompressed fixture goes through the fast path with the same values as geotiff.js', async () => {
    const r = await readGeoTiff(readFileSync(resolve(import.meta.dirname, '../fixtures/io/grid_4326.tif')));
    expect(r.decoder).toBe('fast');
    expect(r.bands[0]![0]).toBe(0.25);
  });
});
