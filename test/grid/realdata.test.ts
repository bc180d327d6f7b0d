/**
 * Real public data through the grid engine. The first block uses committed
 * slices (test/fixtures/grid, see SOURCES.md); the second the full shared files
 * and skips cleanly when /work/shared/data (or ../shared/data) is absent.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { latLngToCell, polygonToCells, gridDisk, cellToLatLng } from 'h3-js';
import turfArea from '@turf/area';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { readFirmsCsv } from '../../src/io/index.js';
import { assignCellsToPolygons, binPoints, cellsToPolygons, coverPolygon, getisOrdGi, type PolygonInput } from '../../src/grid/index.js';
import { SHARED_DATA, needsSharedData } from '../shared-data.js';

type Feature = { type: 'Feature'; properties: Record<string, unknown>; geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: never } };
const fixtures = new URL('../fixtures/grid/', import.meta.url);
const sharedDir = SHARED_DATA;

/** Grid hotspots at res, compare with a naive Map reference; returns the grid. */
function gridAndCheck(lng: Float64Array, lat: Float64Array, frp: Float64Array, res: number) {
  const g = binPoints({ lng, lat, frp }, { res, values: { frp: ['sum', 'max', 'p50'] }, order: 'cell' });
  const ref = new Map<string, { n: number; s: number; m: number }>();
  for (let i = 0; i < lng.length; i++) {
    const c = latLngToCell(lat[i]!, lng[i]!, res);
    const e = ref.get(c) ?? { n: 0, s: 0, m: -Infinity };
    e.n++;
    e.s += frp[i]!;
    e.m = Math.max(e.m, frp[i]!);
    ref.set(c, e);
  }
  expect(g.cells).toEqual([...ref.keys()].sort());
  g.cells.forEach((c, i) => {
    const e = ref.get(c)!;
    expect(g.columns.count![i]).toBe(e.n);
    expect(Math.abs(g.columns.frp_sum![i]! - e.s)).toBeLessThanOrEqual(1e-9 * Math.max(1, e.s));
    expect(g.columns.frp_max![i]).toBe(e.m);
  });
  expect(g.accepted).toBe(lng.length);
  return g;
}

/** Hotspots per province: cell→province (centroid cells at res) against point-in-polygon. */
function perProvince(features: Feature[], lng: Float64Array, lat: Float64Array, res: number) {
  const table = assignCellsToPolygons(features as unknown as PolygonInput[], res);
  let agree = 0, disagree = 0, borderDisagree = 0;
  const byCell = new Int32Array(features.length), byPip = new Int32Array(features.length);
  // a border cell: some province covers part, but not all, of it (fraction mode, computed once)
  const partial = new Set<string>();
  for (const f of features) {
    const fr = coverPolygon(f as unknown as PolygonInput, { res, mode: 'fraction' });
    fr.cells.forEach((c, i) => { if (fr.columns.fraction![i]! < 1 - 1e-9) partial.add(c); });
  }
  const isBorder = (cell: string): boolean => partial.has(cell);
  for (let i = 0; i < lng.length; i++) {
    const cell = latLngToCell(lat[i]!, lng[i]!, res);
    const a = table.lookup(cell);
    const p = features.findIndex((f) => booleanPointInPolygon([lng[i]!, lat[i]!], f as never));
    if (a < 0 && p < 0) continue; // outside every province (e.g. Myanmar, Laos): not counted
    if (a >= 0) byCell[a]!++;
    if (p >= 0) byPip[p]!++;
    if (a === p) agree++;
    else {
      disagree++;
      if (isBorder(cell)) borderDisagree++;
    }
  }
  return { agree, disagree, borderDisagree, byCell, byPip };
}

/** Naive Gi* for one cell (independent of the library: explicit sums over the domain). */
function naiveGi(domain: string[], value: Map<string, number>, cell: string, k: number): number {
  const xs = domain.map((c) => value.get(c) ?? 0);
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const S = Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / n - mean * mean);
  const inDomain = new Set(domain);
  const nb = gridDisk(cell, k).filter((c) => inDomain.has(c));
  const sw = nb.length;
  const swx = nb.reduce((a, c) => a + (value.get(c) ?? 0), 0);
  return (swx - mean * sw) / (S * Math.sqrt((n * sw - sw * sw) / (n - 1)));
}

describe('real data slices (committed fixtures)', () => {
  const firms = readFirmsCsv(readFileSync(new URL('firms_modis_upper_north.csv', fixtures)));
  const h = firms.hotspots;
  const provinces = JSON.parse(readFileSync(new URL('th_upper_north_provinces_simplified.geojson', fixtures), 'utf8')).features as Feature[];

  it('FIRMS upper-north slice gridded at res 5 and 7 equals the naive reference', () => {
    expect(h.length).toBe(1765);
    expect(firms.rejected).toHaveLength(0);
    const g5 = gridAndCheck(h.lng, h.lat, h.frp, 5);
    const g7 = gridAndCheck(h.lng, h.lat, h.frp, 7);
    expect(g5.cells.length).toBeLessThan(g7.cells.length);
  });

  it('upper-north provinces at res 6: centroid = polygonToCells, fraction conserves area (0.5%)', () => {
    for (const f of provinces) {
      const g = coverPolygon(f as unknown as PolygonInput, { res: 6 });
      expect(g.cells).toEqual(polygonToCells(f.geometry.coordinates, 6, true).sort());
      const fr = coverPolygon(f as unknown as PolygonInput, { res: 6, mode: 'fraction' });
      expect(fr.cells.length).toBeGreaterThan(100);
      const sum = Array.from(fr.columns.area_m2!).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum / turfArea(f as never) - 1)).toBeLessThan(0.005);
    }
  });

  it('hotspots per province: cell→province agrees with point-in-polygon except in border cells', () => {
    const r = perProvince(provinces, h.lng, h.lat, 7);
    console.log(`upper-north slice, res 7: ${r.agree} hotspots agree, ${r.disagree} disagree (all in border cells: ${r.borderDisagree})`);
    // every disagreement is in a cell a province boundary crosses
    expect(r.borderDisagree).toBe(r.disagree);
    expect(r.disagree / (r.agree + r.disagree)).toBeLessThan(0.05);
  });

  it('cellsToPolygons maps hotspot cells to the province containing their centre (turf point-in-polygon)', () => {
    const g = binPoints({ lng: h.lng, lat: h.lat }, { res: 7 });
    const m = cellsToPolygons(g.cells, provinces as unknown as PolygonInput[]);
    let inside = 0;
    g.cells.forEach((c, i) => {
      const [lat, lng] = cellToLatLng(c);
      const want = provinces.findIndex((f) => booleanPointInPolygon([lng, lat], f as never));
      expect(m.feature[i]).toBe(want);
      if (want >= 0) inside++;
    });
    expect(inside).toBeGreaterThan(300);
  });

  it('Gi* map of the hotspots at res 6 matches a naive Gi* and flags the densest cluster as a 99% hot spot', () => {
    const g = binPoints({ lng: h.lng, lat: h.lat }, { res: 6 });
    const domain = assignCellsToPolygons(provinces as unknown as PolygonInput[], 6).cells;
    const gi = getisOrdGi(g, 'count', { k: 1, domain });
    const value = new Map(g.cells.map((c, i) => [c, g.columns.count![i]!]));
    const iz = Array.from(gi.columns.gi_z!);
    const top = iz.indexOf(Math.max(...iz));
    expect(gi.columns.gi_bin![top]).toBe(3);
    for (const i of [top, 0, Math.floor(domain.length / 2)]) {
      expect(gi.columns.gi_z![i]).toBeCloseTo(naiveGi(domain, value, gi.cells[i]!, 1), 9);
    }
    const hot = Array.from(gi.columns.gi_bin!).filter((b) => b === 3).length;
    expect(hot).toBeGreaterThan(0);
  });
});

describe.skipIf(!needsSharedData('test/grid/realdata.test.ts "full shared data"'))('full shared data (skips without the shared data: set HAZETRACE_SHARED_DATA)', () => {
  it('the whole FIRMS file gridded at res 5 and 7', () => {
    const { hotspots } = readFirmsCsv(readFileSync(`${sharedDir}/firms_modis_c6_nrt_24h_snapshots_SEA.csv`));
    expect(hotspots.length).toBeGreaterThan(15000);
    gridAndCheck(hotspots.lng, hotspots.lat, hotspots.frp, 5);
    gridAndCheck(hotspots.lng, hotspots.lat, hotspots.frp, 7);
  });

  it('hotspots per Thai province (whole file, res 7): disagreement only in border cells', () => {
    const { hotspots } = readFirmsCsv(readFileSync(`${sharedDir}/firms_modis_c6_nrt_24h_snapshots_SEA.csv`));
    const provinces = JSON.parse(readFileSync(`${sharedDir}/th_provinces.geojson`, 'utf8')).features as Feature[];
    // points in the Thai bounding box only (the file covers South-East Asia)
    const keep: number[] = [];
    for (let i = 0; i < hotspots.length; i++) if (hotspots.lng[i]! >= 97.3 && hotspots.lng[i]! <= 105.7 && hotspots.lat[i]! >= 5.6 && hotspots.lat[i]! <= 20.5) keep.push(i);
    const lng = Float64Array.from(keep, (i) => hotspots.lng[i]!), lat = Float64Array.from(keep, (i) => hotspots.lat[i]!);
    const r = perProvince(provinces, lng, lat, 7);
    console.log(`Thailand, whole FIRMS file, res 7: ${r.agree} agree, ${r.disagree} disagree (${r.borderDisagree} in border cells)`);
    expect(r.borderDisagree).toBe(r.disagree);
    expect(r.disagree / (r.agree + r.disagree)).toBeLessThan(0.05);
  });

  it('all 77 Thai provinces at res 6 (centroid = polygonToCells; fraction conserves area)', () => {
    const provinces = JSON.parse(readFileSync(`${sharedDir}/th_provinces.geojson`, 'utf8')).features as Feature[];
    expect(provinces).toHaveLength(77);
    let worst = 0;
    for (const f of provinces) {
      const g = coverPolygon(f as unknown as PolygonInput, { res: 6 });
      const ref = new Set<string>();
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : (f.geometry.coordinates as unknown as never[]);
      for (const p of polys) for (const c of polygonToCells(p, 6, true)) ref.add(c);
      expect(g.cells).toEqual([...ref].sort());
      const fr = coverPolygon(f as unknown as PolygonInput, { res: 6, mode: 'fraction' });
      const sum = Array.from(fr.columns.area_m2!).reduce((a, b) => a + b, 0);
      const err = Math.abs(sum / turfArea(f as never) - 1);
      if (fr.cells.length >= 100) worst = Math.max(worst, err);
    }
    expect(worst).toBeLessThan(0.005);
  });
});
