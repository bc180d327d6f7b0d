import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WIND_LEFT_DOMAIN, WIND_NO_DATA, WIND_OK, WIND_TIME_RANGE } from '../../src/core/index.js';
import {
  GRAVITY,
  R_DRY_AIR,
  S3,
  SAMPLE3D_LENGTH,
  WIND_ABOVE_TOP,
  isWindField3D,
  isaHeightM,
  isaPressurePa,
  isaTemperatureK,
  pressureLevelWind,
  uniformWind,
} from '../../src/wind/index.js';
import type { PressureLevelWindArrays } from '../../src/wind/index.js';
import { LEVELS, pressureLevelArrays, type PressureLevelSpec } from './pressure-level-arrays.js';

const H = 3_600_000;
/** 0.5° grid from 98 E, 17 N, 5 × 4 nodes, one frame at 0; arrays filled from formulas. */
const build = (s: PressureLevelSpec, more: Partial<PressureLevelWindArrays> = {}): PressureLevelWindArrays =>
  pressureLevelArrays(s, { west: 98, south: 17, dDeg: 0.5, nx: 5, ny: 4, times: [0] }, more);

describe('standard atmosphere', () => {
  it('ICAO values: 500 hPa at 5574 m, 1000 hPa at 111 m, 250 hPa at 10363 m; T 216.65 K above 11 km; inverse pairs', () => {
    expect(isaHeightM(50000)).toBeCloseTo(5574.4, 0);
    expect(isaHeightM(100000)).toBeCloseTo(110.9, 0);
    expect(isaHeightM(25000)).toBeCloseTo(10363, -1);
    expect(isaHeightM(10000)).toBeCloseTo(16180, -1);
    expect(isaPressurePa(0)).toBe(101325);
    expect(isaTemperatureK(0)).toBe(288.15);
    expect(isaTemperatureK(15000)).toBeCloseTo(216.65, 10);
    for (const z of [0, 500, 3000, 10999, 11000, 14000, 20000]) expect(isaHeightM(isaPressurePa(z))).toBeCloseTo(z, 6);
  });
});

describe('pressureLevelWind: interpolation', () => {
  it('is linear in log-pressure between levels (u = a + b·ln p is reproduced exactly at any pressure)', () => {
    const f = pressureLevelWind(build({ u: (_t, k) => 3 + 7 * Math.log(LEVELS[k]!), v: (_t, k) => -2 * Math.log(LEVELS[k]!) }));
    const out = new Float64Array(SAMPLE3D_LENGTH);
    for (const p of [99000, 92500, 88000, 60000, 41000, 30000]) {
      expect(f.sampleIsobaric(98.7, 18.2, 0, p, out)).toBe(WIND_OK);
      expect(out[S3.U]).toBeCloseTo(3 + 7 * Math.log(p), 10);
      expect(out[S3.V]).toBeCloseTo(-2 * Math.log(p), 10);
      expect(out[S3.PRESSURE]).toBe(p);
      // no height field: the standard atmosphere places the surface, terrain 0
      expect(out[S3.HEIGHT_AGL]).toBeCloseTo(isaHeightM(p), 8);
    }
    // by height: the pressure is the standard atmosphere's, and u follows ln of it
    expect(f.sample3d(98.7, 18.2, 0, 2000, out)).toBe(WIND_OK);
    expect(out[S3.PRESSURE]).toBeCloseTo(isaPressurePa(2000), 8);
    expect(out[S3.U]).toBeCloseTo(3 + 7 * Math.log(isaPressurePa(2000)), 10);
  });

  it('with geopotential heights: a height is placed between the column levels, ln p linear in z (hypsometric), u follows', () => {
    // heights differ by column: +40 m per column eastward
    const hgt = (_t: number, k: number, _r: number, c: number): number => isaHeightM(LEVELS[k]!) + 40 * c;
    const f = pressureLevelWind(build({ height: hgt, u: (_t, k) => 5 * Math.log(LEVELS[k]!) }));
    const out = new Float64Array(SAMPLE3D_LENGTH);
    // at column 2 exactly (lng 99), z between 850 and 700 hPa levels
    const h850 = isaHeightM(85000) + 80;
    const h700 = isaHeightM(70000) + 80;
    const z = h850 + 0.3 * (h700 - h850);
    expect(f.sample3dMsl(99, 18, 0, z, out)).toBe(WIND_OK);
    const lnp = Math.log(85000) + 0.3 * (Math.log(70000) - Math.log(85000));
    expect(out[S3.PRESSURE]).toBeCloseTo(Math.exp(lnp), 6);
    expect(out[S3.U]).toBeCloseTo(5 * lnp, 10);
    // isobaric sample gives back the same height
    expect(f.sampleIsobaric(99, 18, 0, Math.exp(lnp), out)).toBe(WIND_OK);
    expect(out[S3.HEIGHT_AGL]).toBeCloseTo(z, 6);
    // halfway between columns 2 and 3: heights +100 m
    expect(f.sampleIsobaric(99.25, 18, 0, 85000, out)).toBe(WIND_OK);
    expect(out[S3.HEIGHT_AGL]).toBeCloseTo(isaHeightM(85000) + 100, 8);
  });

  it('is linear in time between frames and bilinear in space', () => {
    const f = pressureLevelWind(build({ times: [0, H], u: (t, _k, r, c) => 10 * t + c + 2 * r }));
    const out = new Float64Array(SAMPLE3D_LENGTH);
    expect(f.sample3d(98.25, 17.75, 0.25 * H, 1000, out)).toBe(WIND_OK);
    expect(out[S3.U]).toBeCloseTo(2.5 + 0.5 + 3, 12); // t 0.25 → 2.5; col 0.5; row 1.5 → 3
  });

  it('the 2-D sample is u, v at defaultHeightAgl above ground (500 m, or the option)', () => {
    const a = build({ u: (_t, k) => k * 2, v: (_t, k) => -k });
    const f = pressureLevelWind(a);
    const o2 = new Float64Array(2);
    const o3 = new Float64Array(SAMPLE3D_LENGTH);
    expect(f.sample(98.6, 17.9, 0, o2)).toBe(WIND_OK);
    f.sample3d(98.6, 17.9, 0, 500, o3);
    expect(o2[0]).toBe(o3[0]);
    expect(o2[1]).toBe(o3[1]);
    expect(o2[0]).toBeGreaterThan(0);
    const g = pressureLevelWind({ ...a, defaultHeightAgl: 3000 });
    g.sample(98.6, 17.9, 0, o2);
    f.sample3d(98.6, 17.9, 0, 3000, o3);
    expect(o2[0]).toBe(o3[0]);
    expect(isWindField3D(f)).toBe(true);
    expect(isWindField3D(uniformWind({ u: 1, v: 1 }))).toBe(false);
    expect(f.maxSpeed).toBeCloseTo(Math.hypot(10, 5), 12);
    expect(f.gridSpacingM).toBeCloseTo(0.5 * 111_320, 6);
    expect(f.gridStepDeg).toEqual([0.5, 0.5]);
  });
});

describe('pressureLevelWind: vertical velocity', () => {
  it('omega becomes w = −ω/(ρg), ρ = p/(R_d·T) with standard-atmosphere T', () => {
    const w = 0.37;
    const omega = (_t: number, k: number): number => (-w * LEVELS[k]! * GRAVITY) / (R_DRY_AIR * isaTemperatureK(isaHeightM(LEVELS[k]!)));
    const f = pressureLevelWind(build({ omega }));
    const out = new Float64Array(SAMPLE3D_LENGTH);
    for (const z of [50, 800, 4000, 8000]) {
      expect(f.sample3d(98.3, 17.4, 0, z, out)).toBe(WIND_OK);
      expect(out[S3.W]).toBeCloseTo(w, 12);
    }
    expect(f.hasVerticalMotion).toBe(true);
    expect(f.maxVerticalSpeed).toBeCloseTo(w, 12);
    expect(f.temperatureSource).toBe('standard-atmosphere');
    // -1 Pa/s at 1000 hPa, 288 K: ρ ≈ 1.21, w ≈ 0.0843 m/s upward
    const g = pressureLevelWind(build({ omega: () => -1 }));
    g.sampleIsobaric(98.3, 17.4, 0, 100000, out);
    expect(out[S3.W]).toBeCloseTo((R_DRY_AIR * isaTemperatureK(isaHeightM(100000))) / (100000 * GRAVITY), 12);
  });

  it('uses the extra level field t (K) for the density when given', () => {
    const T = 250;
    const a = build({ omega: (_t, k) => -LEVELS[k]! / (R_DRY_AIR * T) * GRAVITY * 0.2 });
    const f = pressureLevelWind({ ...a, extra: { t: { values: new Float64Array(a.u.length).fill(T), levels: true, units: 'K' } } });
    const out = new Float64Array(SAMPLE3D_LENGTH);
    f.sample3d(98.3, 17.4, 0, 1500, out);
    expect(out[S3.W]).toBeCloseTo(0.2, 12);
    expect(f.temperatureSource).toBe('t');
    expect(f.sampleField('t', 98.3, 17.4, 0, 1500)).toBe(T);
  });

  it('without omega w is NaN and the field says so', () => {
    const f = pressureLevelWind(build({}));
    const out = new Float64Array(SAMPLE3D_LENGTH);
    f.sample3d(98.3, 17.4, 0, 1500, out);
    expect(out[S3.W]).toBeNaN();
    expect(f.hasVerticalMotion).toBe(false);
    expect(f.maxVerticalSpeed).toBe(0);
  });
});

describe('pressureLevelWind: terrain and surface fields', () => {
  it('terrain from surface.elevation, bilinear', () => {
    const a = build({});
    const elevation = new Float64Array(20);
    for (let r = 0; r < 4; r++) for (let c = 0; c < 5; c++) elevation[r * 5 + c] = 100 * c + 10 * r;
    const f = pressureLevelWind({ ...a, surface: { elevation } });
    expect(f.terrainAt(98.25, 17.25)).toBeCloseTo(55, 10);
    expect(f.terrainSource).toBe('elevation');
    const out = new Float64Array(SAMPLE3D_LENGTH);
    f.sample3d(98.25, 17.25, 0, 500, out);
    expect(out[S3.TERRAIN]).toBeCloseTo(55, 10);
    expect(out[S3.HEIGHT_AGL]).toBeCloseTo(500, 9);
    expect(out[S3.PRESSURE]).toBeCloseTo(isaPressurePa(555), 6);
  });

  it('terrain from surface pressure (standard atmosphere, or the level heights), else 0', () => {
    const a = build({ times: [0, H] });
    const ps = new Float64Array(2 * 20).fill(90000);
    const f = pressureLevelWind({ ...a, surface: { pressure: ps } });
    expect(f.terrainSource).toBe('surface-pressure');
    expect(f.terrainAt(98.6, 17.6)).toBeCloseTo(isaHeightM(90000), 8);
    const hgt = build({ times: [0, H], height: (_t, k) => isaHeightM(LEVELS[k]!) + 300 });
    const g = pressureLevelWind({ ...hgt, surface: { pressure: ps } });
    // 900 hPa lies between 925 and 850: ln p interpolation of the level heights
    const fr = (Math.log(90000) - Math.log(92500)) / (Math.log(85000) - Math.log(92500));
    const h925 = isaHeightM(92500) + 300;
    const h850 = isaHeightM(85000) + 300;
    expect(g.terrainAt(98.6, 17.6)).toBeCloseTo(h925 + fr * (h850 - h925), 8);
    expect(pressureLevelWind(a).terrainAt(98.6, 17.6)).toBe(0);
    expect(pressureLevelWind(a).terrainSource).toBe('none');
  });

  it('samples mixing height, precipitation, surface pressure and 2-D extras; NaN for what is absent', () => {
    const a = build({ times: [0, H] });
    const mh = new Float64Array(40);
    mh.fill(1000, 0, 20);
    mh.fill(200, 20, 40);
    const rain = new Float64Array(40).fill(1.5);
    const rh = new Float64Array(40).fill(70);
    const f = pressureLevelWind({ ...a, surface: { mixingHeight: mh, precipitation: rain }, extra: { rh2m: { values: rh, levels: false, units: '%' } } });
    expect(f.fieldNames).toEqual(['mixingHeight', 'precipitation', 'rh2m']);
    expect(f.sampleField('mixingHeight', 98.6, 17.6, 0.5 * H, 0)).toBeCloseTo(600, 10);
    expect(f.sampleField('precipitation', 98.6, 17.6, 0.5 * H, 0)).toBe(1.5);
    expect(f.sampleField('rh2m', 98.6, 17.6, 0, 0)).toBe(70);
    expect(f.sampleField('surfacePressure', 98.6, 17.6, 0, 0)).toBeNaN();
    expect(f.sampleField('nope', 98.6, 17.6, 0, 0)).toBeNaN();
    expect(f.sampleField('toString', 98.6, 17.6, 0, 0)).toBeNaN();
    expect(f.sampleField('mixingHeight', 120, 17.6, 0, 0)).toBeNaN();
  });
});

describe('pressureLevelWind: statuses and errors', () => {
  it('left domain, time range, time holes, NoData, above the top level', () => {
    const f = pressureLevelWind(build({ times: [0, H, 30 * H], u: (t, k, r, c) => (t === 0 && k === 0 && r === 1 && c === 1 ? NaN : 1) }));
    const out = new Float64Array(SAMPLE3D_LENGTH);
    expect(f.sample3d(97, 18, 0, 500, out)).toBe(WIND_LEFT_DOMAIN);
    expect(f.sample3d(98.5, 18, -1, 500, out)).toBe(WIND_TIME_RANGE);
    expect(f.sample3d(98.5, 18, 2 * H, 500, out)).toBe(WIND_NO_DATA); // 29-h hole, not interpolated
    expect(f.sample3d(98.5, 18, 30 * H, 500, out)).toBe(WIND_OK); // on a frame
    expect(f.sample3d(98.25, 17.25, 0, 50, out)).toBe(WIND_NO_DATA); // NaN node at the lowest level
    expect(f.sample3d(98.25, 17.25, 0, 5000, out)).toBe(WIND_OK); // levels above are fine
    expect(f.sample3d(98.5, 18, 0, isaHeightM(30000) + 1, out)).toBe(WIND_ABOVE_TOP);
    expect(f.sampleIsobaric(98.5, 18, 0, 29000, out)).toBe(WIND_ABOVE_TOP);
    const high = pressureLevelWind({ ...build({ levels: [100000, 95000] }), defaultHeightAgl: 2000 });
    expect(high.sample(98.5, 18, 0, new Float64Array(2))).toBe(WIND_LEFT_DOMAIN);
    const o2 = new Float64Array(2);
    expect(f.sample(97, 18, 0, o2)).toBe(WIND_LEFT_DOMAIN);
  });

  it('throws E_ARG on levels not descending, wrong lengths, bad surface arrays, heights not increasing', () => {
    const a = build({});
    expect(() => pressureLevelWind({ ...a, levels: [...LEVELS].reverse() })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => pressureLevelWind({ ...a, levels: [100000] })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => pressureLevelWind({ ...a, u: new Float64Array(3) })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => pressureLevelWind({ ...a, u: [1, 2] as never })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => pressureLevelWind({ ...a, surface: { elevation: new Float64Array(7) } })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => pressureLevelWind({ ...a, height: new Float64Array(a.u.length) })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => pressureLevelWind({ ...a, times: [0, 0] })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => pressureLevelWind(null as never)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});

// ---------------------------------------------------------------------------------------------------------
// The samplers against a straightforward reference written here: every value interpolated the textbook way
// (bilinear at each frame, linear in time, level bracket by a search from the bottom, linear in z between the
// level heights / in ln p between the level pressures), at random points of a random field with heights,
// omega, terrain and mixing height, on every path (sample3d, sample3dMsl, sampleIsobaric, windAt,
// sampleWithMixing, and Heun steps taken one by one against heunSteps3d, which reuses per-node values between
// samples).
// ---------------------------------------------------------------------------------------------------------

/** A seeded random field: 9 × 7 nodes at 0.5°, 5 levels, 4 uneven frames, heights that vary, Float64 or Float32. */
function randomArrays(seed: number, f32: boolean): PressureLevelWindArrays {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const nx = 9;
  const ny = 7;
  const levels = [100000, 92500, 85000, 70000, 50000];
  const times = [0, H, 2 * H, 3.5 * H];
  const nz = levels.length;
  const frame = nx * ny;
  const n = times.length * nz * frame;
  const A = f32 ? Float32Array : Float64Array;
  const u = new A(n);
  const v = new A(n);
  const omega = new A(n);
  const height = new A(n);
  for (let t = 0; t < times.length; t++)
    for (let k = 0; k < nz; k++)
      for (let c = 0; c < frame; c++) {
        const i = (t * nz + k) * frame + c;
        u[i] = 20 * rnd() - 10;
        v[i] = 20 * rnd() - 10;
        omega[i] = rnd() - 0.5;
        height[i] = isaHeightM(levels[k]!) + 150 * rnd() - 75;
      }
  const elevation = new Float64Array(frame);
  for (let c = 0; c < frame; c++) elevation[c] = 600 * rnd();
  const mixingHeight = new Float64Array(times.length * frame);
  for (let i = 0; i < mixingHeight.length; i++) mixingHeight[i] = 200 + 2000 * rnd();
  return { west: 98, south: 17, dLng: 0.5, dLat: 0.5, nx, ny, times, levels, u, v, omega, height, surface: { elevation, mixingHeight }, maxGapHours: 6 };
}

/** The reference sample: status and [u, v, w, p, terrain, heightAgl, mixing]; mode 0 = z AMSL, 1 = height above ground, 2 = pressure. */
function refSample(a: PressureLevelWindArrays, lng: number, lat: number, time: number, mode: number, q: number): { st: number; out: number[] } {
  const { nx, ny, levels } = a;
  const times = Array.from(a.times);
  const nz = levels.length;
  const frame = nx * ny;
  if (!(time >= times[0]! && time <= times[times.length - 1]!)) return { st: WIND_TIME_RANGE, out: [] };
  let kt = 0;
  while (kt < times.length - 2 && time > times[kt + 1]!) kt++;
  let ft = (time - times[kt]!) / (times[kt + 1]! - times[kt]!);
  if (ft >= 1) {
    kt++;
    ft = 0;
  }
  const x = (lng - a.west) / a.dLng;
  const y = (lat - a.south) / a.dLat;
  if (!(x >= 0 && x <= nx - 1 && y >= 0 && y <= ny - 1)) return { st: WIND_LEFT_DOMAIN, out: [] };
  const i0 = Math.min(Math.floor(x), nx - 2);
  const j0 = Math.min(Math.floor(y), ny - 2);
  const fx = x - i0;
  const fy = y - j0;
  const bil = (arr: ArrayLike<number>, base: number): number =>
    (1 - fx) * (1 - fy) * arr[base + j0 * nx + i0]! + fx * (1 - fy) * arr[base + j0 * nx + i0 + 1]! + (1 - fx) * fy * arr[base + (j0 + 1) * nx + i0]! + fx * fy * arr[base + (j0 + 1) * nx + i0 + 1]!;
  const lvl = (arr: ArrayLike<number>, k: number): number => {
    const v0 = bil(arr, (kt * nz + k) * frame);
    return ft > 0 ? v0 + ft * (bil(arr, ((kt + 1) * nz + k) * frame) - v0) : v0;
  };
  // w at the nodes from omega (standard-atmosphere T), then interpolated like u
  const wArr = Float64Array.from(a.omega!, (om, i) => {
    const k = Math.floor(i / frame) % nz;
    return (-om * R_DRY_AIR * isaTemperatureK(isaHeightM(levels[k]!))) / (levels[k]! * GRAVITY);
  });
  const terrain = bil(a.surface!.elevation!, 0);
  const hOf = (k: number): number => lvl(a.height!, k);
  let k = 0;
  let f: number;
  let p: number;
  let z: number;
  if (mode === 2) {
    p = q;
    if (p < levels[nz - 1]!) return { st: WIND_ABOVE_TOP, out: [] };
    while (k < nz - 2 && p <= levels[k + 1]!) k++;
    f = Math.log(p / levels[k]!) / Math.log(levels[k + 1]! / levels[k]!);
    z = hOf(k) + f * (hOf(k + 1) - hOf(k));
  } else {
    z = mode === 1 ? terrain + q : q;
    if (z > hOf(nz - 1)) return { st: WIND_ABOVE_TOP, out: [] };
    while (k < nz - 2 && z > hOf(k + 1)) k++;
    f = (z - hOf(k)) / (hOf(k + 1) - hOf(k));
    p = Math.exp(Math.log(levels[k]!) + f * Math.log(levels[k + 1]! / levels[k]!));
  }
  const fz = Math.max(0, f);
  const at = (arr: ArrayLike<number>): number => lvl(arr, k) + fz * (lvl(arr, k + 1) - lvl(arr, k));
  const mh = a.surface!.mixingHeight!;
  const m0 = bil(mh, kt * frame);
  const mix = ft > 0 ? m0 + ft * (bil(mh, (kt + 1) * frame) - m0) : m0;
  return { st: WIND_OK, out: [at(a.u), at(a.v), at(wArr), p, terrain, z - terrain, mix] };
}

describe('pressureLevelWind: the samplers against a reference implementation', () => {
  // uniform in [0, 1] (fast-check's doubles crowd near 0)
  const unit = fc.integer({ min: 0, max: 1_000_000 }).map((i) => i / 1_000_000);
  const close = (got: number, want: number, tol: number): boolean => Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));

  for (const f32 of [false, true]) {
    it(`every sampler equals the reference at random points, heights and pressures (${f32 ? 'Float32' : 'Float64'})`, () => {
      const a = randomArrays(f32 ? 11 : 7, f32);
      const f = pressureLevelWind(a);
      const out = new Float64Array(8);
      let okCount = 0;
      fc.assert(
        fc.property(
          unit,
          unit,
          unit,
          fc.integer({ min: 0, max: 2 }),
          unit,
          (rx, ry, rt, mode, r) => {
            // a margin outside the grid and the frames on each side (left-domain, time-range statuses)
            const lng = 97.9 + 4.2 * rx;
            const lat = 16.9 + 3.2 * ry;
            const time = -0.2 * H + 3.9 * H * rt;
            // q across the column and past its ends: z from 0 to 6.5 km, above ground 0 to 6 km, 1030 to 450 hPa
            const q = mode === 0 ? 6500 * r : mode === 1 ? 6000 * r : 103000 - 58000 * r;
            const ref = refSample(a, lng, lat, time, mode, q);
            out.fill(-1);
            const st = f.sampleWithMixing(lng, lat, time, mode, q, out);
            expect(st).toBe(ref.st);
            if (st !== WIND_OK) return;
            okCount++;
            // (w is stored as Float32 when u is: the reference's double w differs by that rounding)
            for (let i = 0; i < 7; i++) expect(close(out[i]!, ref.out[i]!, f32 && i === 2 ? 1e-6 : 1e-9), `out[${i}] ${out[i]} vs ${ref.out[i]}`).toBe(true);
            // the public samplers and the tracer's wind read agree with it
            const pub = new Float64Array(SAMPLE3D_LENGTH);
            const st2 = mode === 0 ? f.sample3dMsl(lng, lat, time, q, pub) : mode === 1 ? f.sample3d(lng, lat, time, q, pub) : f.sampleIsobaric(lng, lat, time, q, pub);
            expect(st2).toBe(WIND_OK);
            for (let i = 0; i < SAMPLE3D_LENGTH; i++) expect(pub[i]).toBe(out[i]);
            expect(f.windAt(lng, lat, time, mode, q, pub)).toBe(WIND_OK);
            expect([pub[0], pub[1], pub[2]]).toEqual([out[0], out[1], mode === 0 ? out[2] : 0]);
          },
        ),
        { seed: 20261203, numRuns: 400 },
      );
      expect(okCount).toBeGreaterThan(60); // (fast-check favours the ends of a range: many draws fall outside on purpose)
    });
  }

  it('heunSteps3d (per-node values reused between samples) equals Heun steps taken one by one with the reference sampler', () => {
    const a = randomArrays(5, false);
    const f = pressureLevelWind(a);
    const pos = new Float64Array(5);
    const R = 6_371_008.8;
    const rad = Math.PI / 180;
    let stepped = 0;
    fc.assert(
      fc.property(
        fc.double({ min: 99, max: 101, noNaN: true }),
        fc.double({ min: 18, max: 19.5, noNaN: true }),
        fc.integer({ min: 0, max: 2 }),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        fc.boolean(),
        (lng0, lat0, mode, r, back) => {
          const dt = back ? -300 : 300; // 5-min steps
          const t0 = back ? 3.5 * H : 0;
          const q0 = mode === 0 ? 600 + 4000 * r : mode === 1 ? 5000 * r : 95000 - 40000 * r;
          const steps = 12;
          const st = f.heunSteps3d(lng0, lat0, q0, t0, dt, R, steps, mode, pos, true);
          // reference: the same Heun scheme, one sample at a time
          let lng = lng0;
          let lat = lat0;
          let q = q0;
          let t = t0;
          let done = 0;
          let rst = 0;
          const k = (dt / R) / rad;
          for (; done < steps; done++) {
            const s1 = refSample(a, lng, lat, t, mode, q);
            if (s1.st !== 0) {
              rst = s1.st;
              break;
            }
            const w1 = mode === 0 ? s1.out[2]! : 0;
            const r1x = s1.out[0]! / Math.cos(lat * rad);
            const lngP = lng + r1x * k;
            const latP = lat + s1.out[1]! * k;
            const s2 = refSample(a, lngP, latP, t + dt * 1000, mode, q + w1 * dt);
            if (s2.st !== 0) {
              rst = s2.st;
              break;
            }
            const w2 = mode === 0 ? s2.out[2]! : 0;
            let nq = q + 0.5 * (w1 + w2) * dt;
            const nl = lng + 0.5 * (r1x + s2.out[0]! / Math.cos(latP * rad)) * k;
            const na = lat + 0.5 * (s1.out[1]! + s2.out[1]!) * k;
            if (mode === 0) {
              const g = f.terrainAt(nl, na);
              if (nq < g) nq = 2 * g - nq;
              const top = f.topHeightAt(nl, na, t + dt * 1000);
              if (nq > top) {
                rst = WIND_ABOVE_TOP;
                break;
              }
            }
            lng = nl;
            lat = na;
            q = nq;
            t += dt * 1000;
          }
          expect(st).toBe(rst);
          expect(pos[4]).toBe(done);
          expect(Math.abs(pos[0]! - lng)).toBeLessThan(1e-9);
          expect(Math.abs(pos[1]! - lat)).toBeLessThan(1e-9);
          expect(Math.abs(pos[2]! - q)).toBeLessThan(mode === 2 ? 1e-6 : 1e-6);
          expect(pos[3]).toBe(t);
          if (done === steps) stepped++;
        },
      ),
      { seed: 42, numRuns: 200 },
    );
    expect(stepped).toBeGreaterThan(100); // most runs take all 12 steps
  });
});
