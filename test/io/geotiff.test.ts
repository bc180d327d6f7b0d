import { describe, expect, it } from 'vitest';
import { epsgToProj4, readGeoTiff } from '../../src/io/index.js';
import { readGeoTiffFile } from '../../src/node/index.js';
import { expectCodeAsync, fixture, fixtureText, FIXTURES } from './helpers.js';

interface RefFile {
  size: [number, number];
  geoTransform: number[];
  bands: number;
  noData: number | null;
  bandDescriptions: string[];
  pixels: { col: number; row: number; values: number[]; lng: number; lat: number }[];
  lngLat: { lng: number; lat: number; pixel: number; line: number; value: number }[];
}
const ref = JSON.parse(fixtureText('geotiff_gdal_reference.json')) as { files: Record<string, RefFile> };
/**
 * The CRS scripts/make-geotiff-fixtures.sh warped grid_aea_custom.tif to (no EPSG code). Spelled with
 * explicit +x_0/+y_0: proj4js 2.x's aea returns NaN when they are left to default.
 */
const AEA = '+proj=aea +lat_1=15 +lat_2=20 +lat_0=10 +lon_0=100 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs';
const optionsFor = (name: string): { proj4?: string } => (name === 'grid_aea_custom.tif' ? { proj4: AEA } : {});

describe('readGeoTiff against GDAL (gdallocationinfo / gdaltransform output recorded by scripts/make-geotiff-fixtures.sh)', () => {
  for (const [name, e] of Object.entries(ref.files)) {
    it(`${name}: size, geotransform, NoData, band descriptions, values and coordinates at sample pixels`, async () => {
      const r = await readGeoTiff(fixture(name), optionsFor(name));
      expect([r.width, r.height]).toEqual(e.size);
      expect(r.bandCount).toBe(e.bands);
      r.geoTransform.forEach((v, i) => expect(v).toBeCloseTo(e.geoTransform[i]!, 9));
      expect(r.noData).toBe(e.noData ?? null);
      expect(r.bandDescriptions.map((d) => d ?? '')).toEqual(e.bandDescriptions);
      for (const p of e.pixels) {
        // gdallocationinfo prints values with 15 significant digits.
        r.bands.forEach((b, k) => expect(b[p.row * r.width + p.col]).toBeCloseTo(p.values[k]!, 6));
        const [lng, lat] = r.pixelToLngLat(p.col, p.row);
        expect(Math.abs(lng - p.lng)).toBeLessThan(1e-9);
        expect(Math.abs(lat - p.lat)).toBeLessThan(1e-9);
      }
      for (const q of e.lngLat) {
        const [c, rr] = r.lngLatToPixel(q.lng, q.lat);
        expect([Math.floor(c), Math.floor(rr)]).toEqual([q.pixel, q.line]);
        expect(r.bands[0]![q.line * r.width + q.pixel]).toBeCloseTo(q.value, 6);
      }
    });
  }

  it('reports the CRS: EPSG code and proj4 (UTM 47N, Indian 1975 with its EPSG:1812 datum shift)', async () => {
    expect((await readGeoTiff(fixture('grid_32647.tif'))).crs).toEqual({ epsg: 32647, proj4: epsgToProj4(32647) });
    const r = await readGeoTiff(fixture('grid_24047.tif'));
    expect(r.crs.epsg).toBe(24047);
    expect(r.crs.proj4).toContain('+towgs84=293,836,318,0.5,1.6,-2.8,2.1');
    expect(epsgToProj4(32747)).toContain('+south');
    expect(epsgToProj4(3857)).toContain('+proj=merc');
    expect(epsgToProj4(2000)).toBeNull();
  });

  it('a CRS without an EPSG code (user-defined Albers) needs options.proj4: E_CRS otherwise', async () => {
    const e = await expectCodeAsync(readGeoTiff(fixture('grid_aea_custom.tif')), 'E_CRS');
    expect(e.message).toMatch(/user-defined/);
    const r = await readGeoTiff(fixture('grid_aea_custom.tif'), { proj4: AEA });
    expect(r.crs).toEqual({ epsg: null, proj4: AEA });
  });

  it('reads windows and band subsets; the window carries its own geotransform', async () => {
    const full = await readGeoTiff(fixture('wind_u_4326.tif'));
    const w = await readGeoTiff(fixture('wind_u_4326.tif'), { window: [2, 1, 5, 4], bands: [2] });
    expect([w.width, w.height, w.bandCount]).toEqual([3, 3, 1]);
    expect(w.bandDescriptions).toEqual(['2025-04-22T06:00:00Z']);
    for (let row = 0; row < 3; row++) for (let col = 0; col < 3; col++) expect(w.bands[0]![row * 3 + col]).toBe(full.bands[2]![(row + 1) * 6 + col + 2]);
    expect(w.pixelToLngLat(0, 0)).toEqual(full.pixelToLngLat(2, 1));
    expect(w.isNoData(NaN)).toBe(true);
    const j = JSON.parse(JSON.stringify(w)) as { bands: number[][]; window: number[] };
    expect(j.window).toEqual([2, 1, 5, 4]);
    expect(j.bands[0]).toHaveLength(9);
  });

  it('accepts a Node Buffer that is a slice of a larger buffer', async () => {
    const bytes = fixture('grid_4326.tif');
    const big = Buffer.alloc(bytes.length + 100, 0xaa);
    bytes.copy(big, 37);
    const r = await readGeoTiff(big.subarray(37, 37 + bytes.length));
    expect(r.bands[0]![0]).toBe(0.25);
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    expect((await readGeoTiff(ab)).bands[0]![0]).toBe(0.25);
  });

  it('a GeoTIFF without georeferencing: E_GEOREF', async () => {
    const e = await expectCodeAsync(readGeoTiff(fixture('no_georef.tif')), 'E_GEOREF');
    expect(e.message).toMatch(/no georeferencing/);
  });

  it('a GeoTIFF whose declared size exceeds the budget: E_BUDGET before decoding; a window inside the budget reads', async () => {
    const e = await expectCodeAsync(readGeoTiff(fixture('huge_sparse.tif')), 'E_BUDGET');
    expect(e.message).toContain('20000 x 20000');
    await expectCodeAsync(readGeoTiff(fixture('grid_4326.tif'), { maxPixels: 79 }), 'E_BUDGET');
    const w = await readGeoTiff(fixture('huge_sparse.tif'), { window: [100, 100, 110, 105] });
    expect(w.bands[0]).toHaveLength(50);
  });

  it('bad arguments, aborts and non-TIFF input give coded errors', async () => {
    await expectCodeAsync(readGeoTiff(fixture('grid_4326.tif'), { window: [0, 0, 11, 1] }), 'E_ARG');
    await expectCodeAsync(readGeoTiff(fixture('grid_4326.tif'), { bands: [1] }), 'E_ARG');
    const ac = new AbortController();
    ac.abort();
    await expectCodeAsync(readGeoTiff(fixture('grid_4326.tif'), { signal: ac.signal }), 'E_ABORTED');
    await expectCodeAsync(readGeoTiff(new TextEncoder().encode('latitude,longitude\n')), 'E_INPUT');
  });

  it('readGeoTiffFile (geotiff fromFile, window reads) gives the same raster', async () => {
    const a = await readGeoTiffFile(`${FIXTURES}/grid_32647.tif`, { window: [3, 4, 9, 10] });
    const b = await readGeoTiff(fixture('grid_32647.tif'), { window: [3, 4, 9, 10] });
    expect(Array.from(a.bands[0]!)).toEqual(Array.from(b.bands[0]!));
    expect(a.geoTransform).toEqual(b.geoTransform);
    await expectCodeAsync(readGeoTiffFile(`${FIXTURES}/huge_sparse.tif`), 'E_BUDGET');
    await expectCodeAsync(readGeoTiffFile(`${FIXTURES}/does-not-exist.tif`), 'E_NOT_FOUND');
  });
});
