import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { cwt, pscf, sqtba } from '../../src/attribution/index.js';
import { roundHalfEven, quantile7 } from '../../src/attribution/util.js';

/** The openair reference case: 10 trajectories × 4 hourly points on the equator. */
function referenceCase() {
  const lng: number[] = [];
  const lat: number[] = [];
  const value: number[] = [];
  for (let t = 1; t <= 10; t++) {
    const dir = t <= 5 ? -1 : 1;
    for (let k = 0; k < 4; k++) {
      lng.push(dir * k);
      lat.push(0);
      value.push(10 * t);
    }
  }
  return { lng, lat, value };
}

describe('openair reference case (1° boxes)', () => {
  it('PSCF: threshold 91, mean count 40/7, 0.075 / 0.1 / 0', () => {
    const r = pscf(referenceCase(), { grid: { type: 'degree', size: 1 } });
    expect(r.threshold).toBeCloseTo(91, 12);
    expect(r.meanCount).toBeCloseTo(40 / 7, 12);
    const by = new Map(r.cells.map((c) => [c.id, c]));
    expect(r.cells).toHaveLength(7);
    expect(by.get('0,0')?.value).toBeCloseTo(0.075, 12);
    expect(by.get('0,0')?.n).toBe(10);
    for (const x of [1, 2, 3]) expect(by.get(`${x},0`)?.value).toBeCloseTo(0.1, 12);
    for (const x of [-1, -2, -3]) expect(by.get(`${x},0`)?.value).toBe(0);
    const c = by.get('2,0');
    expect(c?.lng).toBe(2);
    expect(c?.lat).toBe(0);
  });

  it('CWT: 2.75 / 4.0 / 1.5', () => {
    const r = cwt(referenceCase(), { grid: { type: 'degree', size: 1 } });
    const by = new Map(r.cells.map((c) => [c.id, c.value]));
    expect(by.get('0,0')).toBeCloseTo(2.75, 12);
    for (const x of [1, 2, 3]) expect(by.get(`${x},0`)).toBeCloseTo(4.0, 12);
    for (const x of [-1, -2, -3]) expect(by.get(`${x},0`)).toBeCloseTo(1.5, 12);
  });

  it('bins with R round-half-to-even: 2.5 → 2, 3.5 → 4, -0.5 → 0', () => {
    const r = cwt({ lng: [2.5, 3.5, -0.5], lat: [0.5, 1.5, 0], value: [1, 2, 3] }, { grid: { type: 'degree', size: 1 }, weighting: 'none' });
    expect(r.cells.map((c) => c.id).sort()).toEqual(['0,0', '2,0', '4,2']);
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfEven(-2.5)).toBe(-2);
    expect(roundHalfEven(-1.5)).toBe(-2);
  });

  it('type-7 quantile agrees with R on a hand case', () => {
    // R: quantile(c(1, 2, 3, 4, 10), 0.9) = 7.6
    expect(quantile7([10, 1, 3, 2, 4], 0.9)).toBeCloseTo(7.6, 12);
  });
});

describe('weightings and grids', () => {
  it('trajstat, none and custom weightings', () => {
    const pts = referenceCase();
    const none = cwt(pts, { weighting: 'none' });
    expect(new Map(none.cells.map((c) => [c.id, c.value])).get('0,0')).toBeCloseTo(55, 12);
    const ts = cwt(pts, { weighting: 'trajstat' });
    // mean count 40/7 ≈ 5.71: n = 10 is in (1.5 n̄, 3 n̄] → 0.7; n = 5 ≤ n̄ → 0.05
    const m = new Map(ts.cells.map((c) => [c.id, c.value]));
    expect(m.get('0,0')).toBeCloseTo(55 * 0.7, 12);
    expect(m.get('1,0')).toBeCloseTo(80 * 0.05, 12);
    const custom = pscf(pts, { weighting: (n) => n / 100 });
    expect(new Map(custom.cells.map((c) => [c.id, c.value])).get('0,0')).toBeCloseTo(0.1 * 0.1, 12);
    expect(() => pscf(pts, { weighting: 'bogus' as never })).toThrow(/weighting/);
    expect(() => pscf(pts, { percentile: 0 })).toThrow(/percentile/);
  });

  it('H3 grid: ids are h3-js cells and centres are cellToLatLng', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 95, max: 105, noNaN: true }), fc.double({ min: 10, max: 25, noNaN: true })), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 9 }), (pts, res) => {
        const r = cwt({ lng: pts.map((p) => p[0]), lat: pts.map((p) => p[1]), value: pts.map(() => 1) }, { grid: { type: 'h3', res }, weighting: 'none' });
        const expected = new Map<string, number>();
        for (const [x, y] of pts) {
          const id = latLngToCell(y, x, res);
          expected.set(id, (expected.get(id) ?? 0) + 1);
        }
        expect(r.cells.length).toBe(expected.size);
        for (const c of r.cells) {
          expect(c.n).toBe(expected.get(c.id));
          const [la, ln] = cellToLatLng(c.id);
          expect(c.lat).toBe(la);
          expect(c.lng).toBe(ln);
          expect(c.value).toBe(1);
        }
      }),
      { numRuns: 50, seed: 7 },
    );
  });

  it('PSCF on H3 reproduces the reference ratios when each box maps to one cell', () => {
    const r = pscf(referenceCase(), { grid: { type: 'h3', res: 4 }, weighting: 'none' });
    const c0 = r.cells.find((c) => c.id === latLngToCell(0, 0, 4));
    expect(c0?.value).toBeCloseTo(0.1, 12);
  });
});

describe('sqtba', () => {
  it('a single point gives its own concentration everywhere; two symmetric points average at the midpoint', () => {
    const one = sqtba({ lng: [100], lat: [18], value: [42], ageHours: [24] }, { grid: { type: 'degree', size: 0.25 } });
    expect(one.cells.length).toBeGreaterThan(10);
    for (const c of one.cells) expect(c.value).toBeCloseTo(42, 10);
    const two = sqtba({ lng: [100, 101], lat: [0, 0], value: [20, 80], ageHours: [40, 40] }, { grid: { type: 'degree', size: 0.5 } });
    const mid = two.cells.find((c) => c.id === '100.5,0');
    expect(mid?.value).toBeCloseTo(50, 10);
    // Closer to the 80 point, the value moves towards 80
    const east = two.cells.find((c) => c.id === '101,0');
    expect(east!.value).toBeGreaterThan(50);
  });
  it('Q follows σ⁻² exp(−½(d/σ)²) with σ = 1.5 km/h × age', () => {
    const r = sqtba({ lng: [0], lat: [0], value: [1], ageHours: [20] }, { grid: { type: 'degree', size: 0.1 } });
    const c = r.cells.find((x) => x.id === '0.3,0')!;
    const d = 0.3 * (Math.PI / 180) * 6371.0088;
    expect(c.raw).toBeCloseTo((1 / 900) * Math.exp(-0.5 * (d / 30) ** 2), 12);
  });
});
