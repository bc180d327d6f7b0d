import { describe, expect, it } from 'vitest';
import { HazetraceError, haversine, WIND_OK, WIND_LEFT_DOMAIN } from '../../src/core/index.js';
import type { WindField, WindStatus } from '../../src/core/index.js';
import { PointBuffer } from '../../src/wind/trace.js';
import {
  METRES_PER_DEGREE_GRID,
  autoStepMinutes,
  ensembleSpread,
  getTrajectory,
  griddedWind,
  hysplitStepMinutes,
  traceEnsemble,
  traceTrajectories,
  traceTrajectory,
  uniformWind,
} from '../../src/wind/index.js';

const R = 6_371_000;
const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;
const H = 3_600_000;

/** A field given by a formula, valid everywhere and always. */
function formulaField(f: (lng: number, lat: number, t: number, out: Float64Array) => void): WindField {
  return {
    kind: 'formula',
    timeRange: [-Infinity, Infinity],
    sample(lng: number, lat: number, t: number, out: Float64Array): WindStatus {
      f(lng, lat, t, out);
      return WIND_OK;
    },
  };
}

function last(a: Float64Array): number {
  return a[a.length - 1]!;
}

describe('analytic trajectories', () => {
  it('uniform 10 m/s easterly at the equator, 24 h back with Heun: end 7.770° east (rel. error ≤ 1e-9)', () => {
    const f = uniformWind({ speed: 10, directionFrom: 90 });
    const t = traceTrajectory(f, { lng: 0, lat: 0, time: Date.UTC(2025, 3, 22) }, { hours: 24 });
    const expected = ((10 * 86400) / R) * DEG; // dλ = uΔt/(R cos 0)
    expect(expected.toFixed(3)).toBe('7.770');
    expect(Math.abs(last(t.lng) - expected) / expected).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(last(t.lat))).toBeLessThan(1e-12);
    expect(t.lng.length).toBe(25);
    expect(t.stopReason).toBe('completed');
    expect(Array.from(t.ageHours)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(t.time[0]).toBe(Date.UTC(2025, 3, 22));
    expect(last(t.time)).toBe(Date.UTC(2025, 3, 21));
    expect(t.lng[0]).toBe(0);
  });

  it('solid-body rotation: Heun amplitude grows by √(1+(ωΔt)⁴/4) per step, 1.0000652 per day', () => {
    // Rotation in the integrator's own (λ, φ) coordinates: u = -ωφ·R·cosφ, v = ωλ·R gives exactly
    // dλ/dt = -ωφ, dφ/dt = ωλ, i.e. the plane test of the integrator, with no metric error.
    const omega = (2 * Math.PI) / 86400;
    const f = formulaField((lng, lat, _t, out) => {
      const lam = lng * RAD;
      const phi = lat * RAD;
      out[0] = -omega * phi * R * Math.cos(phi);
      out[1] = omega * lam * R;
    });
    const r0 = 0.05;
    const t = traceTrajectory(f, { lng: r0, lat: 0, time: 0 }, { hours: 24, direction: 'forward', stepMinutes: 10, outputMinutes: 10 });
    const wdt = omega * 600;
    const perStep = Math.sqrt(1 + wdt ** 4 / 4);
    const perDay = perStep ** 144;
    expect(perDay).toBeCloseTo(1.0000652, 7);
    for (let i = 1; i < t.lng.length; i++) {
      const ratio = Math.hypot(t.lng[i]!, t.lat[i]!) / Math.hypot(t.lng[i - 1]!, t.lat[i - 1]!);
      expect(Math.abs(ratio - perStep)).toBeLessThan(1e-9);
    }
    const day = Math.hypot(last(t.lng), last(t.lat)) / r0;
    expect(Math.abs(day - perDay)).toBeLessThan(1e-6);
    // one full revolution: back near the start angle
    expect(Math.atan2(last(t.lat), last(t.lng))).toBeCloseTo(0, 2);
  });

  const smooth = formulaField((lng, lat, t, out) => {
    const w = (2 * Math.PI) / (12 * 3600);
    out[0] = 8 + 4 * Math.sin((lat - 15) * 1.5) * Math.cos(w * (t / 1000));
    out[1] = 3 + 4 * Math.cos((lng - 100) * 1.2 + w * (t / 1000));
  });

  it('RK4 converges at fourth order (error ratio 16 ± 25 % when the step halves)', () => {
    const start = { lng: 100, lat: 15, time: 0 };
    const o = { hours: 48, direction: 'forward' as const, method: 'rk4' as const };
    const ref = traceTrajectory(smooth, start, { ...o, stepMinutes: 0.5 });
    const err = (step: number): number => {
      const t = traceTrajectory(smooth, start, { ...o, stepMinutes: step });
      return haversine(last(t.lng), last(t.lat), last(ref.lng), last(ref.lat));
    };
    const e1 = err(30);
    const e2 = err(15);
    expect(e1).toBeGreaterThan(1e-3); // measurable, well above float noise
    const ratio = e1 / e2;
    expect(ratio).toBeGreaterThan(16 * 0.75);
    expect(ratio).toBeLessThan(16 * 1.25);
    // Heun is second order on the same field (ratio ≈ 4)
    const h = (step: number): number => {
      const t = traceTrajectory(smooth, start, { ...o, method: 'heun', stepMinutes: step });
      return haversine(last(t.lng), last(t.lat), last(ref.lng), last(ref.lat));
    };
    const hr = h(30) / h(15);
    expect(hr).toBeGreaterThan(3);
    expect(hr).toBeLessThan(5);
  });

  it('forward then back closes to < 0.1 % of the distance travelled', () => {
    const start = { lng: 100, lat: 15, time: 0 };
    const fwd = traceTrajectory(smooth, start, { hours: 48, direction: 'forward', stepMinutes: 10 });
    let dist = 0;
    for (let i = 1; i < fwd.lng.length; i++) dist += haversine(fwd.lng[i - 1]!, fwd.lat[i - 1]!, fwd.lng[i]!, fwd.lat[i]!);
    const back = traceTrajectory(smooth, { lng: last(fwd.lng), lat: last(fwd.lat), time: last(fwd.time) }, { hours: 48, stepMinutes: 10 });
    const gap = haversine(last(back.lng), last(back.lat), start.lng, start.lat);
    expect(dist).toBeGreaterThan(1e6);
    expect(gap / dist).toBeLessThan(1e-3);
    expect(last(back.time)).toBe(0);
  });

  it('a wind turning from easterly to northerly between two frames bends the path as linear time interpolation says', () => {
    const T = 6 * H;
    const f = griddedWind({
      west: 90, south: 10, dLng: 10, dLat: 10, nx: 2, ny: 2, times: [0, T],
      u: new Float64Array([-10, -10, -10, -10, 0, 0, 0, 0]),
      v: new Float64Array([0, 0, 0, 0, -10, -10, -10, -10]),
    });
    const lat0 = 15;
    const lng0 = 95;
    const t = traceTrajectory(f, { lng: lng0, lat: lat0, time: 0 }, { hours: 6, direction: 'forward', stepMinutes: 10 });
    const Ts = 6 * 3600;
    // v(s) = -10 s/T: φ(s) = φ0 - 10 s²/(2T R) exactly, which Heun's trapezoid reproduces
    const phi = (s: number): number => lat0 * RAD - (10 * s * s) / (2 * Ts * R);
    expect(last(t.lat)).toBeCloseTo(phi(Ts) * DEG, 10);
    // λ: ∫ u(s)/(R cos φ(s)) ds with u(s) = -10 (1 - s/T), by Simpson on 20,000 intervals
    const N = 20000;
    let sum = 0;
    for (let i = 0; i <= N; i++) {
      const s = (i / N) * Ts;
      const g = (-10 * (1 - s / Ts)) / (R * Math.cos(phi(s)));
      sum += (i === 0 || i === N ? 1 : i % 2 ? 4 : 2) * g;
    }
    const lamEnd = lng0 + ((sum * (Ts / N)) / 3) * DEG;
    // Heun's O(Δt²) truncation of the cos φ(t) factor is ~2e-6° (0.25 m on a 200 km path) at 10 min
    // and shrinks 100× at 1 min: the integrator follows the linear-in-time wind, not a nearest frame.
    expect(Math.abs(last(t.lng) - lamEnd)).toBeLessThan(1e-5);
    const fine = traceTrajectory(f, { lng: lng0, lat: lat0, time: 0 }, { hours: 6, direction: 'forward', stepMinutes: 1 });
    expect(Math.abs(last(fine.lng) - lamEnd)).toBeLessThan(1e-7);
    // and it is not a straight line: the middle point lies off the chord start–end
    const mid = 3;
    const chordLat = lat0 + (last(t.lat) - lat0) * ((t.lng[mid]! - lng0) / (last(t.lng) - lng0));
    expect(t.lat[mid]! - chordLat).toBeGreaterThan(0.02);
  });

  it('crosses the antimeridian on a global grid', () => {
    const nx = 360;
    const ny = 21;
    const u = new Float32Array(nx * ny * 2).fill(10);
    const v = new Float32Array(nx * ny * 2);
    const f = griddedWind({ west: 0, south: -10, dLng: 1, dLat: 1, nx, ny, times: [0, 48 * H], u, v, wrapLng: true });
    const t = traceTrajectory(f, { lng: 179, lat: 0, time: 0 }, { hours: 24, direction: 'forward' });
    const step = ((10 * 3600) / R) * DEG;
    for (let i = 0; i < t.lng.length; i++) {
      expect(t.lng[i]!).toBeGreaterThanOrEqual(-180);
      expect(t.lng[i]!).toBeLessThan(180);
      if (i > 0) {
        const d = ((t.lng[i]! - t.lng[i - 1]! + 540) % 360) - 180;
        expect(d).toBeCloseTo(step, 9);
      }
    }
    expect(last(t.lng)).toBeCloseTo(179 + 24 * step - 360, 8);
    expect(t.stopReason).toBe('completed');
    // and back across it
    const b = traceTrajectory(f, { lng: last(t.lng), lat: 0, time: 24 * H }, { hours: 24 });
    expect(last(b.lng)).toBeCloseTo(179, 8);
  });
});

describe('HYSPLIT step rule', () => {
  it('gives 17.39 min for a 0.25° grid and a 20 m/s maximum wind', () => {
    expect(hysplitStepMinutes(0.25 * METRES_PER_DEGREE_GRID, 20).toFixed(2)).toBe('17.39');
    const n = 5;
    const u = new Float32Array(n * n * 2);
    u[7] = 20;
    const f = griddedWind({ west: 98, south: 18, dLng: 0.25, dLat: 0.25, nx: n, ny: n, times: [0, H], u, v: new Float32Array(n * n * 2) });
    expect(f.maxSpeed).toBe(20);
    expect(autoStepMinutes(f).toFixed(2)).toBe('17.39');
    expect(hysplitStepMinutes(1000, 100)).toBe(1); // clamped at 1 min
    expect(hysplitStepMinutes(1e6, 1)).toBe(60); // clamped at 60 min
    expect(autoStepMinutes(uniformWind({ u: 3, v: 4 }))).toBe(10);
  });
});

describe('stops and bad input', () => {
  const n = 3;
  const frames = 2;
  const grid = (extra: Partial<Parameters<typeof griddedWind>[0]> = {}) =>
    griddedWind({
      west: 98, south: 18, dLng: 1, dLat: 1, nx: n, ny: n, times: [0, 6 * H],
      u: new Float64Array(n * n * frames).fill(-10), v: new Float64Array(n * n * frames), ...extra,
    });

  it('stops with left-domain / time-range / no-data and keeps the points so far', () => {
    const f = grid();
    // back-trajectory in an easterly goes east and leaves the 98–100° box after ~2 h
    const t = traceTrajectory(f, { lng: 99, lat: 19, time: 6 * H }, { hours: 6, stepMinutes: 10 });
    expect(t.stopReason).toBe('left-domain');
    expect(t.lng.length).toBeGreaterThan(1);
    expect(last(t.lng)).toBeLessThanOrEqual(100);
    expect(last(t.ageHours)).toBeLessThan(6);
    const tr = traceTrajectory(f, { lng: 99.9, lat: 19, time: 3 * H }, { hours: 6, direction: 'forward' });
    expect(tr.stopReason).toBe('time-range');
    expect(last(tr.time)).toBeLessThanOrEqual(6 * H);
    const u = new Float64Array(n * n * frames).fill(-10);
    u[1 * n + 0] = NaN; // node (col 0, row 1) = (98°E, 19°N) of frame 0
    const nd = traceTrajectory(grid({ u, times: [0, 6 * H] }), { lng: 99.5, lat: 18.5, time: 0 }, { hours: 6, direction: 'forward', stepMinutes: 10 });
    expect(nd.stopReason).toBe('no-data');
    const nodata = new Float64Array(n * n * frames).fill(-10);
    nodata[0] = -9999;
    expect(() => grid({ u: nodata, noData: -9999 }).sample(98.1, 18.1, 0, new Float64Array(2))).not.toThrow();
    expect(grid({ u: nodata, noData: -9999 }).sample(98.1, 18.1, 0, new Float64Array(2))).toBe(3);
  });

  it('throws HazetraceError on a start outside the field, a NaN time, bad lengths and unsorted times', () => {
    const f = grid();
    const code = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(HazetraceError);
        return `${(e as HazetraceError).code}: ${(e as Error).message}`;
      }
      return 'no error';
    };
    expect(code(() => traceTrajectory(f, { lng: 120, lat: 19, time: 0 }, { hours: 6 }))).toMatch(/E_DOMAIN: start .*outside the wind field: left-domain/);
    expect(code(() => traceTrajectory(f, { lng: 99, lat: 19, time: 7 * H }, { hours: 6 }))).toMatch(/E_DOMAIN.*time-range/);
    expect(code(() => traceTrajectory(f, { lng: 99, lat: 19, time: NaN }, { hours: 6 }))).toMatch(/E_ARG: start.time must be a finite number, got NaN/);
    expect(code(() => grid({ u: new Float64Array(17) }))).toMatch(/E_ARG: u has length 17 but nx·ny·times.length = 3·3·2 = 18/);
    expect(code(() => grid({ times: [6 * H, 0] }))).toMatch(/E_ARG: times must be strictly ascending/);
    expect(code(() => traceTrajectory(f, { lng: 99, lat: 19, time: 0 }, { hours: -1 }))).toMatch(/E_ARG: hours/);
    expect(code(() => traceTrajectory(f, { lng: 99, lat: 19, time: 0 }, { hours: 1, method: 'euler' as 'heun' }))).toMatch(/E_ARG: method/);
    expect(code(() => uniformWind({ speed: -1, directionFrom: 0 }))).toMatch(/E_ARG: speed/);
    expect(code(() => traceTrajectory(uniformWind({ u: 1, v: 0 }), { lng: 0, lat: 89.5, time: 0 }, { hours: 1 }))).toMatch(/E_DOMAIN: start.lat/);
    expect(code(() => traceTrajectories(f, [{ lng: 99, lat: 19, time: 0 }, { lng: 0, lat: 0, time: 0 }], { hours: 1, direction: 'forward' }))).toMatch(/starts\[1\]/);
  });

  it('stops before the pole with left-domain', () => {
    const t = traceTrajectory(uniformWind({ speed: 20, directionFrom: 180 }), { lng: 0, lat: 85, time: 0 }, { hours: 24, direction: 'forward' });
    expect(t.stopReason).toBe('left-domain');
    expect(last(t.lat)).toBeGreaterThanOrEqual(89);
  });
});

describe('gridded sampling', () => {
  it('is bilinear in space and linear in time, with 0–360 longitudes accepted', () => {
    const f = griddedWind({
      west: 0, south: 0, dLng: 1, dLat: 1, nx: 2, ny: 2, times: [0, 10],
      u: [1, 2, 3, 4, 11, 12, 13, 14], v: [0, 0, 0, 0, 1, 1, 1, 1],
    });
    const out = new Float64Array(2);
    expect(f.sample(0.5, 0.5, 0, out)).toBe(0);
    expect(out[0]).toBeCloseTo(2.5, 12);
    expect(f.sample(0.25, 0.75, 5, out)).toBe(0);
    expect(out[0]).toBeCloseTo(0.75 * 0.25 * 1 + 0.25 * 0.25 * 2 + 0.75 * 0.75 * 3 + 0.25 * 0.75 * 4 + 5, 12);
    expect(out[1]).toBeCloseTo(0.5, 12);
    expect(f.sample(1, 1, 10, out)).toBe(0);
    expect(out[0]).toBe(14);
    expect(f.sample(1.01, 0.5, 0, out)).toBe(WIND_LEFT_DOMAIN);
    expect(f.sample(0.5, 0.5, 11, out)).toBe(2);
    const g = griddedWind({ west: 250, south: 0, dLng: 1, dLat: 1, nx: 2, ny: 2, times: [0], u: [1, 2, 3, 4], v: [0, 0, 0, 0] });
    expect(g.sample(-109.5, 0, 123, out)).toBe(0); // -109.5 ≡ 250.5
    expect(out[0]).toBeCloseTo(1.5, 12);
  });
});

describe('fused gridded Heun path', () => {
  it('gives the same trajectories as the generic interface path (sample calls) on a gridded field', () => {
    const nx = 360, ny = 61, nt = 7;
    const u = new Float32Array(nx * ny * nt);
    const v = new Float32Array(nx * ny * nt);
    for (let t = 0; t < nt; t++) for (let r = 0; r < ny; r++) for (let c = 0; c < nx; c++) {
      const i = (t * ny + r) * nx + c;
      u[i] = 8 * Math.sin(c * 0.05 + t) + 3;
      v[i] = r > 50 ? 25 : 4 * Math.cos(r * 0.1 - t * 0.3);
    }
    for (let t = 0; t < nt; t++) {
      for (let r = 15; r < 25; r++) for (let c = 95; c < 106; c++) u[(t * ny + r) * nx + c] = -5; // westward near 100°E 50°N
      u[(t * ny + 20) * nx + 100] = NaN; // node (100°E, 50°N)
    }
    const g = griddedWind({ west: 0, south: 30, dLng: 1, dLat: 1, nx, ny, times: Array.from({ length: nt }, (_, k) => k * 6 * H), u, v, wrapLng: true });
    const generic: WindField = { kind: 'wrapped', timeRange: g.timeRange, sample: (a, b, c, o) => g.sample(a, b, c, o) };
    const starts = [
      { lng: 179.5, lat: 40, time: 36 * H },
      { lng: -10, lat: 84, time: 0 }, // runs into the polar cap
      { lng: 101.5, lat: 50.2, time: 24 * H }, // drifts west into the NaN node
      { lng: 10, lat: 45, time: 36 * H },
    ];
    for (const direction of ['back', 'forward'] as const) {
      for (const s of starts) {
        const a = traceTrajectory(g, s, { hours: 36, direction, stepMinutes: 7 });
        const b = traceTrajectory(generic, s, { hours: 36, direction, stepMinutes: 7 });
        expect(a.stopReason).toBe(b.stopReason);
        expect(Array.from(a.lng)).toEqual(Array.from(b.lng));
        expect(Array.from(a.lat)).toEqual(Array.from(b.lat));
        expect(Array.from(a.time)).toEqual(Array.from(b.time));
      }
    }
    const reasons = starts.map((s) => traceTrajectory(g, s, { hours: 36, direction: 'forward', stepMinutes: 7 }).stopReason);
    expect(reasons).toEqual(['time-range', 'left-domain', 'no-data', 'time-range']);
  });
});

describe('batches and ensembles', () => {
  const f = formulaField((lng, lat, _t, out) => {
    out[0] = 5 + Math.sin(lat * 0.5) * 3;
    out[1] = 2 * Math.cos(lng * 0.3);
  });

  it('traceTrajectories equals traceTrajectory start by start', () => {
    const starts = [
      { lng: 99, lat: 18.8, time: 0, receptor: 'cm' },
      { lng: 99.8, lat: 19.9, time: 3 * H, receptor: 'cr', member: 2 },
    ];
    const set = traceTrajectories(f, starts, { hours: 12, outputMinutes: 30 });
    expect(set.length).toBe(2);
    expect(set.receptor).toEqual(['cm', 'cr']);
    expect(Array.from(set.member)).toEqual([0, 2]);
    expect(Array.from(set.startTime)).toEqual([0, 3 * H]);
    for (let i = 0; i < 2; i++) {
      const one = traceTrajectory(f, starts[i]!, { hours: 12, outputMinutes: 30 });
      const g = getTrajectory(set, i);
      expect(Array.from(g.lng)).toEqual(Array.from(one.lng));
      expect(Array.from(g.lat)).toEqual(Array.from(one.lat));
      expect(Array.from(g.ageHours)).toEqual(Array.from(one.ageHours));
    }
    expect(JSON.parse(JSON.stringify(set)).offsets).toEqual([0, 25, 50]);
    // columnar starts give the same
    const cols = traceTrajectories(f, { lng: [99, 99.8], lat: [18.8, 19.9], time: [0, 3 * H] }, { hours: 12, outputMinutes: 30 });
    expect(Array.from(cols.lng)).toEqual(Array.from(set.lng));
  });

  it('a reused PointBuffer gives the same numbers, as views into its memory', () => {
    const buffer = new PointBuffer(8);
    const starts = [{ lng: 99, lat: 18.8, time: 0 }, { lng: 100, lat: 19, time: 0 }];
    const a = traceTrajectories(f, starts, { hours: 12 });
    const b = traceTrajectories(f, starts, { hours: 12, buffer });
    expect(Array.from(b.lng)).toEqual(Array.from(a.lng));
    expect(b.lng.buffer).toBe(buffer.lng.buffer);
    const c = traceTrajectories(f, [starts[1]!], { hours: 12, buffer });
    expect(Array.from(c.lng)).toEqual(Array.from(getTrajectory(a, 1).lng));
    expect(c.lng[0]).toBe(100);
  });

  it('hours that are not a multiple of the output interval end with a short segment', () => {
    const t = traceTrajectory(f, { lng: 99, lat: 18, time: 0 }, { hours: 2.5, direction: 'forward' });
    expect(Array.from(t.ageHours)).toEqual([0, 1, 2, 2.5]);
  });

  it('offset ensemble: 9 members reading the wind ±1 cell away; uniform wind gives one path', () => {
    const nx = 21;
    const u = new Float64Array(nx * nx * 2);
    const v = new Float64Array(nx * nx * 2);
    for (let k = 0; k < 2; k++) for (let r = 0; r < nx; r++) for (let c = 0; c < nx; c++) {
      u[(k * nx + r) * nx + c] = 3 + c * 0.4;
      v[(k * nx + r) * nx + c] = -2 + r * 0.3;
    }
    const g = griddedWind({ west: 95, south: 15, dLng: 0.5, dLat: 0.5, nx, ny: nx, times: [0, 24 * H], u, v });
    const ens = traceEnsemble(g, { lng: 100, lat: 20, time: 24 * H, receptor: 'x' }, { hours: 6 });
    expect(ens.length).toBe(9);
    expect(Array.from(ens.member)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const t0 = getTrajectory(ens, 0);
    const plain = traceTrajectory(g, { lng: 100, lat: 20, time: 24 * H }, { hours: 6 });
    expect(Array.from(t0.lng)).toEqual(Array.from(plain.lng));
    // member 1 reads the wind one cell east (u larger by 0.4): at the first step its u is exactly that
    const m1 = getTrajectory(ens, 1);
    expect(m1.lng[1]).not.toBe(t0.lng[1]);
    const out = new Float64Array(2);
    g.sample(100.5, 20, 24 * H, out);
    expect(out[0]).toBeCloseTo(3 + 11 * 0.4, 12);
    // the fused gridded path with an offset equals sampling the shifted wind through the interface
    for (const [m, ox, oy] of [[1, 0.5, 0], [8, -0.5, -0.5]] as const) {
      const shifted: WindField = { kind: 'shifted', timeRange: g.timeRange, sample: (a, b, c, o) => g.sample(a + ox, b + oy, c, o) };
      const ref = traceTrajectory(shifted, { lng: 100, lat: 20, time: 24 * H }, { hours: 6, stepMinutes: autoStepMinutes(g) });
      const mem = getTrajectory(ens, m);
      expect(Array.from(mem.lng)).toEqual(Array.from(ref.lng));
      expect(Array.from(mem.lat)).toEqual(Array.from(ref.lat));
    }
    const s = ensembleSpread(ens);
    expect(s.spreadKm[0]!).toBeLessThan(1e-9);
    expect(s.spreadKm[6]!).toBeGreaterThan(s.spreadKm[1]!);
    const uni = traceEnsemble(uniformWind({ u: 4, v: 1 }), { lng: 100, lat: 20, time: 0 }, { hours: 6 });
    expect(ensembleSpread(uni).spreadKm.every((x) => x < 1e-9)).toBe(true);
  });

  it('random-walk ensemble is seeded and spreads like √2·√(2Kt)', () => {
    const w = uniformWind({ u: 2, v: 0 });
    const o = { hours: 24, members: 'random-walk' as const, count: 400, diffusivity: 5000, seed: 3 };
    const a = traceEnsemble(w, { lng: 100, lat: 10, time: 0 }, o);
    const b = traceEnsemble(w, { lng: 100, lat: 10, time: 0 }, o);
    expect(Array.from(a.lng)).toEqual(Array.from(b.lng));
    const c = traceEnsemble(w, { lng: 100, lat: 10, time: 0 }, { ...o, seed: 4 });
    expect(Array.from(c.lng)).not.toEqual(Array.from(a.lng));
    const s = ensembleSpread(a);
    const expected = (Math.SQRT2 * Math.sqrt(2 * 5000 * 86400)) / 1000;
    expect(s.spreadKm[24]! / expected).toBeGreaterThan(0.9);
    expect(s.spreadKm[24]! / expected).toBeLessThan(1.1);
    expect(s.members[24]).toBe(400);
  });
});
