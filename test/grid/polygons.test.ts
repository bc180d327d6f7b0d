import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { polygonToCells, cellArea, cellToLatLng } from 'h3-js';
import turfArea from '@turf/area';
import intersect from '@turf/intersect';
import { featureCollection, polygon } from '@turf/helpers';
import { cellToBoundary } from 'h3-js';
import { coverPolygon, cellsToPolygons, assignCellsToPolygons, polygonAreaM2, polygonLookup } from '../../src/grid/index.js';

type Poly = { type: 'Polygon'; coordinates: number[][][] };
const rect = (x0: number, y0: number, x1: number, y1: number): number[][] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
/** A star-shaped (concave) polygon around (cx, cy). */
function star(cx: number, cy: number, r: number, n: number, seed: number): Poly {
  const ring: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const rr = r * (0.5 + 0.5 * Math.abs(Math.sin(seed + i * 1.7)));
    ring.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
  }
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}
const sumArea = (g: { columns: Record<string, Float64Array> }) => Array.from(g.columns.area_m2!).reduce((a, b) => a + b, 0);

describe('coverPolygon', () => {
  it('centroid mode equals h3-js polygonToCells (with a hole)', () => {
    const poly: Poly = { type: 'Polygon', coordinates: [rect(98, 18, 99.5, 19.5), rect(98.5, 18.5, 99, 19).reverse()] };
    const g = coverPolygon(poly, { res: 6 });
    expect(g.cells).toEqual(polygonToCells(poly.coordinates, 6, true).sort());
    expect(g.cells.length).toBeGreaterThan(100);
  });

  it('fraction mode conserves area: Σ cell area × fraction = @turf/area within 0.5% (property, 100+ cells)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 6, max: 40 }), fc.double({ min: -60, max: 60, noNaN: true }), (seed, n, cy) => {
        const poly = star(100, cy, 0.6, n, seed);
        const g = coverPolygon(poly, { res: 6, mode: 'fraction' });
        expect(g.cells.length).toBeGreaterThan(100);
        const want = turfArea(poly as never);
        expect(Math.abs(sumArea(g) / want - 1)).toBeLessThan(0.005);
        for (const f of g.columns.fraction!) expect(f > 0 && f <= 1).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('fraction mode: each cell\'s covered area matches @turf/intersect', () => {
    const poly = star(99, 18.5, 0.4, 17, 5);
    const g = coverPolygon(poly, { res: 6, mode: 'fraction' });
    g.cells.forEach((c, i) => {
      const x = intersect(featureCollection([polygon(poly.coordinates), polygon([cellToBoundary(c, true)])]));
      const ref = x ? turfArea(x) : 0;
      expect(Math.abs(g.columns.area_m2![i]! - ref)).toBeLessThan(0.003 * cellArea(c, 'm2'));
    });
  });

  it('fraction mode: interior cells are 1, partial cells lie on the edge, holes are excluded', () => {
    const poly: Poly = { type: 'Polygon', coordinates: [rect(98, 18, 99.5, 19.5), rect(98.5, 18.5, 99, 19)] };
    const g = coverPolygon(poly, { res: 5, mode: 'fraction' });
    const centroid = new Set(coverPolygon(poly, { res: 5 }).cells);
    let partial = 0;
    g.cells.forEach((c, i) => {
      const f = g.columns.fraction![i]!;
      if (f < 1 - 1e-9) partial++;
      if (f > 0.999999) expect(centroid.has(c)).toBe(true);
    });
    expect(partial).toBeGreaterThan(10);
    expect(Math.abs(sumArea(g) / turfArea(poly as never) - 1)).toBeLessThan(0.005);
  });

  it('handles a polygon crossing the antimeridian (both notations) like its two halves', () => {
    const crossing: Poly = { type: 'Polygon', coordinates: [[[179, -17], [-179, -17], [-179, -16], [179, -16], [179, -17]]] };
    const beyond: Poly = { type: 'Polygon', coordinates: [rect(179, -17, 181, -16)] };
    const halves = [...polygonToCells([rect(179, -17, 180, -16)], 6, true), ...polygonToCells([rect(-180, -17, -179, -16)], 6, true)];
    const want = [...new Set(halves)].sort();
    expect(coverPolygon(crossing, { res: 6 }).cells).toEqual(want);
    expect(coverPolygon(beyond, { res: 6 }).cells).toEqual(want);
    const f = coverPolygon(crossing, { res: 5, mode: 'fraction' });
    const ref = turfArea({ type: 'Polygon', coordinates: [rect(179, -17, 180, -16)] } as never) + turfArea({ type: 'Polygon', coordinates: [rect(-180, -17, -179, -16)] } as never);
    expect(Math.abs(sumArea(f) / ref - 1)).toBeLessThan(0.005);
  });

  it('covers a band wider than 180° the long way round', () => {
    // vertices at most 180° apart: the band runs from −150 east through 0 to 150
    const band: Poly = { type: 'Polygon', coordinates: [[[-150, 10], [0, 10], [150, 10], [150, 12], [0, 12], [-150, 12], [-150, 10]]] };
    const g = coverPolygon(band, { res: 2 });
    // every cell centre is inside the band, none in the 60° gap around the antimeridian
    for (const c of g.cells) {
      const [lat, lng] = cellToLatLng(c);
      expect(lat >= 10 && lat <= 12 && lng >= -150 && lng <= 150).toBe(true);
    }
    const area = Array.from(g.cells).reduce((a, c) => a + cellArea(c, 'm2'), 0);
    expect(Math.abs(area / polygonAreaM2(band) - 1)).toBeLessThan(0.1);
    // a single jump of 300° is read as the short way across the antimeridian: the 60° gap instead
    const gap = coverPolygon({ type: 'Polygon', coordinates: [rect(-150, 10, 150, 12)] }, { res: 2 });
    for (const c of gap.cells) expect(Math.abs(cellToLatLng(c)[1])).toBeGreaterThan(149);
  });

  it('rejects bad input', () => {
    expect(() => coverPolygon({ type: 'Point' } as never, { res: 5 })).toThrow(/geometry/);
    expect(() => coverPolygon({ type: 'Polygon', coordinates: [rect(0, 0, 1, 1)] }, { res: 5, mode: 'area' as never })).toThrow(/options.mode/);
  });
});

describe('cell → polygon mapping', () => {
  const features = [
    { type: 'Feature' as const, properties: { name: 'west' }, geometry: { type: 'Polygon' as const, coordinates: [rect(98, 18, 99, 19)] } },
    { type: 'Feature' as const, properties: { name: 'east' }, geometry: { type: 'Polygon' as const, coordinates: [rect(99, 18, 100, 19)] } },
  ];
  it('assignCellsToPolygons and cellsToPolygons agree and match polygonToCells per feature', () => {
    const t = assignCellsToPolygons(features, 6);
    const west = new Set(polygonToCells(features[0]!.geometry.coordinates, 6, true));
    t.cells.forEach((c, i) => expect(t.feature[i]).toBe(west.has(c) ? 0 : 1));
    const m = cellsToPolygons(t.cells, features);
    let agree = 0;
    t.cells.forEach((c, i) => { if (m.feature[i] === t.feature[i]) agree++; });
    expect(agree / t.cells.length).toBeGreaterThan(0.999);
    expect(cellsToPolygons(['8665a4a57ffffff'], features).feature[0]).toBe(-1); // a cell far away
    expect(t.lookup('nope')).toBe(-1);
  });
});

describe('polygonLookup', () => {
  const sq = (x: number) => ({ type: 'Polygon' as const, coordinates: [[[x, 18], [x + 1, 18], [x + 1, 19], [x, 19], [x, 18]]] });
  it('finds containing features and the nearest edge within a distance', () => {
    const idx = polygonLookup([sq(98), sq(99.5)]);
    expect(idx.featuresAt(98.5, 18.5)).toEqual([0]);
    expect(idx.featuresAt(99.2, 18.5)).toEqual([]);
    // 0.05° east of the second square's east edge at 18.5°N: 0.05 · (πR/180) · cos 18.5° km
    const hit = idx.nearestWithin(100.55, 18.5, 10)!;
    expect(hit.feature).toBe(1);
    expect(hit.distanceKm).toBeCloseTo(0.05 * ((Math.PI * 6371.0088) / 180) * Math.cos((18.5 * Math.PI) / 180), 6);
    // south of a corner: the distance is to the corner's edge, straight down
    expect(idx.nearestWithin(98.5, 17.9, 20)!.distanceKm).toBeCloseTo(0.1 * ((Math.PI * 6371.0088) / 180), 6);
    expect(idx.nearestWithin(99.25, 18.5, 10)).toBeNull();
    expect(idx.nearestWithin(98.5, 18.5, 1)).toEqual({ feature: 0, distanceKm: 0 });
  });
});
