import { describe, expect, it } from 'vitest';
import { cellArea, cellToLatLng, latLngToCell, polygonToCells } from 'h3-js';
import type { FeatureCollection } from 'geojson';
import { domainCells, riskToGeoJson, rollupCells, rollupRisk, scoreRisk } from '../../src/risk/index.js';

const sq = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon' as const,
  coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
});
const layer: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'A', label: 'West' }, geometry: sq(98.8, 18.6, 99.0, 18.9) },
    { type: 'Feature', properties: { code: 'B', label: 'East' }, geometry: sq(99.0, 18.6, 99.2, 18.9) },
    { type: 'Feature', properties: { code: 'Z', label: 'Far' }, geometry: sq(100.5, 13.6, 100.6, 13.7) },
  ],
};
const cells = domainCells(sq(98.8, 18.6, 99.2, 18.9), 7);

describe('rollupCells', () => {
  it('a constant field rolls up to that constant (mean and max) in every area', () => {
    const v = new Float64Array(cells.length).fill(42.5);
    const st = rollupCells(cells, { v }, layer, { idProperty: 'code', nameProperty: 'label' });
    expect(st[0]!.mean.v).toBeCloseTo(42.5, 12);
    expect(st[1]!.max.v).toBe(42.5);
    expect(st[0]!.id).toBe('A');
    expect(st[2]!.cells).toBe(0);
    expect(st[2]!.mean.v).toBeNaN();
    // each area collects exactly h3's own centre-containment cells
    expect(st[0]!.cells).toBe(polygonToCells(sq(98.8, 18.6, 99.0, 18.9).coordinates, 7, true).length);
  });
  it('means are weighted by h3 cell area (independent recomputation)', () => {
    const v = Float64Array.from(cells, (_, i) => (i % 7) * 3);
    const st = rollupCells(cells, { v }, layer, { idProperty: 'code' });
    const inA = new Set(polygonToCells(sq(98.8, 18.6, 99.0, 18.9).coordinates, 7, true));
    let sw = 0;
    let swv = 0;
    cells.forEach((c, i) => {
      if (!inA.has(c)) return;
      const a = cellArea(c, 'km2');
      sw += a;
      swv += a * v[i]!;
    });
    expect(st[0]!.mean.v).toBeCloseTo(swv / sw, 10);
    expect(st[0]!.areaKm2).toBeCloseTo(sw, 8);
  });
});

describe('rollupRisk and outputs', () => {
  const x = Float64Array.from(cells, (c) => (cellToLatLng(c)[1] > 99.0 ? 10 : 1)); // east riskier
  const y = Float64Array.from(cells, (_, i) => i % 5);
  const scores = scoreRisk({ cells, factors: { x, y } }, { weights: { x: 3, y: 1 } });
  const table = rollupRisk(scores, layer, { idProperty: 'code', nameProperty: 'label' });
  it('ranks the areas, contributions add to the mean score, empty areas are listed apart', () => {
    expect(table.areas.map((a) => a.id)).toEqual(['B', 'A']);
    expect(table.areas[0]!.rank).toBe(1);
    for (const a of table.areas) {
      const sum = Object.values(a.contributions).reduce((s, v) => s + v, 0);
      expect(sum).toBeCloseTo(a.meanScore, 9);
      expect(a.maxScore).toBeGreaterThanOrEqual(a.meanScore);
    }
    expect(table.areas[0]!.topFactors[0]!.factor).toBe('x');
    expect(table.unscored).toEqual([{ id: 'Z', name: 'Far' }]);
  });
  it('writes CSV and JSON', () => {
    const csv = table.toCsv().trim().split('\n');
    // probability, expected_cells and explanation follow the contributions (empty without probabilities / explanations).
    expect(csv[0]).toBe('rank,id,name,mean_score,max_score,level,cells,area_km2,top_factors,c_x,c_y,probability,expected_cells,explanation');
    expect(csv[1]!.endsWith(',,,')).toBe(true);
    expect(csv[1]!.startsWith('1,B,East,')).toBe(true);
    expect(csv).toHaveLength(3);
    const j = JSON.parse(JSON.stringify(table));
    expect(j.areas[0].id).toBe('B');
    const html = (table[Symbol.for('Jupyter.display')] as () => Record<string, string>)()['text/html']!;
    expect(html).toContain('<td>1</td><td>East</td>');
    const txt = (scores[Symbol.for('Jupyter.display')] as () => Record<string, string>)()['text/plain']!;
    expect(txt).toMatch(/^RiskScores: \d+ cells \(low: \d+/);
  });
  it('GeoJSON hexagons carry h3, score, level, top factors and contributions', () => {
    const fc = riskToGeoJson(scores, { top: 1 });
    expect(fc.features).toHaveLength(cells.length);
    const f0 = fc.features[0]!;
    const ring = f0.geometry.coordinates[0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(f0.properties!.h3).toBe(cells[0]);
    expect(f0.properties!.score).toBe(scores.score[0]);
    expect(f0.properties!.c_x! + f0.properties!.c_y!).toBeCloseTo(scores.score[0]!, 12);
    expect(latLngToCell(ring[0]![1]!, ring[0]![0]!, 3)).toBeTypeOf('string');
  });
});


describe('rollup with holes and multipolygons', () => {
  it('cells in a hole belong to the hole feature only, matching h3 polygonToCells', () => {
    const outer = [[98.8, 18.6], [99.2, 18.6], [99.2, 18.9], [98.8, 18.9], [98.8, 18.6]];
    const hole = [[98.95, 18.7], [99.05, 18.7], [99.05, 18.8], [98.95, 18.8], [98.95, 18.7]];
    const donut = { type: 'Polygon' as const, coordinates: [outer, hole] };
    const plug = { type: 'MultiPolygon' as const, coordinates: [[hole]] };
    const lyr: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'donut', properties: {}, geometry: donut },
        { type: 'Feature', id: 'plug', properties: {}, geometry: plug },
      ],
    };
    const all = domainCells(sq(98.8, 18.6, 99.2, 18.9), 8);
    const inHole = new Set(polygonToCells([hole], 8, true));
    const v = Float64Array.from(all, (c) => (inHole.has(c) ? 10 : 1));
    const st = rollupCells(all, { v }, lyr);
    expect(st[0]!.cells).toBe(polygonToCells([outer, hole], 8, true).length);
    expect(st[1]!.cells).toBe(polygonToCells([hole], 8, true).length);
    expect(st[0]!.mean.v).toBeCloseTo(1, 12);
    expect(st[1]!.mean.v).toBeCloseTo(10, 12);
  });
});
