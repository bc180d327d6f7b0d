import { describe, expect, it } from 'vitest';
import {
  GRAVITY,
  R_DRY_AIR,
  autoStepMinutes,
  autoStepMinutes3d,
  griddedWind,
  isaHeightM,
  isaPressurePa,
  isaTemperatureK,
  pressureLevelWind,
  readTdump,
  traceTrajectories,
  traceTrajectories3d,
  writeTdump,
} from '../../src/wind/index.js';
import type { PressureLevelWindArrays } from '../../src/wind/index.js';
import { LEVELS, pressureLevelArrays, type PressureLevelSpec } from './pressure-level-arrays.js';

const H = 3_600_000;
const T0 = Date.UTC(2025, 2, 10, 12);
/** A grid from 96 E, 14 N (default 0.5°, 17 × 13 nodes), one frame at T0. */
const build = (s: PressureLevelSpec, more: Partial<PressureLevelWindArrays> = {}): PressureLevelWindArrays =>
  pressureLevelArrays(s, { west: 96, south: 14, dDeg: 0.5, nx: 17, ny: 13, times: [T0] }, more);

/** omega (Pa/s) that gives upward w (m/s) under the field's density rule (standard-atmosphere T). */
const omegaFor = (w: number, levels = LEVELS) => (_t: number, k: number): number =>
  (-w * levels[k]! * GRAVITY) / (R_DRY_AIR * isaTemperatureK(isaHeightM(levels[k]!)));

const last = (a: ArrayLike<number>): number => a[a.length - 1]!;

describe('traceTrajectories3d: vertical motion from the data', () => {
  it('uniform w moves a parcel by w·t exactly (forward and back), pressure follows the standard atmosphere', () => {
    const w = 0.05;
    const f = pressureLevelWind(build({ u: () => 2, omega: omegaFor(w) }));
    const fw = traceTrajectories3d(f, [{ lng: 98, lat: 17, time: T0, heightAgl: 500 }], { hours: 6, direction: 'forward' });
    expect(fw.vertical).toBe('data');
    expect(fw.stopReason[0]).toBe('completed');
    expect(fw.heightAgl.length).toBe(7);
    for (let i = 0; i < 7; i++) {
      expect(Math.abs(fw.heightAgl[i]! - (500 + w * i * 3600))).toBeLessThan(1e-9);
      expect(fw.pressure[i]).toBeCloseTo(isaPressurePa(500 + w * i * 3600), 6);
      expect(fw.terrain[i]).toBe(0);
    }
    // back in time, a rising parcel came from below; a sinking one from above
    const bk = traceTrajectories3d(f, [{ lng: 98, lat: 17, time: T0, heightAgl: 1500 }], { hours: 6 });
    expect(Math.abs(last(bk.heightAgl) - (1500 - w * 6 * 3600))).toBeLessThan(1e-9);
    const rk = traceTrajectories3d(f, [{ lng: 98, lat: 17, time: T0, heightAgl: 1500 }], { hours: 6, method: 'rk4' });
    expect(Math.abs(last(rk.heightAgl) - (1500 - w * 6 * 3600))).toBeLessThan(1e-9);
  });

  it('the ground reflects: a sinking parcel that would end below ground is mirrored above it', () => {
    const w = -0.1;
    const elevation = new Float64Array(17 * 13).fill(200);
    const f = pressureLevelWind(build({ u: () => 1, omega: omegaFor(w) }, { surface: { elevation } }));
    const set = traceTrajectories3d(f, [{ lng: 98, lat: 17, time: T0, heightAgl: 100 }], {
      hours: 1,
      direction: 'forward',
      stepMinutes: 10,
      outputMinutes: 10,
    });
    // each 10-min step moves −60 m: 100 → 40 → (−20 → 20) → (−40 → 40) → (−20 → 20) ...
    const expected = [100, 40, 20, 40, 20, 40, 20];
    expect(set.heightAgl.length).toBe(7);
    for (let i = 0; i < 7; i++) expect(set.heightAgl[i]).toBeCloseTo(expected[i]!, 9);
    expect(Math.min(...set.heightAgl)).toBeGreaterThanOrEqual(0);
    expect(set.terrain[3]).toBe(200);
    // HYSPLIT's trajectory model instead carries the parcel on along the ground; RK4 (the unfused path) agrees
    for (const method of ['heun', 'rk4'] as const) {
      const surf = traceTrajectories3d(f, [{ lng: 98, lat: 17, time: T0, heightAgl: 100 }], {
        hours: 1, direction: 'forward', stepMinutes: 10, outputMinutes: 10, ground: 'surface', method,
      });
      const want = [100, 40, 0, 0, 0, 0, 0];
      for (let i = 0; i < 7; i++) expect(surf.heightAgl[i]).toBeCloseTo(want[i]!, 9);
      const refl = traceTrajectories3d(f, [{ lng: 98, lat: 17, time: T0, heightAgl: 100 }], { hours: 1, direction: 'forward', stepMinutes: 10, outputMinutes: 10, method });
      for (let i = 0; i < 7; i++) expect(refl.heightAgl[i]).toBeCloseTo(expected[i]!, 9);
    }
  });

  it('the top level stops the trajectory (model-top) at the last step below it', () => {
    const levels = [100000, 85000, 70000, 50000];
    const f = pressureLevelWind(build({ levels, omega: omegaFor(1, levels) }));
    const top = isaHeightM(50000); // 5574 m
    const set = traceTrajectories3d(f, [{ lng: 98, lat: 17, time: T0, heightAgl: 500 }], { hours: 3, direction: 'forward', stepMinutes: 10 });
    expect(set.stopReason[0]).toBe('model-top');
    // +600 m per step: 500 + 8·600 = 5300 < 5574 < 5900
    expect(top).toBeGreaterThan(5300);
    expect(last(set.heightAgl)).toBeCloseTo(5300, 6);
    expect(last(set.ageHours)).toBeCloseTo(80 / 60, 12);
    expect(Array.from(set.ageHours.subarray(0, 2))).toEqual([0, 1]);
  });

  it('default step: the vertical rule (0.75 of the thinnest layer per step at max |w|) when it is the stricter', () => {
    const f = pressureLevelWind(build({ u: () => 5, omega: omegaFor(1) }));
    const thin = isaHeightM(92500) - isaHeightM(100000);
    expect(f.minLayerThicknessM).toBeCloseTo(thin, 9);
    expect(autoStepMinutes3d(f, 'data')).toBeCloseTo((0.75 * thin) / 1 / 60, 9);
    expect(autoStepMinutes3d(f, 'agl')).toBe(autoStepMinutes(f));
  });
});

describe('traceTrajectories3d: isobaric and constant height above ground', () => {
  it('isobaric keeps the start pressure while heights and terrain vary', () => {
    const hgt = (_t: number, k: number, r: number, c: number): number => isaHeightM(LEVELS[k]!) + 15 * c - 10 * r;
    const elevation = new Float64Array(17 * 13);
    for (let i = 0; i < elevation.length; i++) elevation[i] = 30 * (i % 17);
    const f = pressureLevelWind(build({ u: () => 6, v: () => 2, omega: omegaFor(0.3), height: hgt }, { surface: { elevation } }));
    const set = traceTrajectories3d(f, [{ lng: 98, lat: 17, time: T0, heightAgl: 800 }], { hours: 12, vertical: 'isobaric', direction: 'forward' });
    expect(set.vertical).toBe('isobaric');
    const p0 = set.pressure[0]!;
    expect(p0).toBeGreaterThan(85000);
    expect(p0).toBeLessThan(100000);
    for (let i = 0; i < set.pressure.length; i++) expect(set.pressure[i]).toBe(p0);
    // the height above ground changes along the way (terrain rises eastward faster than the surface)
    expect(Math.abs(last(set.heightAgl) - 800)).toBeGreaterThan(50);
    expect(set.heightAgl[0]).toBeCloseTo(800, 6);
  });

  it('constant height above ground follows a terrain ramp', () => {
    const elevation = new Float64Array(17 * 13);
    for (let r = 0; r < 13; r++) for (let c = 0; c < 17; c++) elevation[r * 17 + c] = 100 + 150 * c; // 300 m per degree east
    const f = pressureLevelWind(build({ u: () => 8, v: () => 1 }, { surface: { elevation } }));
    const set = traceTrajectories3d(f, [{ lng: 97, lat: 16, time: T0 }], { hours: 24, direction: 'forward' });
    expect(set.vertical).toBe('agl');
    expect(set.heightAgl.length).toBe(25);
    for (let i = 0; i < set.lng.length; i++) {
      expect(set.heightAgl[i]).toBe(500);
      expect(set.terrain[i]).toBeCloseTo(100 + 300 * (set.lng[i]! - 96), 8);
      expect(set.pressure[i]).toBeCloseTo(isaPressurePa(set.terrain[i]! + 500), 6);
    }
    expect(last(set.terrain) - set.terrain[0]!).toBeGreaterThan(1000);
  });
});

describe('traceTrajectories3d: mixed layer and met along the path', () => {
  it('mixedLayer flags flip where a prescribed mixing height drops below the parcel', () => {
    const times = Array.from({ length: 7 }, (_, i) => T0 + i * H);
    const frame = 17 * 13;
    const mh = new Float64Array(7 * frame);
    for (let t = 0; t < 7; t++) mh.fill(t <= 3 ? 1000 : 0, t * frame, (t + 1) * frame); // 1000 m until 3 h, then 0: 500 m at 3.5 h
    const rain = new Float64Array(7 * frame);
    for (let t = 0; t < 7; t++) rain.fill(t, t * frame, (t + 1) * frame);
    const f = pressureLevelWind(build({ times, u: () => 3 }, { surface: { mixingHeight: mh, precipitation: rain } }));
    const set = traceTrajectories3d(f, [{ lng: 98, lat: 17, time: T0, heightAgl: 500 }], {
      hours: 6,
      direction: 'forward',
      outputMinutes: 15,
      sample: ['mixingHeight', 'precipitation'],
    });
    expect(set.length).toBe(1);
    const flags = Array.from(set.mixedLayer);
    const ages = Array.from(set.ageHours);
    for (let i = 0; i < ages.length; i++) expect(flags[i]).toBe(ages[i]! <= 3.5 + 1e-9 ? 1 : 0);
    expect(flags[14]).toBe(1); // 3.5 h: mixing height exactly 500 m, "at or below"
    expect(flags[15]).toBe(0);
    expect(set.met['mixingHeight']![13]).toBeCloseTo(750, 9);
    expect(set.met['precipitation']![10]).toBeCloseTo(2.5, 12);
    // no mixing height in the field: unknown
    const g = pressureLevelWind(build({ u: () => 3 }));
    const s2 = traceTrajectories3d(g, [{ lng: 98, lat: 17, time: T0 }], { hours: 2 });
    expect(Array.from(s2.mixedLayer)).toEqual([255, 255, 255]);
    expect(() => traceTrajectories3d(g, [{ lng: 98, lat: 17, time: T0 }], { hours: 2, sample: ['mixingHeight'] })).toThrow(
      expect.objectContaining({ code: 'E_ARG' }),
    );
  });
});

describe('traceTrajectories3d against the 2-D tracer', () => {
  it('a horizontal wind that is the same on every level gives the 2-D path to 1e-9° (Heun and RK4, back and forward)', () => {
    const uf = (_t: number, _k: number, r: number, c: number): number => 4 + 0.3 * c - 0.2 * r;
    const vf = (_t: number, _k: number, r: number, c: number): number => -2 + 0.15 * r + 0.1 * c;
    const times = [T0 - 48 * H, T0 - 24 * H, T0, T0 + 24 * H];
    const a = build({ times, u: (t, k, r, c) => uf(t, k, r, c) * (1 + 0.1 * t), v: vf });
    const f3 = pressureLevelWind(a);
    const frame = 17 * 13;
    const u2 = new Float64Array(times.length * frame);
    const v2 = new Float64Array(times.length * frame);
    for (let t = 0; t < times.length; t++)
      for (let i = 0; i < frame; i++) {
        u2[t * frame + i] = a.u[(t * LEVELS.length + 2) * frame + i]!;
        v2[t * frame + i] = a.v[(t * LEVELS.length + 2) * frame + i]!;
      }
    const f2 = griddedWind({ west: 96, south: 14, dLng: 0.5, dLat: 0.5, nx: 17, ny: 13, times, u: u2, v: v2 });
    const starts = [
      { lng: 99.5, lat: 19.5, time: T0 },
      { lng: 101, lat: 18, time: T0 + 2 * H },
    ];
    for (const opt of [{ method: 'heun' as const }, { method: 'rk4' as const }, { direction: 'forward' as const }]) {
      const o = { hours: 20, ...opt };
      const s2 = traceTrajectories(f2, starts, o);
      for (const vertical of ['agl', 'isobaric'] as const) {
        const s3 = traceTrajectories3d(f3, starts, { ...o, vertical });
        expect(Array.from(s3.offsets)).toEqual(Array.from(s2.offsets));
        expect(s3.stopReason).toEqual(s2.stopReason);
        for (let p = 0; p < s2.lng.length; p++) {
          expect(Math.abs(s3.lng[p]! - s2.lng[p]!)).toBeLessThan(1e-9);
          expect(Math.abs(s3.lat[p]! - s2.lat[p]!)).toBeLessThan(1e-9);
          expect(s3.time[p]).toBe(s2.time[p]);
        }
      }
    }
    // leaving the grid: same stop reason and same last point
    const out2 = traceTrajectories(f2, [{ lng: 103.5, lat: 19, time: T0 }], { hours: 40, direction: 'forward' });
    const out3 = traceTrajectories3d(f3, [{ lng: 103.5, lat: 19, time: T0 }], { hours: 40, direction: 'forward' });
    expect(out3.stopReason).toEqual(out2.stopReason);
    expect(out3.stopReason[0]).toBe('left-domain');
    expect(Math.abs(last(out3.lng) - last(out2.lng))).toBeLessThan(1e-9);
  });
});

describe('traceTrajectories3d: options and errors', () => {
  it('throws on data mode without omega, a start above the top, a bad vertical, an unknown sample field', () => {
    const f = pressureLevelWind(build({ u: () => 1 }));
    const s = [{ lng: 98, lat: 17, time: T0 }];
    expect(() => traceTrajectories3d(f, s, { hours: 1, vertical: 'data' })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => traceTrajectories3d(f, s, { hours: 1, vertical: 'sigma' as never })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => traceTrajectories3d(f, [{ ...s[0]!, heightAgl: 20000 }], { hours: 1 })).toThrow(expect.objectContaining({ code: 'E_DOMAIN' }));
    expect(() => traceTrajectories3d(f, [{ ...s[0]!, heightAgl: -5 }], { hours: 1 })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => traceTrajectories3d(f, [{ lng: 120, lat: 17, time: T0 }], { hours: 1 })).toThrow(expect.objectContaining({ code: 'E_DOMAIN' }));
    expect(() => traceTrajectories3d(f, s, { hours: 1, sample: ['rh'] })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => traceTrajectories3d(griddedWind({ west: 0, south: 0, dLng: 1, dLat: 1, nx: 2, ny: 2, times: [0], u: [0, 0, 0, 0], v: [0, 0, 0, 0] }) as never, s, { hours: 1 })).toThrow(
      expect.objectContaining({ code: 'E_ARG' }),
    );
  });

  it('startHeightM sets the default start height; JSON carries the 3-D columns', () => {
    const f = pressureLevelWind(build({ u: () => 1 }));
    const set = traceTrajectories3d(f, [{ lng: 98, lat: 17, time: T0 }], { hours: 2, startHeightM: 1200 });
    expect(Array.from(set.heightAgl)).toEqual([1200, 1200, 1200]);
    const j = JSON.parse(JSON.stringify(set)) as Record<string, unknown>;
    expect(j['vertical']).toBe('agl');
    expect(j['heightAgl']).toEqual([1200, 1200, 1200]);
    expect((j['lng'] as number[]).length).toBe(3);
  });
});

describe('tdump with real heights and pressures', () => {
  it('writes each point’s height and pressure and reads them back', () => {
    const f = pressureLevelWind(build({ u: () => 3, v: () => -1, omega: omegaFor(0.02) }));
    const set = traceTrajectories3d(
      f,
      [
        { lng: 98, lat: 17, time: T0, heightAgl: 500 },
        { lng: 99, lat: 18, time: T0, heightAgl: 1500 },
      ],
      { hours: 12 },
    );
    const text = writeTdump(set);
    expect(text.split('\n')[2]).toContain('OMEGA');
    const back = readTdump(text);
    expect(back.length).toBe(2);
    expect(back.rejected).toEqual([]);
    expect(back.starts.map((s) => s.heightM)).toEqual([500, 1500]);
    expect(back.heightM.length).toBe(set.heightAgl.length);
    for (let p = 0; p < set.heightAgl.length; p++) {
      expect(Math.abs(back.heightM[p]! - set.heightAgl[p]!)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(Math.abs(back.diagnostics['PRESSURE']![p]! - set.pressure[p]! / 100)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(Math.abs(back.lng[p]! - set.lng[p]!)).toBeLessThanOrEqual(0.0005 + 1e-9);
    }
    // heights really vary (the test would pass on a constant column otherwise)
    expect(last(set.heightAgl) - set.heightAgl[set.offsets[1]!]!).toBeCloseTo(-864, 6); // 0.02 m/s over 12 h, back
    expect(back.diagnostics['TERR_MSL']).toBeDefined();
  });

  it('2-D sets are written as before (fixed height, standard-atmosphere pressure)', () => {
    const f2 = griddedWind({ west: 96, south: 14, dLng: 1, dLat: 1, nx: 5, ny: 5, times: [T0], u: new Float64Array(25).fill(2), v: new Float64Array(25) });
    const set = traceTrajectories(f2, [{ lng: 98, lat: 16, time: T0 }], { hours: 2 });
    const text = writeTdump(set);
    expect(text.split('\n')[2]).toBe('     1 BACKWARD 2D      ');
    expect(text.split('\n')[4]).toBe('     1 PRESSURE');
    expect(readTdump(text).heightM[1]).toBe(10);
  });
});
