import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { apportion, calibrateScales, cpf, detectEpisodes, nnls } from '../../src/attribution/index.js';

const H = 3_600_000;
const DAY = 24 * H;

describe('nnls', () => {
  it('matches exhaustive search over active sets (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 12 }), fc.integer({ min: 1, max: 1e6 }), (n, m, seed) => {
        let s = seed;
        const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
        const A = Array.from({ length: n }, () => Float64Array.from({ length: m }, rnd));
        const b = Float64Array.from({ length: m }, rnd);
        const r = nnls(A, b);
        for (const x of r.x) expect(x).toBeGreaterThanOrEqual(0);
        // Brute force: best least-squares fit over all subsets whose unconstrained solution is non-negative.
        let best = Infinity;
        for (let mask = 0; mask < 1 << n; mask++) {
          const cols = [...Array(n).keys()].filter((j) => mask & (1 << j));
          const x = solveLs(cols.map((j) => A[j]!), b);
          if (!x || x.some((v) => v < 0)) continue;
          let rss = 0;
          for (let i = 0; i < m; i++) {
            let f = 0;
            cols.forEach((j, c) => (f += A[j]![i]! * x[c]!));
            rss += (b[i]! - f) ** 2;
          }
          best = Math.min(best, rss);
        }
        expect(r.rss).toBeCloseTo(best, 8);
      }),
      { numRuns: 100, seed: 2 },
    );
  });
});

function solveLs(cols: Float64Array[], b: Float64Array): number[] | null {
  const k = cols.length;
  if (k === 0) return [];
  const G = cols.map((ci) => cols.map((cj) => ci.reduce((s, v, r) => s + v * cj[r]!, 0)));
  const h = cols.map((ci) => ci.reduce((s, v, r) => s + v * b[r]!, 0));
  // Gaussian elimination with partial pivoting
  for (let i = 0; i < k; i++) {
    let p = i;
    for (let r = i + 1; r < k; r++) if (Math.abs(G[r]![i]!) > Math.abs(G[p]![i]!)) p = r;
    [G[i], G[p]] = [G[p]!, G[i]!];
    [h[i], h[p]] = [h[p]!, h[i]!];
    if (Math.abs(G[i]![i]!) < 1e-12) return null;
    for (let r = i + 1; r < k; r++) {
      const f = G[r]![i]! / G[i]![i]!;
      for (let c = i; c < k; c++) G[r]![c]! -= f * G[i]![c]!;
      h[r]! -= f * h[i]!;
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    let s = h[i]!;
    for (let c = i + 1; c < k; c++) s -= G[i]![c]! * x[c]!;
    x[i] = s / G[i]![i]!;
  }
  return x;
}

describe('apportion and calibrateScales', () => {
  it('recovers known non-negative coefficients with R² = 1 and a seeded bootstrap', () => {
    const fire = [1, 2, 3, 4, 5, 6, 7, 8];
    const fac = [3, 1, 4, 1, 5, 9, 2, 6];
    const y = fire.map((f, i) => 5 + 2 * f + 0.5 * fac[i]!);
    const r = apportion(y, { fire, facility: fac }, { bootstrap: 50, seed: 9 });
    expect(r.terms[0]!.coefficient).toBeCloseTo(2, 9);
    expect(r.terms[1]!.coefficient).toBeCloseTo(0.5, 9);
    expect(r.intercept).toBeCloseTo(5, 9);
    expect(r.r2).toBeCloseTo(1, 12);
    expect(r.terms[0]!.attributable).toBeCloseTo(2 * 4.5, 9);
    const again = apportion(y, { fire, facility: fac }, { bootstrap: 50, seed: 9 });
    expect(again.terms[0]!.attributableInterval).toEqual(r.terms[0]!.attributableInterval);
    // A predictor that would need a negative coefficient is held at 0.
    const neg = apportion(fire.map((f, i) => 2 * f - fac[i]!), { fire, facility: fac }, { bootstrap: 0 });
    expect(neg.terms[1]!.coefficient).toBe(0);
    // …unless it is declared free-sign (e.g. a meteorological predictor): then the −1 is recovered exactly.
    const met = apportion(fire.map((f, i) => 2 * f - fac[i]!), { fire, wind: fac }, { bootstrap: 0, freeSign: ['wind'] });
    expect(met.terms[1]!.coefficient).toBeCloseTo(-1, 9);
    expect(met.terms[0]!.coefficient).toBeCloseTo(2, 9);
    expect(() => apportion(y, { fire }, { freeSign: ['nope'] })).toThrow(/freeSign/);
  });

  it('calibrates scales per category and falls back with a warning', () => {
    const n = 30;
    const fireX = Float64Array.from({ length: n }, (_, i) => (i * 7) % 11);
    const facX = Float64Array.from({ length: n }, (_, i) => (i * 3) % 5);
    const time = Float64Array.from({ length: n }, (_, i) => i * H);
    const exposures = { receptor: new Array(n).fill('35t'), time, categories: ['fire_other', 'facility'], exposure: { fire_other: fireX, facility: facX } };
    const value = Array.from(fireX, (f, i) => 12 + 3 * f + 0.2 * facX[i]!);
    const c = calibrateScales({ station: '35T', time, value }, exposures, { background: 12, bootstrap: 20 });
    expect(c.calibrated).toBe(true);
    expect(c.scales['fire_other']).toBeCloseTo(3, 9);
    expect(c.scales['facility']).toBeCloseTo(0.2, 9);
    // Fire categories share one factor by default (same FRP → emission physics); `groups: {}` unties them.
    const rbX = Float64Array.from({ length: n }, (_, i) => (i * 5) % 7);
    const fires = { receptor: new Array(n).fill('35t'), time, categories: ['fire_repeat_burn', 'fire_other'], exposure: { fire_repeat_burn: rbX, fire_other: fireX } };
    const tied = calibrateScales({ station: '35t', time, value: Array.from(fireX, (f, i) => 12 + 2 * (f + rbX[i]!)) }, fires, { background: 12, bootstrap: 0 });
    expect(tied.scales['fire_repeat_burn']).toBeCloseTo(2, 9);
    expect(tied.scales['fire_other']).toBeCloseTo(2, 9);
    const split = Array.from(fireX, (f, i) => 12 + 1 * f + 4 * rbX[i]!);
    const tiedSplit = calibrateScales({ station: '35t', time, value: split }, fires, { background: 12, bootstrap: 0 });
    expect(tiedSplit.scales['fire_other']).toBe(tiedSplit.scales['fire_repeat_burn']);
    expect(tiedSplit.r2).toBeLessThan(1);
    const untied = calibrateScales({ station: '35t', time, value: split }, fires, { background: 12, bootstrap: 0, groups: {} });
    expect(untied.scales['fire_other']).toBeCloseTo(1, 9);
    expect(untied.scales['fire_repeat_burn']).toBeCloseTo(4, 9);
    const bad = calibrateScales({ station: '35t', time: [0, H], value: [1, 2] }, exposures);
    expect(bad.calibrated).toBe(false);
    expect(bad.scales).toEqual({ fire_other: 1, facility: 0.01 });
    expect(bad.warnings[0]).toMatch(/fell back/);
  });

  it('robust (Huber IRLS) calibration resists spikes from sources the layer cannot see', () => {
    const n = 80;
    const time = Float64Array.from({ length: n }, (_, i) => i * H);
    const fireX = Float64Array.from({ length: n }, (_, i) => (i * 7) % 11);
    const facX = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 3) % 5));
    const exposures = { receptor: new Array(n).fill('35t'), time, categories: ['fire_other', 'facility'], exposure: { fire_other: fireX, facility: facX } };
    // Truth 3 and 2, a small deterministic noise, and 8 spikes of unseen smoke.
    const value = Array.from(fireX, (f, i) => 12 + 3 * f + 2 * facX[i]! + 0.3 * Math.sin(i * 1.7) + (i % 10 === 3 ? 40 : 0));
    const plain = calibrateScales({ station: '35t', time, value }, exposures, { background: 12, bootstrap: 0, robust: 'none' });
    const robust = calibrateScales({ station: '35t', time, value }, exposures, { background: 12, bootstrap: 0 });
    expect(Math.abs(plain.scales['facility']! - 2)).toBeGreaterThan(0.4);
    // Huber weights are not redescending: a small bias remains with 10 % contamination, a fraction of plain NNLS's.
    expect(Math.abs(robust.scales['facility']! - 2)).toBeLessThan(Math.min(0.1, Math.abs(plain.scales['facility']! - 2) / 4));
    expect(Math.abs(robust.scales['fire_other']! - 3)).toBeLessThan(0.1);
    expect(() => calibrateScales({ station: '35t', time, value }, exposures, { robust: 'lts' as 'none' })).toThrow(/robust/);
  });
});

describe('detectEpisodes', () => {
  const t0 = Date.UTC(2025, 3, 1) - 7 * H; // local midnight +07:00
  it('daily threshold: runs of exceedance merge, with peak', () => {
    const vals = [20, 40, 55, 38, 30, 50, 10];
    const r = detectEpisodes({ station: '35T', time: vals.map((_, i) => t0 + i * DAY), value: vals });
    expect(r.episodes.map((e) => [e.start, e.end, e.peakValue, e.samples])).toEqual([
      [t0 + DAY, t0 + 4 * DAY, 55, 3],
      [t0 + 5 * DAY, t0 + 6 * DAY, 50, 1],
    ]);
    expect(r.episodes[0]!.peakTime).toBe(t0 + 2 * DAY);
    const who = detectEpisodes({ station: 'x', time: vals.map((_, i) => t0 + i * DAY), value: vals }, { threshold: 15, mergeGapHours: 0 });
    expect(who.episodes).toHaveLength(1);
    const merged = detectEpisodes({ station: 'x', time: vals.map((_, i) => t0 + i * DAY), value: vals }, { mergeGapHours: 24, minDurationHours: 48 });
    expect(merged.episodes).toHaveLength(1);
    expect(merged.episodes[0]!.end).toBe(t0 + 6 * DAY);
    expect(JSON.parse(JSON.stringify(r)).episodes[0].start).toBe('2025-04-01T17:00:00Z');
  });
  it('hourly → daily mean with coverage, rolling24 and hourly', () => {
    const time: number[] = [];
    const value: number[] = [];
    for (let h = 0; h < 72; h++) {
      time.push(t0 + h * H);
      value.push(h >= 24 && h < 48 ? 50 : 20);
    }
    const daily = detectEpisodes({ station: 'a', time, value }, { averaging: 'daily' });
    expect(daily.episodes.map((e) => [e.start, e.end, e.peakValue])).toEqual([[t0 + DAY, t0 + 2 * DAY, 50]]);
    const rolling = detectEpisodes({ station: 'a', time, value }, { averaging: 'rolling24' });
    // trailing mean > 37.5 needs more than 14.58 of 24 hours at 50 → first at hour 24+14 = 38
    expect(rolling.episodes[0]!.start).toBe(t0 + 38 * H);
    const hourly = detectEpisodes({ station: 'a', time, value }, { averaging: 'hourly' });
    expect(hourly.episodes[0]!.start).toBe(t0 + 24 * H);
    expect(hourly.episodes[0]!.end).toBe(t0 + 48 * H);
    // Only 10 of 24 hours on day 2: below 75 % coverage, no daily mean.
    const sparse = detectEpisodes({ station: 'a', time: time.filter((_, i) => i < 24 || i >= 38), value: value.filter((_, i) => i < 24 || i >= 38) });
    expect(sparse.episodes).toHaveLength(0);
  });
  it('baseline method: median + k·MAD', () => {
    const vals = [10, 11, 9, 10, 12, 10, 11, 9, 30, 10];
    const time = vals.map((_, i) => t0 + i * DAY);
    const r = detectEpisodes({ station: 'a', time, value: vals }, { method: 'baseline', baselineHours: 7 * 24, k: 3 });
    expect(r.episodes).toHaveLength(1);
    expect(r.episodes[0]!.peakValue).toBe(30);
    expect(() => detectEpisodes({ station: 'a', time, value: vals }, { averaging: 'weekly' as never })).toThrow(/averaging/);
  });
});

describe('cpf', () => {
  it('hand case: probabilities per sector and speed bin', () => {
    const time = Array.from({ length: 8 }, (_, i) => i * H);
    const value = [10, 20, 30, 40, 100, 110, 120, 130];
    const direction = [180, 180, 180, 180, 0, 0, 90, 350];
    const speed = [1.5, 1.5, 1.5, 1.5, 0.5, 1.5, 1.5, 4];
    const r = cpf({ time, value }, { time: time.map((t) => t + 10 * 60_000), speed, direction });
    // type-7 75th percentile of the 8 values: h = 5.25 → 110 + 0.25 × 10 = 112.5
    expect(r.threshold).toBeCloseTo(112.5, 12);
    const north = r.bySector[0]!;
    expect([north.n, north.m]).toEqual([3, 1]); // 0°, 0°, 350° (350 is within ±11.25 of north)
    expect(r.bySector[4]!.probability).toBe(1); // 90°: 120 > 112.5
    expect(r.bySector[8]!.probability).toBe(0);
    const bin = r.bins.find((b) => b.sector === 0 && b.speedFrom === 3)!;
    expect([bin.n, bin.m, bin.probability]).toEqual([1, 1, 1]);
    expect(r.joined).toBe(8);
    const far = cpf({ time, value }, { time: time.map((t) => t + 2 * H), speed, direction }, { maxTimeGapMinutes: 30 });
    expect(far.unmatched).toBe(2);
    expect(JSON.parse(JSON.stringify(r)).bins.at(-1).speedTo).toBeNull();
  });
});
