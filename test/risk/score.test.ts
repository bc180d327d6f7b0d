import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HazetraceError } from '../../src/core/errors.js';
import { normaliseFactor, scoreRisk, riskLevel, topFactors } from '../../src/risk/index.js';
import { midRanks, sortOrder } from '../../src/core/index.js';

const f = (a: number[]): Float64Array => Float64Array.from(a);
const cellsOf = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${i}`);

/** Independent O(n²) mid-rank percentile: count smaller and equal values. */
function naivePercentile(x: number[]): number[] {
  const fin = x.filter((v) => !Number.isNaN(v));
  return x.map((v) => {
    if (Number.isNaN(v)) return NaN;
    const less = fin.filter((w) => w < v).length;
    const eq = fin.filter((w) => w === v).length;
    return (less + (eq - 1) / 2) / (fin.length - 1);
  });
}

const factorArb = (n: number) =>
  fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }).map((v) => v), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: n, maxLength: n });

describe('sortOrder (radix sort on float bits)', () => {
  it('orders like Array.prototype.sort, NaN left out (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, -0, NaN, 1e-310, -1e-310, Number.MAX_VALUE)), { maxLength: 200 }),
        (xs) => {
          const x = xs.map((v) => (v === Infinity || v === -Infinity ? 0 : v));
          const order = Array.from(sortOrder(f(x)));
          const ref = x.map((v, i) => [v, i] as const).filter(([v]) => !Number.isNaN(v)).sort((a, b) => a[0] - b[0]);
          expect(order.map((i) => x[i]! + 0)).toEqual(ref.map(([v]) => v + 0)); // ±0 are equal values
          expect(new Set(order).size).toBe(ref.length);
        },
      ),
    );
  });
});

describe('normaliseFactor', () => {
  it('percentile ranks with ties averaged match a brute-force count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }).chain((n) => factorArb(n)), (x) => {
        const nf = normaliseFactor(f(x), 'percentile');
        if (nf.constant) return;
        const ref = naivePercentile(x);
        for (let i = 0; i < x.length; i++) expect(nf.values[i]).toBeCloseTo(ref[i]!, 12);
      }),
    );
  });
  it('hand-computed percentile and min-max', () => {
    expect(Array.from(normaliseFactor(f([10, 20, 20, 40]), 'percentile').values)).toEqual([0, 0.5, 0.5, 1]);
    const mm = normaliseFactor(f([10, 20, 20, 40]), 'minmax').values;
    expect(Array.from(mm)).toEqual([0, 1 / 3, 1 / 3, 1]);
    expect(Array.from(midRanks(f([3, 1, 3, NaN])))).toEqual([2.5, 1, 2.5, NaN]);
  });
  it('percentile is invariant to strictly increasing transforms', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 1e4, noNaN: true }), { minLength: 2, maxLength: 50 }), (x) => {
        const a = normaliseFactor(f(x)).values;
        const b = normaliseFactor(f(x.map((v) => Math.log(v) * 3 + 7))).values;
        const c = normaliseFactor(f(x.map((v) => v ** 3))).values;
        // log and cube are strictly increasing, but can merge distinct doubles into one; only compare when they didn't.
        const distinct = new Set(x).size;
        if (new Set(x.map((v) => Math.log(v) * 3 + 7)).size === distinct) expect(Array.from(b)).toEqual(Array.from(a));
        if (new Set(x.map((v) => v ** 3)).size === distinct) expect(Array.from(c)).toEqual(Array.from(a));
      }),
    );
  });
  it('rejects infinities naming the factor', () => {
    expect(() => normaliseFactor(f([1, Infinity]), 'percentile', 'pm25')).toThrow(/"pm25".*Infinity at index 1/);
  });
});

describe('scoreRisk', () => {
  it('matches the hand-computed example', () => {
    const r = scoreRisk(
      { cells: ['a', 'b', 'c'], factors: { detections: f([0, 2, 9]), pm25: f([20, 80, 40]) } },
      { weights: { detections: 3, pm25: 1 } },
    );
    expect(Array.from(r.score)).toEqual([0, 62.5, 87.5]);
    expect(r.level).toEqual(['low', 'high', 'very high']);
    expect(Array.from(r.contributions.detections!)).toEqual([0, 37.5, 75]);
    expect(Array.from(r.contributions.pm25!)).toEqual([0, 25, 12.5]);
    expect(r.weights).toEqual({ detections: 0.75, pm25: 0.25 });
    expect(topFactors(r.contributions, 1, 3)).toEqual([
      { factor: 'detections', points: 37.5 },
      { factor: 'pm25', points: 25 },
    ]);
    const j = JSON.parse(JSON.stringify(r));
    expect(j.score).toEqual([0, 62.5, 87.5]);
  });

  it('levels follow the documented thresholds 25/50/75 (lower bound inclusive)', () => {
    expect([0, 24.999, 25, 49.9, 50, 74.9, 75, 100].map((s) => riskLevel(s))).toEqual([
      'low', 'low', 'moderate', 'moderate', 'high', 'high', 'very high', 'very high',
    ]);
    expect(riskLevel(30, [10, 20, 30])).toBe('very high');
  });

  it('a NaN score has no level: riskLevel throws E_ARG instead of falling through to "very high"', () => {
    expect(() => riskLevel(NaN)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => riskLevel('50' as unknown as number)).toThrow(HazetraceError);
    expect(riskLevel(Infinity)).toBe('very high');
  });

  const scenario = fc.integer({ min: 2, max: 30 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      a: factorArb(n),
      b: factorArb(n),
      c: fc.array(fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }), fc.constant(NaN)), { minLength: n, maxLength: n }),
      wa: fc.double({ min: 0, max: 10, noNaN: true }),
      wb: fc.double({ min: 0.01, max: 10, noNaN: true }),
      wc: fc.double({ min: 0, max: 10, noNaN: true }),
      normalise: fc.constantFrom('percentile' as const, 'minmax' as const),
      nan: fc.constantFrom('min' as const, 'exclude' as const),
    }),
  );

  it('contributions sum to the score, scores stay in 0–100 and are never NaN (property)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const r = scoreRisk(
          { cells: cellsOf(s.n), factors: { a: f(s.a), b: f(s.b), c: f(s.c) } },
          { weights: { a: s.wa, b: s.wb, c: s.wc }, normalise: s.normalise, nan: s.nan },
        );
        for (let i = 0; i < s.n; i++) {
          const sc = r.score[i]!;
          expect(Number.isNaN(sc)).toBe(false);
          expect(sc).toBeGreaterThanOrEqual(0);
          expect(sc).toBeLessThanOrEqual(100);
          const sum = r.contributions.a![i]! + r.contributions.b![i]! + r.contributions.c![i]!;
          expect(sum).toBeCloseTo(sc, 9);
          expect(r.level[i]).toBe(riskLevel(sc));
        }
      }),
    );
  });

  it('raising a positively weighted factor never lowers that cell\'s score (property)', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.nat(),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        fc.constantFrom('a', 'b', 'c'),
        (s, idx, delta, which) => {
          const i = idx % s.n;
          const factors = { a: f(s.a), b: f(s.b), c: f(s.c) };
          const opts = { weights: { a: s.wa, b: s.wb, c: s.wc }, normalise: s.normalise, nan: s.nan };
          const before = scoreRisk({ cells: cellsOf(s.n), factors }, opts).score[i]!;
          const col = factors[which as 'a' | 'b' | 'c'];
          if (Number.isNaN(col[i]!)) return; // raising "missing" is not defined
          col[i] = col[i]! + delta;
          const after = scoreRisk({ cells: cellsOf(s.n), factors }, opts).score[i]!;
          expect(after).toBeGreaterThanOrEqual(before - 1e-9);
        },
      ),
    );
  });

  it('percentile scoring is invariant to a monotone transform of a factor', () => {
    const a = f([1, 5, 5, 100, 2, 40]);
    const b = f([3, 1, 2, 0, 9, 4]);
    const r1 = scoreRisk({ cells: cellsOf(6), factors: { a, b } }, { weights: { a: 2, b: 1 } });
    const r2 = scoreRisk({ cells: cellsOf(6), factors: { a: a.map((v) => Math.log10(v)), b } }, { weights: { a: 2, b: 1 } });
    expect(Array.from(r2.score)).toEqual(Array.from(r1.score));
  });

  it('constant and all-NaN factors contribute 0 with a warning; weights renormalise', () => {
    const r = scoreRisk(
      { cells: cellsOf(3), factors: { x: f([0, 1, 2]), k: f([7, 7, 7]), z: f([NaN, NaN, NaN]) } },
      { weights: { x: 1, k: 5, z: 5 } },
    );
    expect(Array.from(r.score)).toEqual([0, 50, 100]);
    expect(Array.from(r.contributions.k!)).toEqual([0, 0, 0]);
    expect(Array.from(r.contributions.z!)).toEqual([0, 0, 0]);
    expect(r.warnings.some((w) => w.includes('"k" is constant'))).toBe(true);
    expect(r.warnings.some((w) => w.includes('"z" is all NaN'))).toBe(true);
    expect(r.weights).toEqual({ x: 1, k: 0, z: 0 });
    const all = scoreRisk({ cells: cellsOf(2), factors: { k: f([1, 1]) } });
    expect(Array.from(all.score)).toEqual([0, 0]);
    expect(all.warnings.at(-1)).toMatch(/every score is 0/);
  });

  it('NaN entries: "min" treats them as the minimum, "exclude" renormalises the cell', () => {
    const factors = { x: f([0, 1, 2, NaN]), y: f([3, 2, 1, 4]) };
    const rMin = scoreRisk({ cells: cellsOf(4), factors }, { weights: { x: 1, y: 1 } });
    // x → [0, .5, 1, NaN→0], y → [2/3, 1/3, 0, 1]
    expect(Array.from(rMin.score).map((v) => +v.toFixed(10))).toEqual([33.3333333333, 41.6666666667, 50, 50]);
    const rEx = scoreRisk({ cells: cellsOf(4), factors }, { weights: { x: 1, y: 1 }, nan: 'exclude' });
    expect(rEx.score[3]).toBe(100); // only y present, and y is the maximum there
    expect(rEx.score[0]).toBeCloseTo(100 / 3, 12);
    expect(rMin.warnings[0]).toMatch(/"x" has 1 NaN value\(s\): treated as the factor's minimum/);
  });

  it('invert turns a protective factor around', () => {
    const r = scoreRisk({ cells: cellsOf(3), factors: { dist_km: f([1, 10, 100]) } }, { invert: ['dist_km'] });
    expect(Array.from(r.score)).toEqual([100, 50, 0]);
  });

  it('bad weights throw HazetraceError naming the factor', () => {
    const input = { cells: cellsOf(2), factors: { a: f([0, 1]), b: f([1, 0]) } };
    const expectErr = (fn: () => unknown, re: RegExp): void => {
      try {
        fn();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(HazetraceError);
        expect((e as HazetraceError).code).toBe('E_ARG');
        expect((e as Error).message).toMatch(re);
      }
    };
    expectErr(() => scoreRisk(input, { weights: { a: 1, b: 1, c: 1 } }), /factor "c"/);
    expectErr(() => scoreRisk(input, { weights: { a: 1 } }), /factor "b"/);
    expectErr(() => scoreRisk(input, { weights: { a: 1, b: -2 } }), /weights\.b .*-2/);
    expectErr(() => scoreRisk(input, { weights: { a: 1, b: NaN } }), /weights\.b .*NaN/);
    expectErr(() => scoreRisk(input, { weights: { a: 0, b: 0 } }), /all 0/);
    expectErr(() => scoreRisk({ cells: cellsOf(3), factors: { a: f([0, 1]) } }), /factors\.a has length 2 but cells has length 3/);
    expectErr(() => scoreRisk(input, { thresholds: [50, 25, 75] }), /thresholds/);
    expectErr(() => scoreRisk(input, { invert: ['q'] }), /invert/);
  });
});
