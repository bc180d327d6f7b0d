/**
 * Protected-area / reserve polygons, user polygon layers and user cell columns as risk factors with a sign
 * (src/risk/layers.ts). Fractions are checked against turf: area(cell ∩ polygon) / area(cell).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import area from '@turf/area';
import intersect from '@turf/intersect';
import { featureCollection, polygon } from '@turf/helpers';
import { cellToBoundary, latLngToCell } from 'h3-js';
import type { FeatureCollection, Polygon } from 'geojson';
import { errorCodeOf as code } from '../hostile/helpers.js';
import { domainCells, scoreRisk } from '../../src/risk/index.js';
import { applyFactorLayers, cellLayer, polygonLayer, protectedAreasLayer } from '../../src/risk/layers.js';

const regions = JSON.parse(readFileSync(new URL('../fixtures/risk/landcover_worldcover_synthetic.geojson', import.meta.url), 'utf8')) as FeatureCollection<Polygon>;
// The irregular "forest" hexagon of the land-cover fixture doubles as a reserve.
const reserve: FeatureCollection = { type: 'FeatureCollection', features: [regions.features[0]!] };
const box = (w: number, s: number, e: number, n: number, props: Record<string, unknown> = {}) => ({
  type: 'Feature' as const,
  properties: props,
  geometry: { type: 'Polygon' as const, coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
});
const cells = domainCells(box(98.9, 18.6, 99.3, 18.9).geometry, 7);

function share(cell: string, poly: Polygon): number {
  const ring = cellToBoundary(cell, true);
  const hex = polygon([[...ring, ring[0]!]]);
  const inter = intersect(featureCollection([hex, polygon(poly.coordinates)]));
  return inter ? area(inter) / area(hex) : 0;
}


describe('protectedAreasLayer', () => {
  const layer = protectedAreasLayer(reserve);
  const r = layer.compute(cells);
  const col = r.factors.protected_area!;

  it('is named protected_area with sign risk by default', () => {
    expect(layer.names).toEqual(['protected_area']);
    expect(r.signs).toEqual({ protected_area: 'risk' });
  });

  it('the fraction of each cell inside the reserve matches turf within 1e-4, edge cells included (measured 5e-6)', () => {
    let worst = 0, edge = 0;
    cells.forEach((c, i) => {
      const want = share(c, regions.features[0]!.geometry);
      if (want > 0.05 && want < 0.95) edge++;
      worst = Math.max(worst, Math.abs(col[i]! - want));
    });
    expect(edge).toBeGreaterThan(10);
    expect(worst).toBeLessThan(1e-4);
  });

  it('sign protective is passed on', () => {
    expect(protectedAreasLayer(reserve, { sign: 'protective', name: 'reserve' }).compute(cells).signs).toEqual({ reserve: 'protective' });
  });
});

describe('polygonLayer', () => {
  const fc = {
    type: 'FeatureCollection' as const,
    features: [
      box(98.9, 18.6, 99.1, 18.9, { harvest: 'hand' }),
      box(99.1, 18.6, 99.3, 18.9, { harvest: 'machine' }),
      box(99.0, 18.7, 99.05, 18.75, { harvest: 'hand' }), // overlaps the first hand field
      { type: 'Feature' as const, properties: { harvest: 'hand' }, geometry: { type: 'Point' as const, coordinates: [99, 18.7] } },
      box(99.0, 18.6, 99.01, 18.61, {}), // no class
    ],
  };

  it('one factor per class with per-class signs; non-polygons and class-less features rejected with their index', () => {
    const layer = polygonLayer(fc, { name: 'cane', classProperty: 'harvest', classSigns: { machine: 'protective' } });
    expect(layer.names).toEqual(['cane_hand', 'cane_machine']);
    expect(layer.signs).toEqual({ cane_hand: 'risk', cane_machine: 'protective' });
    expect(layer.rejected?.map((x) => [x.row, x.column, x.code])).toEqual([
      [4, 'geometry', 'E_GEOMETRY'],
      [5, 'harvest', 'E_INPUT'],
    ]);
    const r = layer.compute(cells);
    const i = cells.indexOf(latLngToCell(18.8, 99.0, 7));
    expect(r.factors.cane_hand![i]).toBe(1);
    expect(r.factors.cane_machine![i]).toBe(0);
    // overlapping hand fields are summed and capped at 1, and the notes say so
    expect(Math.max(...r.factors.cane_hand!)).toBe(1);
    expect(r.notes.join(' ')).toMatch(/touched by several polygons/);
  });

  it('bad options throw E_ARG; a layer without polygons throws E_INPUT', () => {
    expect(code(() => polygonLayer(fc, { name: '1bad' }))).toBe('E_ARG');
    expect(code(() => polygonLayer(fc, { name: 'x', sign: 'up' as never }))).toBe('E_ARG');
    expect(code(() => polygonLayer({ features: [fc.features[3]] }, { name: 'x' }))).toBe('E_INPUT');
  });
});

describe('cellLayer and applyFactorLayers', () => {
  const grid = { res: 7, cells: cells.slice(0, 3), columns: { road_km: new Float64Array([1, 5, 20]) } };

  it('aligns a user column to the cells (NaN where absent)', () => {
    const r = cellLayer(grid, { column: 'road_km', name: 'road_distance', sign: 'protective' }).compute(cells.slice(0, 4));
    expect(Array.from(r.factors.road_distance!)).toEqual([1, 5, 20, NaN]);
  });

  it('adds columns in place, lists protective ones for invert and negates them for calibration', () => {
    const set = { cells: cells.slice(0, 3), factors: { repeat_burn: new Float64Array([0, 0.5, 1]) } as Record<string, Float64Array> };
    const a = applyFactorLayers(set, [cellLayer(grid, { column: 'road_km', sign: 'protective' })]);
    expect(Object.keys(set.factors)).toEqual(['repeat_burn', 'road_km']);
    expect(a.invert).toEqual(['road_km']);
    expect(Array.from(a.calibration.road_km!)).toEqual([-1, -5, -20]);
    // protective: the cell nearest a road (1 km) gets the highest contribution from it
    const s = scoreRisk(set, { invert: a.invert, weights: { repeat_burn: 0, road_km: 1 } });
    expect(Array.from(s.score)).toEqual([100, 50, 0]);
  });

  it('a name produced twice throws E_ARG', () => {
    const set = { cells: cells.slice(0, 3), factors: { road_km: new Float64Array(3) } as Record<string, Float64Array> };
    expect(code(() => applyFactorLayers(set, [cellLayer(grid, { column: 'road_km' })]))).toBe('E_ARG');
    expect(code(() => cellLayer(grid, { column: 'nope' }))).toBe('E_ARG');
  });
});

describe('hazetrace risk --landcover / --protected / --weather', () => {
  it('adds lc_*, protected_area and fwi_* factors to the score and notes the inputs', async () => {
    const { cli } = await import('../run-cli.js');
    const r = await cli([
      'risk', '--hotspots', 'test/fixtures/risk/firms_modis_upper_north.csv', '--areas', 'test/fixtures/risk/th_upper_north_districts.geojson',
      '--id-property', 'amp_code', '--res', '5', '--top', '3', '--json',
      '--landcover', 'test/fixtures/risk/landcover_worldcover_synthetic.tif', '--landcover-classes', 'cropland,water',
      '--protected', 'test/fixtures/risk/landcover_worldcover_synthetic.geojson', '--protected-sign', 'protective',
      '--weather', 'test/fixtures/risk/weather_synthetic_two_stations.csv', '--weather-months', '2,3,4',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { weights: Record<string, number> };
    for (const f of ['lc_cropland', 'lc_water', 'protected_area', 'fwi_season_mean', 'fwi_high_days']) expect(Object.keys(json.weights)).toContain(f);
    expect(Object.keys(json.weights)).not.toContain('lc_forest');
  }, 120_000);

  it('a bad --protected-sign or --weather-months is a usage error (exit 2)', async () => {
    const { cli } = await import('../run-cli.js');
    const base = ['risk', '--hotspots', 'test/fixtures/risk/firms_modis_upper_north.csv', '--areas', 'test/fixtures/risk/th_upper_north_districts.geojson'];
    const a = await cli([...base, '--protected', 'test/fixtures/risk/landcover_worldcover_synthetic.geojson', '--protected-sign', 'sideways']);
    expect([a.code, a.stderr]).toEqual([2, expect.stringMatching(/--protected-sign must be risk or protective/)]);
    const b = await cli([...base, '--weather', 'test/fixtures/risk/weather_synthetic_two_stations.csv', '--weather-months', '13']);
    expect([b.code, b.stderr]).toEqual([2, expect.stringMatching(/--weather-months must be months 1-12/)]);
  }, 120_000);
});
