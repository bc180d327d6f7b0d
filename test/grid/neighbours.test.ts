import { describe, expect, it } from 'vitest';
import { gridDisk, latLngToCell } from 'h3-js';
import { getisOrdGi, kRingSmooth, normalUpperTail } from '../../src/grid/index.js';
import type { CellGrid } from '../../src/core/types.js';

const c0 = latLngToCell(18.8, 99.0, 7);
const ring1 = gridDisk(c0, 1);
const ring2 = gridDisk(c0, 2);

describe('kRingSmooth', () => {
  it('averages the k-ring among present cells', () => {
    const cells = ring1.slice().sort();
    const v = Float64Array.from(cells, (c) => (c === c0 ? 70 : 0));
    const g: CellGrid = { res: 7, cells, columns: { v } };
    const s = kRingSmooth(g, 'v', 1);
    const i0 = cells.indexOf(c0);
    expect(s.columns.v_smooth![i0]).toBeCloseTo(10, 12); // 70 / 7 cells
    // a ring-1 cell sees c0, itself and 2 other ring-1 cells present in the grid → 70 / 4
    const i1 = cells.findIndex((c) => c !== c0);
    expect(s.columns.v_smooth![i1]).toBeCloseTo(70 / 4, 12);
    expect(s.columns.v).toBe(v);
  });
});

describe('getisOrdGi', () => {
  it('matches a hand-computed Gi* (19-cell domain, one value of 10 at the centre)', () => {
    // n = 19, X̄ = 10/19, S = √(100/19 − (10/19)²) = 2.232969…
    // centre: Σw = 7, Σwx = 10 → z = (10 − 7·10/19) / (S·√((19·7 − 49)/18)) = 6.315789 / 4.823766 = 1.309307
    const g: CellGrid = { res: 7, cells: [c0], columns: { v: Float64Array.of(10) } };
    const gi = getisOrdGi(g, 'v', { k: 1, domain: ring2 });
    expect(gi.cells).toHaveLength(19);
    const i0 = gi.cells.indexOf(c0);
    expect(gi.columns.gi_z![i0]).toBeCloseTo(1.309307, 5);
    expect(gi.columns.gi_n![i0]).toBe(7);
    // two-sided p for z = 1.309307: 2·(1 − Φ(1.3093)) = 0.19043
    expect(gi.columns.gi_p![i0]).toBeCloseTo(0.19043, 4);
    expect(gi.columns.gi_bin![i0]).toBe(0);
    // an outer-ring cell not touching c0: neighbours in the domain exclude c0 → Σwx = 0
    const outer = ring2.find((c) => !ring1.includes(c))!;
    const io = gi.cells.indexOf(outer);
    const sw = gi.columns.gi_n![io]!;
    const S = Math.sqrt(100 / 19 - (10 / 19) ** 2);
    expect(gi.columns.gi_z![io]).toBeCloseTo((0 - (10 / 19) * sw) / (S * Math.sqrt((19 * sw - sw * sw) / 18)), 10);
  });

  it('normal tail matches known values', () => {
    expect(normalUpperTail(1.96)).toBeCloseTo(0.0249979, 6);
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(-1.6449)).toBeCloseTo(0.95, 4);
  });

  it('stops with a reason on a constant field', () => {
    const g: CellGrid = { res: 7, cells: ring1.slice().sort(), columns: { v: new Float64Array(7).fill(3) } };
    expect(() => getisOrdGi(g, 'v')).toThrow(/no spread/);
    expect(() => getisOrdGi(g, 'nope')).toThrow(/column/);
  });
});
