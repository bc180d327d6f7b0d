import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, cwt, differenceMap, differenceSignificance, pscf, significanceToGeoJson, subsetTrajectories, trajStatSignificance } from '../../src/attribution/index.js';
import { createRng, HazetraceError } from '../../src/core/index.js';
import { bearingFromReceptor, degFromReceptor, fanSet } from './trajmaps-fixtures.js';

/** Independent O(m²) BH: q_i = min over p_j ≥ p_i of m·p_j / rank_j (ranks 1-based, ties broken by index). */
function bhReference(p: number[]): number[] {
  const m = p.length;
  const order = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const rank = new Array<number>(m);
  order.forEach(([, i], r) => (rank[i] = r + 1));
  return p.map((pi, i) => Math.min(1, ...p.map((pj, j) => (rank[j]! >= rank[i]! ? (m * pj) / rank[j]! : Infinity))));
}

describe('benjaminiHochberg', () => {
  it("matches R's p.adjust(p, 'BH') on hand cases", () => {
    // p.adjust(c(0.01, 0.04, 0.03, 0.2), "BH") = 0.04 0.05333333 0.05333333 0.2
    const r = benjaminiHochberg([0.01, 0.04, 0.03, 0.2]);
    expect(Array.from(r.qValues)).toEqual([0.04, 0.16 / 3, 0.16 / 3, 0.2]);
    expect(r.significant).toEqual([true, false, false, false]);
    // p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "BH") = 0.05 everywhere
    for (const v of benjaminiHochberg([0.01, 0.02, 0.03, 0.04, 0.05]).qValues) expect(v).toBeCloseTo(0.05, 15);
    // p.adjust(c(0.01, NA, 0.04), "BH") = 0.02 NA 0.04 (NA left out of m)
    const na = benjaminiHochberg([0.01, NaN, 0.04]);
    expect(na.qValues[0]).toBeCloseTo(0.02, 15);
    expect(na.qValues[1]).toBeNaN();
    expect(na.qValues[2]).toBeCloseTo(0.04, 15);
    expect(na.significant).toEqual([true, false, true]);
    expect(benjaminiHochberg([0.9, 0.95], 0.05).qValues[0]).toBe(0.95);
  });

  it("matches R 4's p.adjust on R-generated p-values (Rscript output pasted below)", () => {
    // set.seed(2); p <- signif(c(runif(8)*0.01, runif(12)), 6); p.adjust(p, "BH")   (R 4, Debian r-base-core)
    const p = [0.00184882, 0.00702374, 0.00573326, 0.00168052, 0.00943839, 0.00943475, 0.00129159, 0.00833449, 0.468019, 0.549984, 0.552674, 0.238895, 0.760513, 0.18082, 0.405282, 0.853548, 0.976398, 0.225825, 0.444809, 0.0749794];
    const r = [0.012325466666666667, 0.023595974999999998, 0.023595974999999998, 0.012325466666666667, 0.023595974999999998, 0.023595974999999998, 0.012325466666666667, 0.023595974999999998, 0.624025333333333321, 0.650204705882352907, 0.650204705882352907, 0.398158333333333336, 0.845014444444444512, 0.361640000000000017, 0.623510769230769202, 0.898471578947368288, 0.976397999999999988, 0.398158333333333336, 0.624025333333333321, 0.166620888888888902];
    const got = benjaminiHochberg(p, 0.05);
    got.qValues.forEach((q, i) => expect(q).toBeCloseTo(r[i]!, 14));
    expect(got.count).toBe(8);
    // set.seed(1); p <- round(runif(30)*50)/50 — many ties
    const p2 = [0.26, 0.38, 0.58, 0.9, 0.2, 0.9, 0.94, 0.66, 0.62, 0.06, 0.2, 0.18, 0.68, 0.38, 0.76, 0.5, 0.72, 1, 0.38, 0.78, 0.94, 0.22, 0.66, 0.12, 0.26, 0.38, 0.02, 0.38, 0.86, 0.34];
    const a = 0.76, b = 0.97142857142857153, c = 0.97241379310344833;
    const r2 = [a, a, b, c, a, c, c, b, b, a, a, a, b, a, c, 0.9375, c, 1, a, c, c, a, b, a, a, a, 0.6, a, c, a];
    benjaminiHochberg(p2).qValues.forEach((q, i) => expect(q).toBeCloseTo(r2[i]!, 14));
  });

  it('equals an independent implementation on random p-values with ties', () => {
    const rng = createRng(11);
    for (let rep = 0; rep < 20; rep++) {
      const p = Array.from({ length: 1 + rng.int(40) }, () => Math.round(rng.next() * 50) / 50);
      const got = Array.from(benjaminiHochberg(p).qValues);
      const want = bhReference(p);
      got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 12));
    }
  });

  it('rejects p-values outside [0, 1] and bad q', () => {
    expect(() => benjaminiHochberg([0.5, 1.2])).toThrow(HazetraceError);
    expect(() => benjaminiHochberg([0.5], 0)).toThrow(/q/);
  });
});

const GRID = { type: 'h3' as const, res: 3 };

describe('trajStatSignificance', () => {
  it('flags at most 5 % of cells when concentrations are unrelated to the paths (5 seeds, PSCF and CWT)', () => {
    // Raw p-values must also be calibrated: about 5 % of cells at p ≤ 0.05 (a test that never rejects fails here).
    const raw: Record<'pscf' | 'cwt', [number, number]> = { pscf: [0, 0], cwt: [0, 0] };
    for (const seed of [1, 2, 3, 4, 5]) {
      const { set } = fanSet(150, 100 + seed);
      const rng = createRng(seed);
      const values = Array.from({ length: set.length }, () => rng.logNormal(3, 0.6));
      for (const statistic of ['pscf', 'cwt'] as const) {
        const r = trajStatSignificance(set, values, { statistic, grid: GRID, permutations: 199, seed });
        expect(r.cells.length).toBeGreaterThan(100);
        expect(r.flagged / r.cells.length).toBeLessThanOrEqual(0.05);
        raw[statistic][0] += r.cells.filter((c) => c.p <= 0.05).length;
        raw[statistic][1] += r.cells.length;
      }
    }
    for (const [hit, n] of Object.values(raw)) {
      expect(hit / n).toBeGreaterThan(0.01);
      expect(hit / n).toBeLessThan(0.08);
    }
  });

  it('flags a planted source sector and (almost) nothing else', () => {
    const { set, heading } = fanSet(240, 7);
    const rng = createRng(8);
    // Air from the north-east sector (bearing 30–75°) arrives polluted.
    const inSector = (b: number) => b >= 30 && b < 75;
    const values = Array.from(heading, (h) => (inSector(h) ? 90 : 25) + 5 * rng.normal());
    for (const statistic of ['pscf', 'cwt'] as const) {
      const r = trajStatSignificance(set, values, { statistic, grid: GRID, permutations: 499, seed: 3, minBin: 5 });
      const far = r.cells.filter((c) => degFromReceptor(c.lng, c.lat) > 2);
      const inside = far.filter((c) => inSector(bearingFromReceptor(c.lng, c.lat)) && bearingFromReceptor(c.lng, c.lat) > 35 && bearingFromReceptor(c.lng, c.lat) < 70);
      const outside = far.filter((c) => { const b = bearingFromReceptor(c.lng, c.lat); return b < 20 || b > 85; });
      expect(inside.length).toBeGreaterThan(5);
      expect(inside.filter((c) => c.significant).length / inside.length).toBeGreaterThan(0.8);
      expect(outside.filter((c) => c.significant).length).toBe(0);
    }
  });

  it('keeps the observed map exactly pscf()/cwt() and is deterministic with a seed', () => {
    const { set } = fanSet(60, 9);
    const values = Array.from({ length: set.length }, (_, t) => (t % 7 === 0 ? NaN : 10 + (t % 5) * 7));
    const pts = { lng: [] as number[], lat: [] as number[], value: [] as number[] };
    for (let t = 0; t < set.length; t++) {
      if (!Number.isFinite(values[t]!)) continue;
      for (let i = set.offsets[t]!; i < set.offsets[t + 1]!; i++) (pts.lng.push(set.lng[i]!), pts.lat.push(set.lat[i]!), pts.value.push(values[t]!));
    }
    const a = trajStatSignificance(set, values, { statistic: 'pscf', grid: GRID, percentile: 75, permutations: 99, seed: 5 });
    const ref = pscf(pts, { grid: GRID, percentile: 75 });
    expect(a.cells.map(({ p: _p, q: _q, significant: _s, ...c }) => c)).toEqual(ref.cells);
    expect(a.threshold).toBe(ref.threshold);
    const c = trajStatSignificance(set, values, { statistic: 'cwt', grid: GRID, permutations: 99, seed: 5 });
    expect(c.cells.map((x) => x.value)).toEqual(cwt(pts, { grid: GRID }).cells.map((x) => x.value));
    const again = trajStatSignificance(set, values, { statistic: 'pscf', grid: GRID, percentile: 75, permutations: 99, seed: 5 });
    expect(again.cells.map((x) => x.p)).toEqual(a.cells.map((x) => x.p));
    const other = trajStatSignificance(set, values, { statistic: 'pscf', grid: GRID, percentile: 75, permutations: 99, seed: 6 });
    expect(other.cells.map((x) => x.p)).not.toEqual(a.cells.map((x) => x.p));
  });

  it('gives the exact permutation p-value on a small case (1/4 for the top of four)', () => {
    // Four trajectories along four headings; the cell only trajectory 0 reaches has p = P(it draws the top value) = 1/4.
    const { set } = fanSet(4, 21, 24, 0.5);
    const r = trajStatSignificance(set, [100, 10, 20, 30], { statistic: 'cwt', grid: GRID, weighting: 'none', permutations: 8000, seed: 2 });
    const only0 = r.cells.filter((c) => c.value === 100 && c.n > 0);
    expect(only0.length).toBeGreaterThan(0);
    for (const c of only0) expect(c.p).toBeGreaterThan(0.25 - 0.03), expect(c.p).toBeLessThan(0.25 + 0.03);
  });

  it("circular shifts keep raw p-values calibrated on autocorrelated paths and series, where free shuffling does not", () => {
    // Headings wander (random walk) and concentrations are AR(1), independently: no signal, but neighbours in time agree.
    const share = { shuffle: 0, 'circular-shift': 0 };
    for (const scheme of ['shuffle', 'circular-shift'] as const) {
      let hit = 0;
      let n = 0;
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const { set } = fanSet(300, 300 + seed, 36, 0.25, 20);
        const rng = createRng(seed);
        let a = 0;
        const values = Array.from({ length: set.length }, () => ((a = 0.97 * a + rng.normal()), Math.exp(3 + 0.3 * a)));
        const r = trajStatSignificance(set, values, { statistic: 'cwt', grid: GRID, permutations: 199, seed, scheme, minShift: 24, minBin: 5 });
        expect(r.flagged / r.cells.length).toBeLessThanOrEqual(0.05);
        hit += r.cells.filter((c) => c.p <= 0.05).length;
        n += r.cells.length;
      }
      share[scheme] = hit / n;
    }
    expect(share.shuffle).toBeGreaterThan(0.08); // anti-conservative: exchangeability is violated
    expect(share['circular-shift']).toBeLessThan(0.075);
  });

  it('rejects bad arguments with E_ARG', () => {
    const { set } = fanSet(5, 1);
    expect(() => trajStatSignificance(set, [1, 2, 3, 4, 5], { statistic: 'cwt', scheme: 'circular-shift', minShift: 3 })).toThrow(/minShift/);
    expect(() => trajStatSignificance(set, [1, 2, 3, 4, 5], { statistic: 'cwt', scheme: 'block' as never })).toThrow(/scheme/);
    expect(() => trajStatSignificance(set, [1, 2], { statistic: 'cwt' })).toThrow(/values/);
    expect(() => trajStatSignificance(set, [1, 2, 3, 4, 5], { statistic: 'sqtba' as never })).toThrow(HazetraceError);
    expect(() => trajStatSignificance(set, [1, 2, 3, 4, 5], { statistic: 'cwt', permutations: 0 })).toThrow(/permutations/);
  });
});

describe('differenceSignificance', () => {
  it('has the values of differenceMap and flags a planted pathway, not noise', () => {
    const { set, heading } = fanSet(240, 13);
    const subsetIdx = Array.from(heading.keys()).filter((t) => (heading[t]! >= 200 && heading[t]! < 250) || t % 10 === 0);
    const mask = Array.from(heading, (_, t) => subsetIdx.includes(t));
    const r = differenceSignificance(set, mask, { res: 3, permutations: 499, seed: 4, minBin: 5 });
    const ref = differenceMap(subsetTrajectories(set, subsetIdx), set, { res: 3, minBin: 5 });
    expect(r.cells.map((c) => [c.id, c.value])).toEqual(ref.cells.map((c) => [c.id, c.value]).map(([id, v]) => [id, expect.closeTo(v as number, 10)]));
    const far = r.cells.filter((c) => degFromReceptor(c.lng, c.lat) > 2);
    const inside = far.filter((c) => { const b = bearingFromReceptor(c.lng, c.lat); return b > 205 && b < 245; });
    expect(inside.length).toBeGreaterThan(5);
    expect(inside.filter((c) => c.significant && c.value > 0).length / inside.length).toBeGreaterThan(0.8);
    expect(far.filter((c) => { const b = bearingFromReceptor(c.lng, c.lat); return c.significant && (b < 180 || b > 270); }).length).toBe(0);
    const fc = significanceToGeoJson(r);
    expect(fc.features).toHaveLength(r.cells.length);
    expect(fc.features.filter((f) => f.properties?.significant).length).toBe(r.flagged);
    expect(fc.features[0]!.properties).toHaveProperty('q');
  });

  it('flags at most 5 % of cells for random subsets (5 seeds)', () => {
    let hit = 0;
    let n = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const { set } = fanSet(150, 200 + seed);
      const rng = createRng(seed);
      const mask = Array.from({ length: set.length }, () => rng.next() < 0.2);
      const r = differenceSignificance(set, mask, { res: 3, permutations: 199, seed });
      expect(r.flagged / r.cells.length).toBeLessThanOrEqual(0.05);
      hit += r.cells.filter((c) => c.p <= 0.05).length;
      n += r.cells.length;
    }
    expect(hit / n).toBeGreaterThan(0.005);
    expect(hit / n).toBeLessThan(0.08);
  });
});
