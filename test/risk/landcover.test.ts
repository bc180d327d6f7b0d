/**
 * Land-cover fractions per H3 cell from a categorical raster (src/risk/landcover.ts).
 *
 * Fixture: test/fixtures/risk/landcover_worldcover_synthetic.tif, a 200 × 150 EPSG:4326 GeoTIFF of 0.002° pixels
 * written by test/fixtures/risk/make_landcover_synthetic.mjs (geotiff.js writer; GDAL is not installed here) from the
 * polygons in landcover_worldcover_synthetic.geojson: WorldCover 10 (forest) in an irregular hexagon, 80 (water) and
 * 50 (built-up) in rectangles, NoData 0 in a corner, 40 (cropland) elsewhere. The fraction of a class in a cell must
 * match the area of (cell ∩ class polygon) / area(cell) computed independently with turf, within 0.01 (the error of
 * counting ~200 m pixel centres; a res-6 cell holds ~850 of them; measured worst 0.0024 over 20 interior cells, while
 * sampling the pixel under the cell centre errs by up to 0.47).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import area from '@turf/area';
import intersect from '@turf/intersect';
import { featureCollection, polygon } from '@turf/helpers';
import { cellToBoundary, latLngToCell } from 'h3-js';
import type { Feature, Polygon } from 'geojson';
import { readGeoTiff } from '../../src/io/index.js';
import { errorCodeOf as code } from '../hostile/helpers.js';
import { WORLDCOVER_LEGEND, landCoverFractions, landCoverLayer, parseLegend } from '../../src/risk/landcover.js';

const bytes = readFileSync(new URL('../fixtures/risk/landcover_worldcover_synthetic.tif', import.meta.url));
const raster = await readGeoTiff(bytes);
const regions = JSON.parse(readFileSync(new URL('../fixtures/risk/landcover_worldcover_synthetic.geojson', import.meta.url), 'utf8')) as {
  features: Feature<Polygon, { class: string; code: number }>[];
};
const region = (name: string) => regions.features.find((f) => f.properties.class === name)!;

function hexPolygon(cell: string) {
  const ring = cellToBoundary(cell, true);
  return polygon([[...ring, ring[0]!]]);
}
function exactShare(cell: string, name: string): number {
  const hex = hexPolygon(cell);
  const inter = intersect(featureCollection([hex, polygon(region(name).geometry.coordinates)]));
  return inter ? area(inter) / area(hex) : 0;
}
/** Cells whose hexagon lies inside the raster (98.9–99.3 E, 18.6–18.9 N) and clear of the NoData block. */
function interiorCells(cells: readonly string[]): string[] {
  return cells.filter((c) => {
    const b = cellToBoundary(c, true);
    const inside = b.every(([x, y]) => x! > 98.9 && x! < 99.3 && y! > 18.6 && y! < 18.9);
    return inside && exactShare(c, 'nodata') === 0;
  });
}


describe('landCoverFractions on the synthetic WorldCover raster', () => {
  const lc = landCoverFractions(raster, { res: 6 });

  it('finds the four classes present, with the legend signs', () => {
    expect(lc.classes).toEqual(['forest', 'cropland', 'built', 'water']);
    expect(lc.signs).toEqual({ lc_forest: 'risk', lc_cropland: 'risk', lc_built: 'protective', lc_water: 'protective' });
    expect(lc.unlisted).toEqual({});
  });

  it('class fractions match turf intersected areas within 0.01 in every interior res-6 cell (a centre sample errs by 0.47)', () => {
    const cells = interiorCells(lc.cells);
    expect(cells.length).toBeGreaterThanOrEqual(8);
    const row = new Map(lc.cells.map((c, i) => [c, i]));
    let worst = 0;
    let partial = 0;
    for (const c of cells) {
      const i = row.get(c)!;
      const forest = exactShare(c, 'forest'), water = exactShare(c, 'water'), built = exactShare(c, 'built');
      if (forest > 0.05 && forest < 0.95) partial++;
      const pairs: [number, number][] = [
        [lc.factors.lc_forest![i]!, forest],
        [lc.factors.lc_water![i]!, water],
        [lc.factors.lc_built![i]!, built],
        [lc.factors.lc_cropland![i]!, 1 - forest - water - built],
      ];
      for (const [got, want] of pairs) worst = Math.max(worst, Math.abs(got - want));
    }
    expect(partial).toBeGreaterThan(0); // cells cut by the forest edge are tested, not only pure ones
    expect(worst).toBeLessThan(0.01); // measured 0.0024
  });

  it('fractions of the listed classes add up to 1 where every pixel is listed', () => {
    for (let i = 0; i < lc.cells.length; i++) {
      const s = lc.factors.lc_forest![i]! + lc.factors.lc_cropland![i]! + lc.factors.lc_built![i]! + lc.factors.lc_water![i]!;
      expect(s).toBeCloseTo(1, 12);
    }
  });

  it('NoData pixels count for nothing: a cell half on NoData reports the shares of its valid half', () => {
    const c = latLngToCell(18.835, 99.245, 7); // straddles the NoData block's west edge (99.24)
    const r = landCoverFractions(raster, { cells: [c] });
    const hexPix = landCoverFractions(raster, { res: 7 }).pixels;
    expect(r.pixels[0]!).toBeGreaterThan(0);
    expect(r.pixels[0]!).toBeLessThan(Math.max(...hexPix));
    expect(r.factors.lc_cropland![0]).toBe(1);
  });

  it('a cell outside the raster is NaN; a cell smaller than a pixel takes the pixel under its centre', () => {
    const outside = latLngToCell(17.5, 100.5, 6);
    const tiny = latLngToCell(18.75, 99.05, 11); // inside the forest, ~0.002 km² ≪ one 0.04 km² pixel
    const r = landCoverFractions(raster, { cells: [outside], classes: ['forest'] });
    expect(Number.isNaN(r.factors.lc_forest![0]!)).toBe(true);
    const t = landCoverFractions(raster, { cells: [tiny], classes: ['forest', 'water'] });
    expect([t.factors.lc_forest![0], t.factors.lc_water![0], t.sampled, t.pixels[0]]).toEqual([1, 0, 1, 0]);
  });

  it('a user legend maps codes to named classes (several codes may share one) with its signs', () => {
    const r = landCoverFractions(raster, { res: 6, legend: parseLegend('10=vegetation,40=vegetation,50=urban:protective') });
    expect(r.classes).toEqual(['vegetation', 'urban']);
    expect(r.signs.lc_urban).toBe('protective');
    expect(r.unlisted).toEqual({ '80': 2240 });
    const i = r.cells.indexOf(interiorCells(r.cells)[0]!);
    expect(r.factors.lc_vegetation![i]!).toBeCloseTo(lc.factors.lc_forest![lc.cells.indexOf(r.cells[i]!)]! + lc.factors.lc_cropland![lc.cells.indexOf(r.cells[i]!)]!, 12);
  });

  it('bad legend, classes, band or res throw E_ARG', () => {
    expect(code(() => parseLegend('10=forest,oops'))).toBe('E_ARG');
    expect(code(() => landCoverFractions(raster, { res: 6, legend: [{ code: 1, name: 'a', sign: 'risk' }, { code: 1, name: 'b', sign: 'risk' }] }))).toBe('E_ARG');
    expect(code(() => landCoverFractions(raster, { res: 6, classes: ['tundra'] }))).toBe('E_ARG');
    expect(code(() => landCoverFractions(raster, { res: 6, band: 1 }))).toBe('E_ARG');
    expect(code(() => landCoverFractions(raster, {}))).toBe('E_ARG');
    expect(code(() => landCoverLayer(raster, { classes: ['tundra'] }))).toBe('E_ARG');
  });
});

describe('landCoverLayer', () => {
  it('computes on given cells with the legend signs; default classes are those present', () => {
    const cells = landCoverFractions(raster, { res: 6 }).cells;
    const r = landCoverLayer(raster).compute(cells);
    expect(Object.keys(r.factors)).toEqual(['lc_forest', 'lc_cropland', 'lc_built', 'lc_water']);
    expect(r.signs?.lc_water).toBe('protective');
    expect(WORLDCOVER_LEGEND.filter((c) => c.sign === 'protective').map((c) => c.code)).toEqual([50, 60, 70, 80]);
  });
});
