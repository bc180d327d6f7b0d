import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ss from 'simple-statistics';
import {
  HazetraceError, KeyInterner, countBurnPeriods, encodeLabels, lowerBound, lowerBoundBy, median, midRanks, quantile,
  quantileSorted, seasonYear, seasonYearOf, sortOrder, upperBound,
} from '../../src/core/index.js';

/** Type 7 written the way Hyndman & Fan state it (1-based): m = 1 − p, j = ⌊np + m⌋, g = np + m − j. */
function type7Reference(values: number[], p: number): number {
  const x = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = x.length;
  if (n === 0) return NaN;
  const m = 1 - p;
  const j = Math.floor(n * p + m);
  const g = n * p + m - j;
  const at = (k: number): number => x[Math.min(n, Math.max(1, k)) - 1]!;
  return (1 - g) * at(j) + g * at(j + 1);
}

/** Mid-rank by counting: (#smaller) + (#equal + 1) / 2. */
function rankReference(x: number[]): number[] {
  return x.map((v) => {
    if (Number.isNaN(v)) return NaN;
    let below = 0;
    let equal = 0;
    for (const w of x) {
      if (Number.isNaN(w)) continue;
      if (w < v) below++;
      else if (w === v) equal++;
    }
    return below + (equal + 1) / 2;
  });
}

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const withNaN = fc.oneof({ weight: 9, arbitrary: finite }, { weight: 1, arbitrary: fc.constant(NaN) });

describe('quantile (type 7)', () => {
  it('matches hand-worked R / NumPy / d3-array values', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12); // R: quantile(1:4, 0.25)
    expect(quantile([15, 20, 35, 40, 50], 0.4)).toBeCloseTo(29, 12); // NumPy: percentile(.., 40)
    expect(quantile([0, 10, 30], 0.25)).toBe(5); // d3-array quantile docs
    expect(quantile([0, 10, 30], 0.5)).toBe(10);
    expect(quantile([0, 10, 30], 0.75)).toBe(20);
    expect(quantile([3, 1, 2], 0)).toBe(1);
    expect(quantile([3, 1, 2], 1)).toBe(3);
    expect(quantile([7], 0.3)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
    expect(quantile([NaN, NaN], 0.5)).toBeNaN();
    expect(quantileSorted(Float64Array.of(10, 20), 0.5)).toBe(15);
  });
  it('median equals simple-statistics median (property)', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 60 }), (xs) => {
        expect(median(xs)).toBeCloseTo(ss.median(xs), 6);
      }),
    );
  });
  it('equals the Hyndman–Fan formulation and skips NaN without touching the input (property)', () => {
    fc.assert(
      fc.property(fc.array(withNaN, { maxLength: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, p) => {
        const copy = xs.slice();
        const q = quantile(xs, p);
        const ref = type7Reference(xs, p);
        if (Number.isNaN(ref)) expect(q).toBeNaN();
        else expect(Math.abs(q - ref)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(ref)));
        expect(xs).toEqual(copy);
      }),
    );
  });
  it('is monotone in p and stays within [min, max] (property)', () => {
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, a, b) => {
          const [p1, p2] = a <= b ? [a, b] : [b, a];
          const q1 = quantile(xs, p1);
          const q2 = quantile(xs, p2);
          expect(q1).toBeLessThanOrEqual(q2 + 1e-9 * (1 + Math.abs(q2)));
          expect(q1).toBeGreaterThanOrEqual(Math.min(...xs));
          expect(q2).toBeLessThanOrEqual(Math.max(...xs));
        },
      ),
    );
  });
  it('rejects p outside [0, 1] with E_ARG', () => {
    for (const p of [-0.1, 1.01, NaN]) {
      expect(() => quantile([1, 2], p)).toThrow(HazetraceError);
      expect(() => quantileSorted([1, 2], p)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    }
  });
});

describe('midRanks and sortOrder', () => {
  it('hand cases: ties averaged, NaN kept as NaN', () => {
    expect(Array.from(midRanks([3, 1, 3]))).toEqual([2.5, 1, 2.5]);
    expect(Array.from(midRanks([10, 20, 20, 20, 5]))).toEqual([2, 4, 4, 4, 1]);
    expect(Array.from(midRanks([2, NaN, 1]))).toEqual([2, NaN, 1]);
    expect(Array.from(midRanks([-0, 0]))).toEqual([1.5, 1.5]);
    expect(Array.from(sortOrder(Float64Array.of(3, -1, NaN, 2)))).toEqual([1, 3, 0]);
  });
  it('equal a counting reference and sum to m(m+1)/2 over the m non-NaN values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(withNaN, fc.integer({ min: -3, max: 3 })), { maxLength: 80 }), (xs) => {
        const r = Array.from(midRanks(xs));
        expect(r).toEqual(rankReference(xs));
        const m = xs.filter((v) => !Number.isNaN(v)).length;
        const sum = r.reduce((s, v) => (Number.isNaN(v) ? s : s + v), 0);
        expect(sum).toBeCloseTo((m * (m + 1)) / 2, 9);
      }),
    );
  });
  it('sortOrder is a stable ascending sort of the non-NaN indices (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(withNaN, fc.integer({ min: -3, max: 3 })), { maxLength: 80 }), (xs) => {
        const ref = xs.map((_, i) => i).filter((i) => !Number.isNaN(xs[i]!)).sort((a, b) => xs[a]! - xs[b]! || a - b);
        expect(Array.from(sortOrder(xs))).toEqual(ref);
      }),
    );
  });
});

describe('lowerBound / upperBound', () => {
  it('hand cases', () => {
    const t = Float64Array.of(10, 20, 20, 30);
    expect(lowerBound(t, 20)).toBe(1);
    expect(upperBound(t, 20)).toBe(3);
    expect(lowerBound(t, 5)).toBe(0);
    expect(upperBound(t, 35)).toBe(4);
    expect(lowerBound(t, 20, 2)).toBe(2);
    expect(upperBound(t, 30, 0, 2)).toBe(2);
    expect(lowerBound(new Float64Array(0), 1)).toBe(0);
  });
  it('agree with a linear scan, also inside [from, to) and through a key function (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 60 }), fc.integer({ min: -25, max: 25 }), fc.nat(), fc.nat(), (raw, v, a, b) => {
        const t = Float64Array.from(raw).sort();
        const n = t.length;
        const from = n ? a % (n + 1) : 0;
        const to = from + (n - from ? b % (n - from + 1) : 0);
        let lin = from;
        while (lin < to && t[lin]! < v) lin++;
        let linU = from;
        while (linU < to && t[linU]! <= v) linU++;
        expect(lowerBound(t, v, from, to)).toBe(lin);
        expect(upperBound(t, v, from, to)).toBe(linU);
        const recs = Array.from(t, (x) => ({ t: x }));
        expect(lowerBoundBy(to, (i) => recs[i]!.t, v, from)).toBe(lin);
      }),
    );
  });
});

describe('KeyInterner and encodeLabels', () => {
  it('ids follow first appearance (property vs indexOf)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'THA', 'MMR', ''), { maxLength: 40 }), (xs) => {
        const names = xs.filter((x, i) => xs.indexOf(x) === i);
        const { codes, names: got } = encodeLabels(xs);
        expect(got).toEqual(names);
        expect(Array.from(codes)).toEqual(xs.map((x) => names.indexOf(x)));
        const t = KeyInterner.of<string>(xs);
        expect(t.size).toBe(names.length);
        for (const x of names) expect(t.get(x)).toBe(names.indexOf(x));
        expect(t.get('absent')).toBeUndefined();
      }),
    );
  });
});

describe('seasonYear and countBurnPeriods', () => {
  it('November-start seasons in UTC+07:00 by default, calendar years with seasonStartMonth 1', () => {
    expect(seasonYear(Date.UTC(2024, 10, 15))).toBe(2025);
    expect(seasonYear(Date.UTC(2025, 3, 30))).toBe(2025);
    expect(seasonYear(Date.UTC(2025, 9, 31, 16, 59))).toBe(2025); // 23:59 on 31 Oct, local
    expect(seasonYear(Date.UTC(2025, 9, 31, 17, 0))).toBe(2026); // 00:00 on 1 Nov, local
    expect(seasonYear(Date.UTC(2025, 9, 31, 17, 0), { utcOffset: 'Z' })).toBe(2025);
    expect(seasonYear(Date.UTC(2024, 11, 31, 18), { seasonStartMonth: 1 })).toBe(2025);
    expect(seasonYear(Date.UTC(2024, 11, 31, 18), { seasonStartMonth: 1, utcOffset: 0 })).toBe(2024);
    expect(seasonYear(NaN)).toBeNaN();
    expect(() => seasonYearOf({ seasonStartMonth: 13 })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => seasonYearOf({ utcOffset: 'ICT' })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
  it('season year = local year, +1 from the start month on (property vs an ISO-string reference)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: -720, max: 840 }), (t, start, off) => {
        const iso = new Date(t + off * 60_000).toISOString();
        const y = Number(iso.slice(0, 4));
        const mo = Number(iso.slice(5, 7));
        expect(seasonYear(t, { seasonStartMonth: start, utcOffset: off })).toBe(start > 1 && mo >= start ? y + 1 : y);
      }),
    );
  });
  it('counts distinct considered periods per key (property vs Map of Sets)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('c1', 'c2', 'c3', 'c4'), fc.integer({ min: 2015, max: 2020 })), { maxLength: 50 }),
        fc.option(fc.subarray([2015, 2016, 2017, 2018, 2019, 2020])),
        (pairs, considered) => {
          const keys = pairs.map((p) => p[0]);
          const periods = pairs.map((p) => p[1]);
          const got = countBurnPeriods(keys, periods, considered ?? undefined);
          const allowed = considered ?? [...new Set(periods)].sort((a, b) => a - b);
          expect(got.periods).toEqual(allowed);
          const ref = new Map<string, Set<number>>();
          for (const [k, p] of pairs) {
            if (!ref.has(k)) ref.set(k, new Set());
            if (allowed.includes(p)) ref.get(k)!.add(p);
          }
          expect(got.keys).toEqual([...ref.keys()]);
          expect(Array.from(got.counts)).toEqual([...ref.values()].map((s) => s.size));
        },
      ),
    );
    expect(() => countBurnPeriods(['a'], [])).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});
