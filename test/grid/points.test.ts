import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { latLngToCell, cellToParent } from 'h3-js';
import { binPoints, mergeGrids, rollup } from '../../src/grid/index.js';
import { createRng } from '../../src/core/rng.js';
import { HazetraceError } from '../../src/core/errors.js';

function relClose(a: number, b: number, tol = 1e-9): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Naive reference: Map<cell, values[]> with two-pass statistics. */
function naive(lng: number[], lat: number[], v: number[], res: number) {
  const m = new Map<string, number[]>();
  const counts = new Map<string, number>();
  for (let i = 0; i < lng.length; i++) {
    const x = lng[i]!, y = lat[i]!;
    if (!(Math.abs(x) <= 180 && Math.abs(y) <= 90)) continue;
    const c = latLngToCell(y, x, res);
    counts.set(c, (counts.get(c) ?? 0) + 1);
    if (!m.has(c)) m.set(c, []);
    if (!Number.isNaN(v[i]!)) m.get(c)!.push(v[i]!);
  }
  const out = new Map<string, Record<string, number>>();
  for (const [c, n] of counts) {
    const xs = (m.get(c) ?? []).slice().sort((a, b) => a - b);
    const k = xs.length;
    const sum = xs.reduce((a, b) => a + b, 0);
    const mean = k ? sum / k : NaN;
    const variance = k > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1) : NaN;
    const q = (p: number) => {
      if (!k) return NaN;
      const h = (k - 1) * p, lo = Math.floor(h);
      return xs[lo]! + (h - lo) * (xs[Math.min(lo + 1, k - 1)]! - xs[lo]!);
    };
    out.set(c, { count: n, v_count: k, v_sum: sum, v_min: k ? xs[0]! : NaN, v_max: k ? xs[k - 1]! : NaN, v_mean: mean, v_variance: variance, v_p50: q(0.5), v_p90: q(0.9) });
  }
  return out;
}

const AGGS = ['count', 'sum', 'min', 'max', 'mean', 'variance', 'p50', 'p90'] as const;

describe('binPoints', () => {
  it('meets the contract: binPoints({lng, lat}, {res}) → res, cells, columns.count', () => {
    const g = binPoints({ lng: [98.98, 98.981, 100.5], lat: [18.79, 18.7901, 13.75] }, { res: 7 });
    expect(g.res).toBe(7);
    // default order: first appearance in the input
    expect(g.cells).toEqual([...new Set([latLngToCell(18.79, 98.98, 7), latLngToCell(18.7901, 98.981, 7), latLngToCell(13.75, 100.5, 7)])]);
    expect(binPoints({ lng: [100.5, 98.98], lat: [13.75, 18.79] }, { res: 7, order: 'cell' }).cells).toEqual([latLngToCell(18.79, 98.98, 7), latLngToCell(13.75, 100.5, 7)].sort());
    expect(g.columns.count).toBeInstanceOf(Float64Array);
    expect(Array.from(g.columns.count!).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('equals a naive Map-of-arrays reference for every aggregate (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 400 }), (seed, res, n) => {
        const rng = createRng(seed);
        const lng: number[] = [], lat: number[] = [], v: number[] = [];
        for (let i = 0; i < n; i++) {
          const r = rng.next();
          // clustered points so cells hold several values; some invalid rows and NaN values
          lng.push(r < 0.03 ? NaN : r < 0.05 ? 200 : 98 + rng.next() * 0.5);
          lat.push(r > 0.97 ? -95 : 18 + rng.next() * 0.5);
          v.push(rng.next() < 0.1 ? NaN : rng.normal() * 50 + 1000);
        }
        const g = binPoints({ lng, lat, v }, { res, values: { v: AGGS }, order: 'cell' });
        const ref = naive(lng, lat, v, res);
        expect(g.cells.length).toBe(ref.size);
        expect(g.accepted + g.rejectedCount).toBe(n);
        expect(g.rejected.length).toBe(g.rejectedCount);
        let total = 0;
        g.cells.forEach((c, r) => {
          const want = ref.get(c)!;
          total += g.columns.count![r]!;
          for (const [k, x] of Object.entries(want)) {
            if (!relClose(g.columns[k]![r]!, x)) throw new Error(`${c} ${k}: ${g.columns[k]![r]} vs ${x}`);
          }
        });
        expect(total).toBe(g.accepted);
        expect([...g.cells]).toEqual([...g.cells].sort());
      }),
      { numRuns: 60 },
    );
  });

  it('fast and h3-js engines give identical grids', () => {
    const rng = createRng(3);
    const n = 5000;
    const lng = Float64Array.from({ length: n }, () => rng.next() * 360 - 180);
    const lat = Float64Array.from({ length: n }, () => rng.next() * 180 - 90);
    const v = Float64Array.from({ length: n }, () => rng.next());
    for (const res of [0, 3, 8, 15]) {
      const a = binPoints({ lng, lat, v }, { res, values: { v: ['mean', 'p50'] }, engine: 'fast' });
      const b = binPoints({ lng, lat, v }, { res, values: { v: ['mean', 'p50'] }, engine: 'h3-js' });
      expect(a.cells).toEqual(b.cells);
      expect(a.columns).toEqual(b.columns);
    }
  });

  it('mergeGrids of two halves equals gridding the whole, rows in the same order (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 2, max: 300 }), fc.boolean(), fc.integer({ min: 0, max: 2 }), (seed, n, timed, aggSet) => {
        const rng = createRng(seed);
        const lng = Array.from({ length: n }, () => 99 + rng.next() * 0.3);
        const lat = Array.from({ length: n }, () => 18 + rng.next() * 0.3);
        const v = Array.from({ length: n }, () => rng.next() * 100);
        const time = Array.from({ length: n }, () => 1.74e12 + rng.next() * 3 * 86_400_000);
        // full state, mean only (sums kept in the mean array), sum + min only
        const aggs = [AGGS, ['mean'] as const, ['sum', 'min'] as const][aggSet]!;
        const opts = { res: 7, values: { v: aggs }, ...(timed ? { time: { bin: 'day' as const, utcOffset: '+07:00' } } : {}) };
        const cut = Math.floor(n / 2);
        const whole = binPoints({ lng, lat, v, time }, opts);
        const a = binPoints({ lng: lng.slice(0, cut), lat: lat.slice(0, cut), v: v.slice(0, cut), time: time.slice(0, cut) }, opts);
        const b = binPoints({ lng: lng.slice(cut), lat: lat.slice(cut), v: v.slice(cut), time: time.slice(cut) }, opts);
        const m = mergeGrids(a, b);
        expect(m.cells).toEqual(whole.cells);
        expect(m.time ? Array.from(m.time) : undefined).toEqual(whole.time ? Array.from(whole.time) : undefined);
        for (const k of Object.keys(whole.columns)) {
          whole.columns[k]!.forEach((x, r) => {
            if (!relClose(m.columns[k]![r]!, x)) throw new Error(`${k}[${r}] ${m.columns[k]![r]} vs ${x}`);
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('bins by local day with a UTC offset', () => {
    // 2025-04-22 16:30Z is 23:30 local (+07) on the 22nd; 17:30Z is 00:30 local on the 23rd
    const t1 = Date.UTC(2025, 3, 22, 16, 30), t2 = Date.UTC(2025, 3, 22, 17, 30);
    const g = binPoints({ lng: [99, 99], lat: [18, 18], time: [t1, t2] }, { res: 5, time: { bin: 'day', utcOffset: '+07:00' } });
    expect(g.cells.length).toBe(2);
    expect(Array.from(g.time!)).toEqual([Date.UTC(2025, 3, 21, 17), Date.UTC(2025, 3, 22, 17)]);
    const u = binPoints({ lng: [99, 99], lat: [18, 18], time: [t1, t2] }, { res: 5, time: { bin: 'day' } });
    expect(u.cells.length).toBe(1);
    const h = binPoints({ lng: [99, 99, 99], lat: [18, 18, 18], time: [t1, t2, NaN] }, { res: 5, time: { bin: 'hour' } });
    expect(Array.from(h.columns.count!)).toEqual([1, 1]);
    expect(h.rejected).toEqual([{ row: 3, column: 'time', code: 'E_TIME', message: expect.stringContaining('NaN') }]);
  });

  it('rollup follows cellToParent and conserves counts and sums', () => {
    const rng = createRng(9);
    const n = 2000;
    const lng = Array.from({ length: n }, () => 98 + rng.next());
    const lat = Array.from({ length: n }, () => 18 + rng.next());
    const v = Array.from({ length: n }, () => rng.next());
    const g9 = binPoints({ lng, lat, v }, { res: 9, values: { v: ['sum', 'mean', 'max', 'p50'] } });
    const g5 = rollup(g9, 5);
    const ref = new Map<string, { n: number; s: number; vals: number[] }>();
    for (let i = 0; i < n; i++) {
      const p = cellToParent(latLngToCell(lat[i]!, lng[i]!, 9), 5);
      const e = ref.get(p) ?? { n: 0, s: 0, vals: [] };
      e.n++;
      e.s += v[i]!;
      e.vals.push(v[i]!);
      ref.set(p, e);
    }
    expect(g5.res).toBe(5);
    expect(new Set(g5.cells)).toEqual(new Set(ref.keys()));
    g5.cells.forEach((c, r) => {
      const e = ref.get(c)!;
      expect(g5.columns.count![r]).toBe(e.n);
      expect(relClose(g5.columns.v_sum![r]!, e.s)).toBe(true);
      expect(g5.columns.v_max![r]).toBe(Math.max(...e.vals));
    });
  });

  it('rejects bad arguments with HazetraceError naming them', () => {
    expect(() => binPoints({ lng: [1], lat: [1] }, { res: 16 })).toThrow(/options.res must be an integer in 0..15, got 16/);
    expect(() => binPoints({ lng: [1, 2], lat: [1] }, { res: 3 })).toThrow(HazetraceError);
    expect(() => binPoints({ lng: [1], lat: [1] }, { res: 3, values: { frp: ['mean'] } })).toThrow(/points.frp/);
    expect(() => binPoints({ lng: [1], lat: [1], v: [1] }, { res: 3, values: { v: ['median' as never] } })).toThrow(/options.values.v/);
    expect(() => binPoints({ lng: [1], lat: [1] }, { res: 3, time: { bin: 'day' } })).toThrow(/points.time/);
    expect(() => mergeGrids({ res: 3, cells: [], columns: {} })).toThrow(/grids\[0\]/);
  });

  it('toJSON gives plain arrays', () => {
    const g = binPoints({ lng: [99], lat: [18] }, { res: 4 });
    expect(JSON.parse(JSON.stringify(g))).toEqual({ res: 4, cells: [latLngToCell(18, 99, 4)], columns: { count: [1] }, accepted: 1, rejectedCount: 0 });
  });
});

describe('binPoints time bins', () => {
  it('keeps bins apart whatever their size (1-ms bins over years, negative epochs)', () => {
    const rng = createRng(5);
    const n = 3000;
    const lng = Array.from({ length: n }, () => 99 + rng.next() * 0.01);
    const lat = Array.from({ length: n }, () => 18 + rng.next() * 0.01);
    const time = Array.from({ length: n }, () => Math.round((rng.next() * 2 - 1) * 2e12));
    const g = binPoints({ lng, lat, time }, { res: 3, time: { bin: 1 } });
    const ref = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const k = `${latLngToCell(lat[i]!, lng[i]!, 3)}|${time[i]}`;
      ref.set(k, (ref.get(k) ?? 0) + 1);
    }
    expect(g.cells.length).toBe(ref.size);
    g.cells.forEach((c, i) => expect(g.columns.count![i]).toBe(ref.get(`${c}|${g.time![i]}`)));
  });
});
