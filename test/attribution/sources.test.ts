import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { cellToLatLng, latLngToCell } from 'h3-js';
import type { FeatureCollection } from 'geojson';
import { areaSources, countBy, facilitySources, hotspotSources, mergeSources, polygonIndex, repeatBurnAreas, repeatBurnAreasFromScars, reportSources } from '../../src/attribution/index.js';
import { hotspotsTable } from './helpers.js';

const donut: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { iso_a3: 'AAA' },
      geometry: { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[3, 3], [7, 3], [7, 7], [3, 7], [3, 3]]] },
    },
    {
      type: 'Feature',
      properties: { iso_a3: 'BBB' },
      geometry: { type: 'MultiPolygon', coordinates: [[[[4, 4], [6, 4], [5, 6.5], [4, 4]]], [[[12, 0], [15, 0], [15, 3], [12, 0]]]] },
    },
  ],
};

describe('polygonIndex', () => {
  it('agrees with turf booleanPointInPolygon (holes, multipolygons)', () => {
    const idx = polygonIndex(donut);
    fc.assert(
      fc.property(fc.double({ min: -1, max: 16, noNaN: true }), fc.double({ min: -1, max: 11, noNaN: true }), (x, y) => {
        const expected = donut.features.filter((f) => booleanPointInPolygon([x, y], f as never, { ignoreBoundary: true })).map((f) => f.properties!['iso_a3']);
        const onEdge = donut.features.some((f) => booleanPointInPolygon([x, y], f as never) !== booleanPointInPolygon([x, y], f as never, { ignoreBoundary: true }));
        if (!onEdge) expect(idx.valuesAt(x, y)).toEqual(expected);
      }),
      { numRuns: 500, seed: 3 },
    );
    expect(idx.valueAt(5, 5)).toBe('BBB');
    expect(idx.valueAt(1, 1)).toBe('AAA');
    expect(idx.valueAt(20, 20)).toBeUndefined();
  });
});

describe('repeatBurnAreas', () => {
  it('keeps cells burnt in at least N of M years, with frequency', () => {
    const t = (y: number) => Date.UTC(y, 2, 1, 6);
    const A = { lng: 99.0, lat: 19.0 };
    const B = { lng: 100.0, lat: 18.0 };
    const pts = [
      { ...A, time: t(2019) },
      { ...A, time: t(2022) },
      { ...A, time: t(2022) },
      { ...A, time: t(2023) },
      { ...B, time: t(2023) },
      { ...B, time: t(2023) },
    ];
    const rb = repeatBurnAreas(hotspotsTable(pts), { res: 7, minYears: 2, years: [2019, 2022, 2023, 2025] });
    expect(rb.cells).toEqual([latLngToCell(19, 99, 7)]);
    expect(rb.yearsBurnt[0]).toBe(3);
    expect(rb.frequency[0]).toBe(0.75);
    expect(rb.valuesAt(99.0, 19.0)).toEqual(['repeat_burn']);
    expect(rb.valuesAt(100.0, 18.0)).toEqual([]);
    const gj = rb.toGeoJSON();
    expect(gj.features[0]!.properties!['h3']).toBe(rb.cells[0]);
    // Hotspots inside become fire_repeat_burn; others fire_other.
    const layer = hotspotSources(hotspotsTable(pts), { areas: [rb] });
    expect(countBy(layer, 'category')).toEqual({ fire_repeat_burn: 4, fire_other: 2 });
    // As an area layer: one row per cell at its centre, weight = frequency.
    const area = areaSources(rb);
    expect(area.category).toEqual(['repeat_burn']);
    const [la, ln] = cellToLatLng(rb.cells[0]!);
    expect([area.lng[0], area.lat[0], area.weight[0]]).toEqual([ln, la, 0.75]);
    expect(() => repeatBurnAreas(hotspotsTable(pts), { minYears: 5, years: 4 })).toThrow(/minYears/);
    // No history: nothing burnt (deterministic, no clock involved).
    expect(repeatBurnAreas(hotspotsTable([]), { years: 5 }).cells).toEqual([]);
  });

  it('from yearly burn-scar polygons: cells covered in at least N of M years', () => {
    const square = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
    const scar = (year: number, x: number) => ({ type: 'Feature', properties: { year }, geometry: { type: 'Polygon', coordinates: square(x, 19, 0.1) } });
    const fc = { type: 'FeatureCollection', features: [scar(2022, 99), scar(2023, 99.05), scar(2025, 99.05)] };
    const rb = repeatBurnAreasFromScars(fc, { res: 8, minYears: 2, years: [2022, 2023, 2024, 2025] });
    // The overlap 99.05–99.10 burnt in three years; 99.00–99.05 only in 2022.
    expect(rb.valuesAt(99.075, 19.05)).toEqual(['repeat_burn']);
    expect(rb.valuesAt(99.02, 19.05)).toEqual([]);
    const i = rb.cells.indexOf(latLngToCell(19.05, 99.075, 8));
    expect(rb.yearsBurnt[i]).toBe(3);
    expect(rb.frequency[i]).toBe(0.75);
    expect(() => repeatBurnAreasFromScars({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square(99, 19, 0.1) } }] })).toThrow(/year/);
  });
});

describe('facilitySources', () => {
  it('weights capacity by fuel, reads both GPPD and CLI columns, rejects bad rows', () => {
    const cli = 'facility_id,name,latitude,longitude,iso_a3,primary_fuel,capacity_mw\nf1,Mae Moh,18.3,99.74,THA,Coal,2400\nf2,Dam,18,99,THA,Hydro,500\nf3,Bad,,99,THA,Gas,10\nf4,Neg,18,99,THA,Gas,-5';
    const { layer, rejected } = facilitySources(cli);
    expect(layer.length).toBe(2);
    expect(Array.from(layer.weight)).toEqual([2400, 0]);
    expect(layer.region).toEqual(['THA', 'THA']);
    expect(rejected.map((r) => [r.row, r.code])).toEqual([
      [3, 'E_COORD'],
      [4, 'E_NUMBER'],
    ]);
    const gppd = facilitySources([{ country: 'LAO', name: 'Hongsa', capacity_mw: '1878', latitude: '19.7', longitude: '101.1', primary_fuel: 'Coal' }, { country: 'LAO', name: 'Hongsa', capacity_mw: '10', latitude: '19.7', longitude: '101.1', primary_fuel: 'Gas' }], { fuelFactors: { gas: 0.5 } });
    expect(gppd.layer.id).toEqual(['facility:Hongsa', 'facility:Hongsa#2']);
    expect(Array.from(gppd.layer.weight)).toEqual([1878, 5]);
    expect(gppd.layer.region).toEqual(['LAO', 'LAO']);
    expect(gppd.layer.category).toEqual(['facility', 'facility']);
  });
});

describe('areaSources and reports', () => {
  it('splits an area weight over its cover cells and tags regions per point', () => {
    const areas: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { id: 'cane', class: 'cane_field', weight: 12 }, geometry: { type: 'Polygon', coordinates: [[[4, 1], [6, 1], [6, 2], [4, 2], [4, 1]]] } }],
    };
    const layer = areaSources(areas, { res: 4, regions: polygonIndex(donut) });
    expect(layer.length).toBeGreaterThan(3);
    expect(Array.from(layer.weight).reduce((a, b) => a + b, 0)).toBeCloseTo(12, 12);
    expect(new Set(layer.id)).toEqual(new Set(['cane']));
    expect(new Set(layer.category)).toEqual(new Set(['cane_field']));
    expect(new Set(layer.region)).toEqual(new Set(['AAA']));
    const tiny = areaSources({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[4, 1], [4.001, 1], [4.001, 1.001], [4, 1]]] } }] }, { res: 4 });
    expect(tiny.length).toBe(1);
    expect(tiny.category[0]).toBe('area');
    const reps = reportSources({ lng: [1, 14], lat: [1, 1], time: [0, 0] }, { regions: polygonIndex(donut) });
    expect(reps.region).toEqual(['AAA', 'BBB']);
    const merged = mergeSources(layer, reps);
    expect(merged.kind).toBe('mixed');
    expect(countBy(merged, 'kind')).toEqual({ area: layer.length, report: 2 });
  });
});

describe('polygonIndex snapping (generalised borders)', () => {
  const sq = (x: number, iso: string) => ({
    type: 'Feature' as const,
    properties: { iso_a3: iso },
    geometry: { type: 'Polygon' as const, coordinates: [[[x, 18], [x + 1, 18], [x + 1, 19], [x, 19], [x, 18]]] },
  });
  const fc = { type: 'FeatureCollection', features: [sq(98, 'MMR'), sq(99.5, 'THA')] };
  it('is exact by default and snaps to the nearest polygon within snapKm', () => {
    const exact = polygonIndex(fc);
    expect(exact.valueAt(99.02, 18.5)).toBeUndefined();
    const snap = polygonIndex(fc, { snapKm: 10 });
    // 0.02° east of MMR's edge (≈2.1 km) and 0.48° west of THA's: MMR
    expect(snap.valueAt(99.02, 18.5)).toBe('MMR');
    expect(snap.valueAt(99.45, 18.5)).toBe('THA');
    // 0.25° from both (≈26 km): beyond 10 km, stays undefined
    expect(snap.valueAt(99.25, 18.5)).toBeUndefined();
    // inside stays inside; valuesAt (area classes) never snaps
    expect(snap.valueAt(98.5, 18.5)).toBe('MMR');
    expect(snap.valuesAt(99.02, 18.5)).toEqual([]);
    expect(() => polygonIndex(fc, { snapKm: -1 })).toThrow(/snapKm/);
  });
});
