/**
 * Least surprise in hazetrace/risk: a `readGeoJsonLayer` result (a layer, not a FeatureCollection) works as
 * a domain, and area names fall back to a common name property (or a wrong one lists what the features have).
 */
import { describe, expect, it } from 'vitest';
import { polygonToCells } from 'h3-js';
import type { FeatureCollection } from 'geojson';
import { readGeoJsonLayer } from '../../src/io/index.js';
import { HazetraceError } from '../../src/core/errors.js';
import { buildRiskFactors, domainCells, rollupCells, NAME_PROPERTIES } from '../../src/risk/index.js';

const sq = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon' as const, coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const fc = (props: Record<string, unknown>[]): FeatureCollection => ({
  type: 'FeatureCollection',
  features: props.map((p, i) => ({ type: 'Feature', properties: p, geometry: sq(98.8 + 0.2 * i, 18.6, 99.0 + 0.2 * i, 18.9) })),
});

describe('a readGeoJsonLayer result is a domain', () => {
  const text = JSON.stringify(fc([{ ADM2_EN: 'West' }, { ADM2_EN: 'East' }]));
  const layer = readGeoJsonLayer(text);

  it('domainCells(layer) equals domainCells(FeatureCollection) and h3 polygonToCells', () => {
    const viaLayer = domainCells(layer, 7);
    const viaFc = domainCells(JSON.parse(text) as FeatureCollection, 7);
    expect(viaLayer.length).toBeGreaterThan(0);
    expect(viaLayer).toEqual(viaFc);
    const h3 = new Set([...polygonToCells(sq(98.8, 18.6, 99.0, 18.9).coordinates, 7, true), ...polygonToCells(sq(99.0, 18.6, 99.2, 18.9).coordinates, 7, true)]);
    expect(viaLayer).toEqual([...h3].sort());
  });

  it('buildRiskFactors({ domain: layer }) scores the same cells instead of "covers no cell centre"', () => {
    const hotspots = { length: 1, lng: Float64Array.of(98.9), lat: Float64Array.of(18.7), time: Float64Array.of(Date.UTC(2025, 2, 1)), frp: Float64Array.of(10) };
    const set = buildRiskFactors({ domain: layer, res: 7, hotspotHistory: { hotspots } });
    const ref = buildRiskFactors({ domain: JSON.parse(text) as FeatureCollection, res: 7, hotspotHistory: { hotspots } });
    expect(set.cells.length).toBeGreaterThan(0);
    expect(set.cells).toEqual(ref.cells);
    expect(set.factors).toEqual(ref.factors);
  });
});

describe('area names', () => {
  const cells = domainCells(sq(98.8, 18.6, 99.2, 18.9), 7);
  const v = new Float64Array(cells.length).fill(1);

  it('default to the first common name property present (ADM2_EN here)', () => {
    expect(NAME_PROPERTIES).toContain('ADM2_EN');
    const st = rollupCells(cells, { v }, fc([{ code: 'A', ADM2_EN: 'West' }, { code: 'B', ADM2_EN: 'East' }]));
    expect(st.map((s) => s.name)).toEqual(['West', 'East']);
  });

  it('"name" wins over later candidates; no candidate leaves names empty', () => {
    const st = rollupCells(cells, { v }, fc([{ name: 'w', ADM2_EN: 'West' }, { ADM2_EN: 'East' }]));
    expect(st.map((s) => s.name)).toEqual(['w', '']);
    expect(rollupCells(cells, { v }, fc([{ code: 'A' }, { code: 'B' }])).map((s) => s.name)).toEqual(['', '']);
  });

  it('a nameProperty no feature has throws E_ARG listing the available properties', () => {
    let err: unknown;
    try {
      rollupCells(cells, { v }, fc([{ code: 'A', amp_en: 'West' }, { code: 'B' }]), { nameProperty: 'label' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HazetraceError);
    expect((err as HazetraceError).code).toBe('E_ARG');
    expect((err as HazetraceError).message).toMatch(/nameProperty must be a property of the features \(they have: code, amp_en\)/);
  });
});
