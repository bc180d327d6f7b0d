import { describe, expect, it } from 'vitest';
import { cellToBoundary, cellToChildren, cellToLatLng, gridDisk, latLngToCell, cellToParent } from 'h3-js';
import area from '@turf/area';
import intersect from '@turf/intersect';
import { featureCollection, polygon } from '@turf/helpers';
import type { FeatureCollection } from 'geojson';
import { haversine } from '../../src/core/geodesy.js';
import { uniformWind } from '../../src/wind/index.js';
import { alignColumn } from '../../src/risk/factors.js';
import {
  buildRiskFactors,
  burntCells,
  downwindExposure,
  facilityFactors,
  firesDownwindExposure,
  hotspotHistoryFactors,
  landUseFactors,
  scoreRisk,
} from '../../src/risk/index.js';
import { traceTrajectories } from '../../src/wind/index.js';

const hs = (pts: [number, number, number, number][]) => ({
  length: pts.length,
  lng: Float64Array.from(pts.map((p) => p[0])),
  lat: Float64Array.from(pts.map((p) => p[1])),
  time: Float64Array.from(pts.map((p) => p[2])),
  frp: Float64Array.from(pts.map((p) => p[3])),
});

describe('hotspotHistoryFactors', () => {
  it('counts detections, FRP and burnt years per observed year (hand-computed)', () => {
    const a = latLngToCell(18.8, 99.0, 7);
    const b = latLngToCell(19.5, 99.5, 7);
    const c = latLngToCell(17.0, 98.0, 7);
    const h = hotspotHistory([a, b, c]);
    // a: 2019 (2 detections, FRP 10+NaN), 2023 (1, FRP 30); b: 2019 (1, FRP 5); c: none; one point outside the cells.
    expect(Array.from(h.factors.hotspot_detections)).toEqual([3 / 4, 1 / 4, 0]);
    expect(Array.from(h.factors.hotspot_frp)).toEqual([40 / 4, 5 / 4, 0]);
    expect(Array.from(h.factors.repeat_burn)).toEqual([2 / 4, 1 / 4, 0]);
    expect(h.periods).toEqual(['2017', '2019', '2022', '2023']);
    expect(h.inside).toBe(4);
    expect(h.outside).toBe(1);
    function hotspotHistory(cells: string[]) {
      return hotspotHistoryFactors(
        hs([
          [99.0, 18.8, Date.UTC(2019, 3, 5), 10],
          [99.0, 18.8, Date.UTC(2019, 3, 6), NaN],
          [99.0, 18.8, Date.UTC(2023, 2, 10), 30],
          [99.5, 19.5, Date.UTC(2019, 3, 5), 5],
          [105, 15, Date.UTC(2022, 1, 26), 99],
        ]),
        { cells, periods: [2017, 2019, 2022, 2023] },
      );
    }
  });
  it('a detection period missing from `periods` is an error', () => {
    expect(() =>
      hotspotHistoryFactors(hs([[99, 18.8, Date.UTC(2019, 0, 1), 1]]), { cells: [latLngToCell(18.8, 99, 6)], periods: [2017] }),
    ).toThrow(/missing "2019"/);
  });
  it('burntCells marks cells with any detection', () => {
    const cells = [latLngToCell(18.8, 99, 6), latLngToCell(15, 100, 6)];
    expect(Array.from(burntCells({ lng: [99, 99], lat: [18.8, 18.8] }, cells))).toEqual([1, 0]);
  });
});

describe('landUseFactors', () => {
  it('matches the intersected-area fraction computed independently with turf', () => {
    const poly = polygon([[[98.95, 18.75], [99.12, 18.77], [99.05, 18.93], [98.95, 18.75]]]);
    const layer = featureCollection([{ ...poly, properties: { class: 'forest' } }, { ...polygon([[[0, 0], [1, 0], [1, 1], [0, 0]]]), properties: { class: 'cane' } }]) as FeatureCollection;
    const centre = latLngToCell(18.82, 99.04, 6);
    const cells = gridDisk(centre, 2);
    const lu = landUseFactors(layer, { cells, classProperty: 'class' });
    expect(lu.classes).toEqual(['cane', 'forest']);
    let nonTrivial = 0;
    for (let i = 0; i < cells.length; i++) {
      const hex = polygon([cellToBoundary(cells[i]!, true)]);
      const inter = intersect(featureCollection([hex, poly]));
      const exact = inter ? area(inter) / area(hex) : 0;
      if (exact > 0.05 && exact < 0.95) nonTrivial++;
      // grid's exact clipping vs turf's planar intersect + geodesic area: agree to well under 1 %
      expect(Math.abs(lu.factors.landuse_forest![i]! - exact)).toBeLessThan(0.005);
      expect(lu.factors.landuse_cane![i]).toBe(0);
    }
    expect(nonTrivial).toBeGreaterThan(0);
  });
});

describe('facilityFactors', () => {
  it('nearest distance equals haversine to the closest facility; proximity = exp(-d/scale)', () => {
    const cells = gridDisk(latLngToCell(18.8, 99.0, 5), 2);
    const fac = { lng: [99.0, 99.6, 98.5], lat: [18.8, 18.2, 19.1] };
    const f = facilityFactors(fac, { cells, scaleKm: 20 });
    for (let i = 0; i < cells.length; i++) {
      const [lat, lng] = cellToLatLng(cells[i]!);
      const ref = Math.min(...fac.lng.map((x, j) => haversine(lng, lat, x, fac.lat[j]!) / 1000));
      expect(f.factors.facility_distance_km[i]).toBeCloseTo(ref, 6);
      expect(f.factors.facility_proximity[i]).toBeCloseTo(Math.exp(-ref / 20), 12);
    }
    const w = facilityFactors({ ...fac, weight: [1, 0, 2] }, { cells: [cells[0]!], scaleKm: 20 });
    const [lat, lng] = cellToLatLng(cells[0]!);
    const pot = Math.exp(-haversine(lng, lat, 99, 18.8) / 20000) + 2 * Math.exp(-haversine(lng, lat, 98.5, 19.1) / 20000);
    expect(w.factors.facility_proximity[0]).toBeCloseTo(pot, 9);
  });
});

describe('downwind exposure', () => {
  it('a uniform westerly carries FRP × hours east of the fire and none west of it', () => {
    // 3 m/s from the west for 24 h: ~259 km east along 18.8°N; res-4 cells around the path hold every point.
    const field = uniformWind({ speed: 3, directionFrom: 270 });
    const path: string[] = [];
    for (let lng = 98.0; lng <= 102.0; lng += 0.05) path.push(latLngToCell(18.8, lng, 4));
    const cells = Array.from(new Set(path.flatMap((c) => gridDisk(c, 1))));
    const fires = hs([[99, 18.8, 0, 50]]);
    const single = firesDownwindExposure(fires, field, { cells, hours: 24, members: 'single' });
    const total = single.values.reduce((s, v) => s + v, 0);
    expect(total).toBeCloseTo(50 * 24, 9);
    const west = cells.findIndex((c) => cellToLatLng(c)[1] < 98.3);
    expect(single.values[west]).toBe(0);
    // The offset ensemble splits FRP over 9 members: the same total, spread out.
    const ens = firesDownwindExposure(fires, field, { cells, hours: 24 });
    expect(ens.trajectories).toBe(9);
    expect(ens.values.reduce((s, v) => s + v, 0)).toBeCloseTo(50 * 24, 6);
    // maxAgeHours truncates.
    const set = traceTrajectories(field, [{ lng: 99, lat: 18.8, time: 0 }], { hours: 24, direction: 'forward' });
    const half = downwindExposure(set, { cells, maxAgeHours: 12 });
    expect(half.values.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 9);
  });
});

describe('alignColumn and buildRiskFactors', () => {
  it('aligns grids at the same, finer and coarser resolution', () => {
    const parent = latLngToCell(18.8, 99, 5);
    const kids = cellToChildren(parent, 6);
    const fine = { res: 6, cells: kids.slice(0, 2), columns: { v: Float64Array.from([10, 20]) } };
    expect(alignColumn(fine, 'v', [parent])[0]).toBe(15);
    const coarse = { res: 5, cells: [parent], columns: { v: Float64Array.from([7]) } };
    expect(Array.from(alignColumn(coarse, 'v', kids.slice(0, 2)))).toEqual([7, 7]);
    expect(alignColumn(fine, 'v', [kids[0]!, kids[6]!])[1]).toBeNaN();
    expect(cellToParent(kids[0]!, 5)).toBe(parent);
  });
  it('interpolates station PM2.5 onto the cells by IDW (hand-computed for one cell)', () => {
    const cells = [latLngToCell(18.8, 99.0, 6), latLngToCell(19.5, 99.8, 6)];
    const stations = { lng: [98.98, 99.82], lat: [18.79, 19.91], value: [80, 120] };
    const set = buildRiskFactors({ cells, pm25: { stations, idw: { power: 2 } } });
    const [lat, lng] = cellToLatLng(cells[0]!);
    const w = stations.lng.map((x, j) => 1 / haversine(lng, lat, x, stations.lat[j]!) ** 2);
    const ref = (w[0]! * 80 + w[1]! * 120) / (w[0]! + w[1]!);
    expect(set.factors.pm25![0]).toBeCloseTo(ref, 6);
  });
  it('assembles factors on one domain and scores them', () => {
    const domain = { type: 'Polygon' as const, coordinates: [[[98.8, 18.6], [99.2, 18.6], [99.2, 19.0], [98.8, 19.0], [98.8, 18.6]]] };
    const set = buildRiskFactors({
      domain,
      res: 7,
      hotspotHistory: { hotspots: hs([[99.0, 18.8, Date.UTC(2019, 3, 5), 20], [99.1, 18.7, Date.UTC(2023, 2, 10), 40]]) },
      facilities: { points: { lng: [98.95], lat: [18.75] } },
      pm25: { grid: { res: 6, cells: [latLngToCell(18.8, 99, 6)], columns: { pm: Float64Array.from([80]) } }, column: 'pm' },
      user: [{ grid: { res: 7, cells: [latLngToCell(18.9, 99.1, 7)], columns: { population: Float64Array.from([1000]) } }, columns: ['population'] }],
    });
    expect(Object.keys(set.factors)).toEqual(['hotspot_detections', 'hotspot_frp', 'repeat_burn', 'facility_proximity', 'pm25', 'population']);
    expect(set.cells.length).toBeGreaterThan(100);
    const s = scoreRisk(set);
    expect(s.score.every((v) => v >= 0 && v <= 100)).toBe(true);
    const hot = set.cells.indexOf(latLngToCell(18.8, 99.0, 7));
    expect(s.level[hot]).not.toBe('low');
    expect(() => buildRiskFactors({ domain, res: 7 })).toThrow(/at least one factor layer/);
  });
});

describe('historyPeriods', () => {
  it('builds rolling-origin periods: history factors of earlier periods, burnt-in-next outcome, burnt-before baseline', async () => {
    const { historyPeriods } = await import('../../src/risk/index.js');
    const a = latLngToCell(18.8, 99.0, 6);
    const b = latLngToCell(19.5, 99.5, 6);
    const c = latLngToCell(17.5, 100.0, 6);
    const fires = hs([
      [99.0, 18.8, Date.UTC(2017, 3, 27), 10], // a in 2017
      [99.5, 19.5, Date.UTC(2019, 3, 5), 20], // b in 2019
      [99.0, 18.8, Date.UTC(2019, 3, 5), 5], // a in 2019
      [100.0, 17.5, Date.UTC(2022, 1, 26), 7], // c in 2022
    ]);
    const p = historyPeriods(fires, { cells: [a, b, c], periods: [2017, 2019, 2022], ring: 1, extra: { z: Float64Array.from([1, 2, 3]) } });
    expect(p.map((x) => x.label)).toEqual(['2017→2019', '2019→2022']);
    expect(Array.from(p[0]!.burnt)).toEqual([1, 1, 0]);
    expect(Array.from(p[0]!.baseline!)).toEqual([1, 0, 0]);
    expect(Array.from(p[0]!.factors.hotspot_detections!)).toEqual([1, 0, 0]);
    expect(Array.from(p[1]!.burnt)).toEqual([0, 0, 1]);
    expect(Array.from(p[1]!.baseline!)).toEqual([1, 1, 0]);
    expect(Array.from(p[1]!.factors.repeat_burn!)).toEqual([1, 0.5, 0]);
    expect(Array.from(p[1]!.factors.hotspot_nearby!)).toEqual([1, 0.5, 0]);
    expect(Array.from(p[1]!.factors.z!)).toEqual([1, 2, 3]);
  });
});

describe('more layers in buildRiskFactors', () => {
  it('land use and downwind exposure join the factor set', () => {
    const domain = { type: 'Polygon' as const, coordinates: [[[98.8, 18.6], [99.6, 18.6], [99.6, 19.0], [98.8, 19.0], [98.8, 18.6]]] };
    const landLayer = featureCollection([
      { ...polygon([[[98.8, 18.6], [99.0, 18.6], [99.0, 19.0], [98.8, 19.0], [98.8, 18.6]]]), properties: { lu: 'forest' } },
    ]) as FeatureCollection;
    const set = buildRiskFactors({
      domain,
      res: 6,
      landUse: { layer: landLayer, classProperty: 'lu' },
      downwind: { fires: hs([[98.9, 18.8, 0, 100]]), wind: uniformWind({ speed: 3, directionFrom: 270 }), hours: 24, members: 'random-walk', count: 5, seed: 3 },
    });
    expect(Object.keys(set.factors)).toEqual(['landuse_forest', 'downwind_exposure']);
    const forest = set.factors.landuse_forest!;
    const west = set.cells.findIndex((c) => cellToLatLng(c)[1] < 98.9);
    expect(forest[west]).toBeGreaterThan(0.5);
    const dw = set.factors.downwind_exposure!;
    const east = set.cells.map((c, i) => [cellToLatLng(c)[1], dw[i]!] as const);
    expect(east.filter(([lng]) => lng > 99.1).some(([, v]) => v > 0)).toBe(true);
    expect(east.filter(([lng]) => lng < 98.85).every(([, v]) => v === 0)).toBe(true);
    // seeded: the same numbers again
    const again = buildRiskFactors({
      domain,
      res: 6,
      downwind: { fires: hs([[98.9, 18.8, 0, 100]]), wind: uniformWind({ speed: 3, directionFrom: 270 }), hours: 24, members: 'random-walk', count: 5, seed: 3 },
    });
    expect(Array.from(again.factors.downwind_exposure!)).toEqual(Array.from(dw));
  });
  it('bad builder arguments throw naming them', () => {
    const cells = [latLngToCell(18.8, 99, 6)];
    expect(() => facilityFactors({ lng: [], lat: [] }, { cells })).toThrow(/facilities must be at least one facility/);
    expect(() => facilityFactors({ lng: [99], lat: [18], weight: [-1] }, { cells })).toThrow(/facilities\.weight\[0\]/);
    expect(() => landUseFactors({ type: 'Feature' } as unknown as FeatureCollection, { cells, classProperty: 'x' })).toThrow(/layer must be a GeoJSON FeatureCollection/);
    expect(() => hotspotHistoryFactors(hs([]), { cells: [] })).toThrow(/options\.cells/);
    expect(() => buildRiskFactors({ res: 6 })).toThrow(/cells, or domain \+ res/);
  });
});
