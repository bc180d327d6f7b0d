import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../src/core/rng.js';
import { HazetraceError } from '../../src/core/errors.js';
import { auc, bootstrapAuc, calibrateRisk, fitLogistic } from '../../src/risk/index.js';

/** Brute-force AUC over all positive/negative pairs, ties one half. */
function pairAuc(s: number[], y: number[]): number {
  let u = 0;
  let m = 0;
  for (let i = 0; i < s.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < s.length; j++) {
      if (y[j] !== 0) continue;
      m++;
      u += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return u / m;
}

describe('auc', () => {
  it('hand-checked examples', () => {
    // positives 0.35, 0.8 vs negatives 0.1, 0.4: 0.35>0.1, 0.35<0.4, 0.8>both → 3/4
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    // with ties: positives {2, 3, 1}, negatives {1, 2}: 2v1 1, 2v2 ½, 3v1 1, 3v2 1, 1v1 ½, 1v2 0 → 4/6
    expect(auc([1, 2, 2, 3, 1], [0, 1, 0, 1, 1])).toBeCloseTo(4 / 6, 15);
    expect(auc([5, 5, 5], [0, 1, 0])).toBe(0.5);
    expect(auc([1, 2, 3], [1, 1, 0])).toBe(0);
  });
  it('equals the brute-force pair count (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 60 }),
        (rows) => {
          const s = rows.map((r) => r[0]);
          const y = rows.map((r) => r[1]);
          if (!y.includes(0) || !y.includes(1)) return;
          expect(auc(s, y)).toBeCloseTo(pairAuc(s, y), 12);
        },
      ),
    );
  });
  it('single-class labels are an E_INPUT error', () => {
    expect(() => auc([1, 2], [1, 1])).toThrow(HazetraceError);
    expect(() => auc([1, 2], [1, 2])).toThrow(/labels\[1\] must be 0 or 1/);
  });
});

describe('bootstrapAuc', () => {
  const rng = createRng(3);
  const n = 400;
  const y = Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
  const good = y.map((v) => v + rng.normal());
  const weak = y.map((v) => 0.3 * v + rng.normal());
  it('is deterministic per seed, brackets the point estimate, and pairs the difference', () => {
    const a = bootstrapAuc([good, weak], y, { replicates: 300, seed: 11 });
    const b = bootstrapAuc([good, weak], y, { replicates: 300, seed: 11 });
    expect(a).toEqual(b);
    const c = bootstrapAuc([good, weak], y, { replicates: 300, seed: 12 });
    expect(c.scores[0]!.lo).not.toBe(a.scores[0]!.lo);
    for (const s of a.scores) {
      expect(s.lo).toBeLessThanOrEqual(s.auc);
      expect(s.hi).toBeGreaterThanOrEqual(s.auc);
    }
    expect(a.scores[0]!.auc).toBeCloseTo(auc(good, y), 15);
    expect(a.difference!.auc).toBeCloseTo(a.scores[0]!.auc - a.scores[1]!.auc, 15);
    expect(a.difference!.lo).toBeGreaterThan(0); // the informative score is clearly better
  });
});

describe('fitLogistic', () => {
  it('one binary feature with tiny λ recovers the log odds ratio of the 2×2 table', () => {
    // x=0: 30 rows, 6 ones; x=1: 20 rows, 12 ones → logit(0)=log(6/24), slope=log((12/8)/(6/24))
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 30; i++) { x.push(0); y.push(i < 6 ? 1 : 0); }
    for (let i = 0; i < 20; i++) { x.push(1); y.push(i < 12 ? 1 : 0); }
    const fit = fitLogistic({ x: Float64Array.from(x) }, Float64Array.from(y), { lambda: 1e-10 });
    expect(fit.intercept).toBeCloseTo(Math.log(6 / 24), 6);
    expect(fit.coefficients.x).toBeCloseTo(Math.log(12 / 8 / (6 / 24)), 6);
  });
  it('satisfies the penalised score equations at the solution (KKT)', () => {
    const rng = createRng(5);
    const n = 300;
    const a = Float64Array.from({ length: n }, () => rng.normal());
    const b = Float64Array.from({ length: n }, () => rng.next() * 10);
    const y = Float64Array.from({ length: n }, (_, i) => (rng.next() < 1 / (1 + Math.exp(-(0.8 * a[i]! - 0.2 * b[i]! + 0.5))) ? 1 : 0));
    const lambda = 3;
    const fit = fitLogistic({ a, b }, y, { lambda });
    const eta = fit.predictLogit({ a, b });
    const stats = (x: Float64Array): [number, number] => {
      const mu = x.reduce((s, v) => s + v, 0) / n;
      return [mu, Math.sqrt(x.reduce((s, v) => s + (v - mu) ** 2, 0) / n)];
    };
    let g0 = 0;
    const g = { a: 0, b: 0 };
    for (let i = 0; i < n; i++) {
      const r = y[i]! - 1 / (1 + Math.exp(-eta[i]!));
      g0 += r;
      for (const [k, x] of [['a', a], ['b', b]] as const) {
        const [mu, sd] = stats(x);
        g[k] += (r * (x[i]! - mu)) / sd;
      }
    }
    expect(Math.abs(g0)).toBeLessThan(1e-8);
    expect(g.a - lambda * fit.standardised.a!).toBeCloseTo(0, 7);
    expect(g.b - lambda * fit.standardised.b!).toBeCloseTo(0, 7);
    expect(fit.coefficients.a).toBeGreaterThan(0);
    expect(fit.coefficients.b).toBeLessThan(0);
  });
  it('separable data still converges because of the ridge term; one class is an error', () => {
    const fit = fitLogistic({ x: Float64Array.from([0, 1, 2, 3]) }, Float64Array.from([0, 0, 1, 1]), { lambda: 0.1 });
    expect(Number.isFinite(fit.coefficients.x!)).toBe(true);
    expect(() => fitLogistic({ x: Float64Array.from([0, 1]) }, Float64Array.from([0, 0]))).toThrow(/both 0 and 1/);
  });
});

describe('calibrateRisk', () => {
  it('finds the informative factor, zeroes the noise factor\'s negative weight and beats a weak baseline', () => {
    const rng = createRng(9);
    const mk = (label: string) => {
      const n = 500;
      const hist = Float64Array.from({ length: n }, () => rng.next());
      const noise = Float64Array.from({ length: n }, () => rng.next());
      const burnt = hist.map((h) => (rng.next() < 0.05 + 0.6 * h * h ? 1 : 0));
      const baseline = hist.map((h) => (h > 0.9 ? 1 : 0));
      return { label, factors: { hist, noise: noise.map((v, i) => v - 0.5 * burnt[i]!) }, burnt, baseline };
    };
    const cal = calibrateRisk([mk('p1'), mk('p2'), mk('p3')], { bootstrap: { replicates: 200, seed: 2 } });
    expect(cal.train).toEqual(['p1', 'p2']);
    expect(cal.weights.hist).toBe(1);
    expect(cal.weights.noise).toBe(0);
    expect(cal.warnings[0]).toMatch(/"noise" has a negative coefficient/);
    const h = cal.holdout[0]!;
    expect(h.label).toBe('p3');
    expect(h.calibrated.auc).toBeGreaterThan(h.baseline!.auc);
    expect(h.difference!.lo).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(cal)).weights.hist).toBe(1);
  });
});
