import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import proj4 from 'proj4';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { readGeoTiff } from '../../src/io/index.js';
import { rasterToCells } from '../../src/grid/index.js';

const dir = new URL('../fixtures/grid/', import.meta.url);
const bytes = readFileSync(new URL('linear_32647.tif', dir));
const ref = JSON.parse(readFileSync(new URL('linear_32647_gdal_nearest.json', dir), 'utf8')) as { samples: { cell: string; nearest: number | null }[] };
const utm = '+proj=utm +zone=47 +datum=WGS84 +units=m +no_defs';
/** The fixture's field, v = (x − 480000)/1000 + 2·(y − 2060000)/1000 at pixel centres (see SOURCES.md). */
const field = (x: number, y: number) => (x - 480000) / 1000 + (2 * (y - 2060000)) / 1000;

describe('rasterToCells (UTM 47N GeoTIFF through hazetrace/io)', () => {
  it('nearest equals GDAL gdallocationinfo at every cell centre', async () => {
    const raster = await readGeoTiff(bytes);
    const g = rasterToCells(raster, { res: 6, method: 'nearest', cells: ref.samples.map((s) => s.cell) });
    ref.samples.forEach((s, i) => expect(g.columns.band1![i]).toBe(s.nearest));
  });

  it('bilinear reproduces a linear field exactly (any CRS through proj4), NaN next to NoData', async () => {
    const raster = await readGeoTiff(bytes);
    const g = rasterToCells(raster, { res: 7, method: 'bilinear' });
    expect(g.cells.length).toBeGreaterThan(200);
    let checked = 0, nan = 0;
    g.cells.forEach((c, i) => {
      const [lat, lng] = cellToLatLng(c);
      const [x, y] = proj4('WGS84', utm, [lng, lat]) as [number, number];
      const inner = x > 480500 && x < 539500 && y > 2060500 && y < 2109500;
      const nearHole = x > 489000 && x < 496000 && y > 2094000 && y < 2101000;
      const v = g.columns.band1![i]!;
      if (Number.isNaN(v)) nan++;
      else if (inner && !nearHole) {
        expect(v).toBeCloseTo(field(x, y), 6);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(200);
    expect(nan).toBe(g.missing[0]);
    expect(nan).toBeGreaterThan(0);
  });

  it('mean averages the pixels whose centres fall in each cell (naive h3-js reference)', async () => {
    const raster = await readGeoTiff(bytes);
    const g = rasterToCells(raster, { res: 5, method: 'mean' });
    const acc = new Map<string, { s: number; n: number; all: number }>();
    for (let r = 0; r < raster.height; r++) {
      for (let c = 0; c < raster.width; c++) {
        const [x, y] = [480000 + (c + 0.5) * 1000, 2110000 - (r + 0.5) * 1000];
        const [lng, lat] = proj4(utm, 'WGS84', [x, y]) as [number, number];
        const cell = latLngToCell(lat, lng, 5);
        const e = acc.get(cell) ?? { s: 0, n: 0, all: 0 };
        e.all++;
        const v = raster.bands[0]![r * raster.width + c]!;
        if (v !== -9999) { e.s += v; e.n++; }
        acc.set(cell, e);
      }
    }
    expect(new Set(g.cells)).toEqual(new Set(acc.keys()));
    g.cells.forEach((c, i) => {
      const e = acc.get(c)!;
      expect(g.columns.n_pixels![i]).toBe(e.all);
      expect(g.columns.band1![i]).toBeCloseTo(e.s / e.n, 9);
    });
  });

  it('rejects bad options', async () => {
    const raster = await readGeoTiff(bytes);
    expect(() => rasterToCells(raster, { res: 5, method: 'cubic' as never })).toThrow(/options.method/);
    expect(() => rasterToCells({} as never, { res: 5 })).toThrow(/raster/);
  });
});
