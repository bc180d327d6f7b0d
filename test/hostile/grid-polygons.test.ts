/**
 * Hostile-input corpus: polygon gridding — a self-intersecting polygon is rejected with a reason (never "area 0 but
 * 140 cells"); valid polygons, antimeridian crossings and rings touching at a vertex are unaffected.
 */
import { describe, expect, it } from 'vitest';
import { coverPolygon, polygonAreaM2 } from '../../src/grid/index.js';
import { expectHazetraceErrorSync } from './helpers.js';

const poly = (...rings: number[][][]) => ({ type: 'Polygon' as const, coordinates: rings });
const bowTie = poly([[98, 18], [99, 19], [99, 18], [98, 19], [98, 18]]);
const square = poly([[98, 18], [99, 18], [99, 19], [98, 19], [98, 18]]);

describe('hostile: polygons', () => {
  it('polygon: a bow-tie is rejected by coverPolygon naming the crossing edges and point', () => {
    const e = expectHazetraceErrorSync(() => coverPolygon(bowTie, { res: 6 }), 'E_INPUT');
    expect(e.message).toMatch(/^polygon 1 is self-intersecting: outer ring edge 1 crosses outer ring edge 3 at \(98\.5, 18\.5\)/);
    expect(e.details).toMatchObject({ reason: 'self-intersection', polygon: 1, at: [98.5, 18.5] });
  });

  it('polygon: a bow-tie is rejected in fraction mode too', () => {
    expectHazetraceErrorSync(() => coverPolygon(bowTie, { res: 6, mode: 'fraction' }), 'E_INPUT');
  });

  it('polygon: polygonAreaM2 of a bow-tie is E_INPUT, not 0', () => {
    expectHazetraceErrorSync(() => polygonAreaM2(bowTie), 'E_INPUT');
  });

  it('polygon: a hole that crosses its shell is rejected naming both rings', () => {
    const e = expectHazetraceErrorSync(() => coverPolygon(poly(square.coordinates[0]!, [[98.5, 18.5], [99.5, 18.5], [99.5, 18.7], [98.5, 18.7], [98.5, 18.5]]), { res: 6 }), 'E_INPUT');
    expect(e.message).toMatch(/outer ring edge 2 crosses hole 1 edge 1|hole 1 edge \d crosses outer ring edge 2/);
  });

  it('polygon: the second polygon of a MultiPolygon is named when it is the bad one', () => {
    const e = expectHazetraceErrorSync(() => coverPolygon({ type: 'MultiPolygon', coordinates: [square.coordinates, bowTie.coordinates.map((r) => r.map(([x, y]) => [x! + 2, y!]))] }, { res: 5 }), 'E_INPUT');
    expect(e.message).toMatch(/^polygon 2 is self-intersecting/);
  });

  it('polygon: a ring that doubles back across itself (a spike crossing an edge) is rejected', () => {
    expectHazetraceErrorSync(() => polygonAreaM2(poly([[98, 18], [100, 18], [100, 20], [99, 17], [98, 20], [98, 18]])), 'E_INPUT');
  });

  it('polygon: rings touching at one vertex (not crossing) are accepted', () => {
    const touching = poly([[98, 18], [100, 18], [100, 20], [98, 20], [98, 18]], [[99, 18], [99.5, 19], [98.5, 19], [99, 18]]);
    expect(polygonAreaM2(touching)).toBeGreaterThan(0);
  });

  it('polygon: a valid square keeps area and cells (both non-zero, consistent)', () => {
    const a = polygonAreaM2(square);
    const f = coverPolygon(square, { res: 6, mode: 'fraction' });
    const sum = Array.from(f.columns.area_m2!).reduce((s, x) => s + x, 0);
    expect(sum / a).toBeCloseTo(1, 6);
  });

  it('polygon: a valid polygon across the antimeridian is not mistaken for a self-intersection', () => {
    const p = poly([[179, -17], [-179, -17], [-179, -16], [179, -16], [179, -17]]);
    expect(coverPolygon(p, { res: 4 }).cells.length).toBeGreaterThan(0);
  });
});
