import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getHexagonAreaAvg, polygonToCells } from 'h3-js';
import { boxAreaM2, cellCountBound, featuresAreaM2, polygonAreaM2 } from '../../src/grid/index.js';
import { expectHazetraceErrorSync } from '../hostile/helpers.js';

describe('cell budget estimates', () => {
  it('bounds the cells h3-js really makes for lng/lat boxes (res 4–7, property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 90, max: 105, noNaN: true }), fc.double({ min: 5, max: 25, noNaN: true }),
        fc.double({ min: 0.2, max: 2, noNaN: true }), fc.double({ min: 0.2, max: 2, noNaN: true }), fc.integer({ min: 4, max: 7 }),
        (w, s, dx, dy, res) => {
          const ring = [[w, s], [w + dx, s], [w + dx, s + dy], [w, s + dy], [w, s]];
          const n = polygonToCells([ring], res, true).length;
          // the perimeter in cells covers the edge: H3 counts a cell when its centre is inside
          const edge = (2 * (dx + dy) * 111_000) / Math.sqrt(getHexagonAreaAvg(res, 'm2'));
          expect(n).toBeLessThanOrEqual(cellCountBound(boxAreaM2(w, s, w + dx, s + dy), res, edge));
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it('gives the spherical box area R²·Δλ·|sin φ₂ − sin φ₁| and agrees with the exact polygon area', () => {
    const R = 6_371_008.8;
    expect(boxAreaM2(0, 0, 1, 1)).toBeCloseTo(R * R * (Math.PI / 180) * Math.sin(Math.PI / 180), 0);
    const box = { type: 'Polygon' as const, coordinates: [[[98, 18], [99, 18], [99, 19], [98, 19], [98, 18]]] };
    // the polygon's edges along parallels are straight in lng/lat, exactly the box: same area to 1e-9
    expect(polygonAreaM2(box) / boxAreaM2(98, 18, 99, 19)).toBeCloseTo(1, 9);
    expect(featuresAreaM2([{ geometry: box }, { geometry: null }, { geometry: { type: 'Point', coordinates: [0, 0] } }])).toBeCloseTo(polygonAreaM2(box), 3);
  });

  it('rejects a bad resolution or area with E_ARG', () => {
    expectHazetraceErrorSync(() => cellCountBound(1e6, 16), 'E_ARG');
    expectHazetraceErrorSync(() => cellCountBound(Number.NaN, 5), 'E_ARG');
    expectHazetraceErrorSync(() => boxAreaM2(0, 0, Infinity, 1), 'E_ARG');
  });
});
