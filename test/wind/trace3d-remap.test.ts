/**
 * traceTrajectories3d's `remap` option (agl on the wind remapped once onto each start's height above ground,
 * src/wind/remap3d.ts) against the exact path: equal to float noise where the interpolation order cannot matter,
 * close where it can, same stop reasons; option errors.
 */
import { describe, expect, it } from 'vitest';
import { pressureLevelWind, traceTrajectories3d } from '../../src/wind/index.js';
import type { TrajectorySet3D } from '../../src/wind/index.js';
import { frameRange } from '../../src/wind/remap3d.js';
import { pressureLevelArrays, type PressureLevelSpec } from './pressure-level-arrays.js';

const H = 3_600_000;
const T0 = Date.UTC(2025, 2, 10, 0);
const TIMES = Array.from({ length: 13 }, (_, k) => T0 + k * 3 * H); // 36 h, 3-hourly
const build = (s: PressureLevelSpec, more = {}) => pressureLevelWind(pressureLevelArrays(s, { west: 96, south: 14, dDeg: 0.5, nx: 17, ny: 13, times: TIMES }, more));
const ramp = (): Float64Array => {
  const e = new Float64Array(17 * 13);
  for (let r = 0; r < 13; r++) for (let c = 0; c < 17; c++) e[r * 17 + c] = 100 + 60 * c + 25 * r;
  return e;
};
// level heights: roughly the standard atmosphere, tilted in space and time
const heights = [110, 760, 1460, 3010, 5570, 9160];
const hOf = (t: number, k: number, r: number, c: number): number => heights[k]! + 30 * Math.sin(0.4 * c + 0.3 * r + 0.5 * t) + 10 * k;
/** Largest |Δlng|, |Δlat| between the points two sets share (same stop reasons required), degrees. */
const maxDiffDeg = (a: TrajectorySet3D, b: TrajectorySet3D): number => {
  expect(a.stopReason).toEqual(b.stopReason);
  let m = 0;
  for (let j = 0; j + 1 < a.offsets.length; j++) {
    const n = Math.min(a.offsets[j + 1]! - a.offsets[j]!, b.offsets[j + 1]! - b.offsets[j]!);
    for (let k = 0; k < n; k++) {
      const i = a.offsets[j]! + k;
      const i2 = b.offsets[j]! + k;
      m = Math.max(m, Math.abs(a.lng[i]! - b.lng[i2]!), Math.abs(a.lat[i]! - b.lat[i2]!), Math.abs(a.terrain[i]! - b.terrain[i2]!) * 1e-3);
    }
  }
  return m;
};
const starts = Array.from({ length: 12 }, (_, i) => ({ lng: 99 + 0.37 * i, lat: 16 + 0.29 * i, time: T0 + 33 * H, heightAgl: i % 3 === 0 ? 900 : 500 }));

describe('traceTrajectories3d remap (agl)', () => {
  it('equals the exact path to float noise when the wind is the same on every level (back and forward)', () => {
    const f = build({ u: (t, _k, r, c) => 3 + Math.sin(0.3 * c + 0.1 * t) + 0.1 * r, v: (t, _k, r, c) => 1 + Math.cos(0.2 * r - 0.1 * t) + 0.05 * c, height: hOf }, { surface: { elevation: ramp() } });
    for (const direction of ['back', 'forward'] as const) {
      const s = direction === 'back' ? starts : starts.map((x) => ({ ...x, time: T0 + 2 * H }));
      const exact = traceTrajectories3d(f, s, { hours: 24, direction, vertical: 'agl' });
      const rm = traceTrajectories3d(f, s, { hours: 24, direction, vertical: 'agl', remap: true });
      expect(Array.from(rm.offsets)).toEqual(Array.from(exact.offsets));
      expect(maxDiffDeg(exact, rm)).toBeLessThan(1e-9);
      expect(Array.from(rm.heightAgl)).toEqual(Array.from(exact.heightAgl));
    }
  });

  it('a wind linear in height gives the exact path to float noise (vertical then horizontal = horizontal then vertical)', () => {
    // u = a + b z at every node: both orders interpolate a linear function of z exactly
    const uOf = (t: number, k: number, r: number, c: number) => 2 + 0.004 * hOf(t, k, r, c);
    const vOf = (t: number, k: number, r: number, c: number) => -1 + 0.002 * hOf(t, k, r, c);
    const f = build({ u: uOf, v: vOf, height: hOf }, { surface: { elevation: ramp() } });
    const exact = traceTrajectories3d(f, starts, { hours: 24, vertical: 'agl', stepMinutes: 15 });
    const rm = traceTrajectories3d(f, starts, { hours: 24, vertical: 'agl', stepMinutes: 15, remap: true });
    expect(maxDiffDeg(exact, rm)).toBeLessThan(1e-9);
  });

  it('shear that is not linear in height: close to the exact path (well inside a grid step), same stop reasons', () => {
    const uOf = (t: number, k: number, r: number, c: number) => 3 + 4 * Math.sin(0.5 * k + 0.3 * c + 0.2 * r + 0.2 * t);
    const vOf = (t: number, k: number, r: number, c: number) => 1 + 3 * Math.cos(0.7 * k - 0.2 * c + 0.1 * t);
    const f = build({ u: uOf, v: vOf, height: hOf }, { surface: { elevation: ramp() } });
    const exact = traceTrajectories3d(f, starts, { hours: 30, vertical: 'agl' });
    const rm = traceTrajectories3d(f, starts, { hours: 30, vertical: 'agl', remap: true });
    const d = maxDiffDeg(exact, rm);
    expect(d).toBeGreaterThan(1e-9); // the interpolation order does matter here
    expect(d).toBeLessThan(0.05); // a tenth of the 0.5° grid step
  });

  it('standard-atmosphere heights (no height array): close to the exact path', () => {
    const f = build({ u: (_t, k, _r, c) => 3 + k + 0.1 * c, v: (_t, k) => 1 - 0.3 * k }, { surface: { elevation: ramp() } });
    const exact = traceTrajectories3d(f, starts, { hours: 24, vertical: 'agl' });
    const rm = traceTrajectories3d(f, starts, { hours: 24, vertical: 'agl', remap: true });
    expect(maxDiffDeg(exact, rm)).toBeLessThan(0.05);
  });

  it('stops where the exact path stops: leaving the grid, the end of the data, a parcel whose height is above the top', () => {
    const f = build({ u: () => 15, v: () => 2, height: hOf }, { surface: { elevation: ramp() } });
    const s = [
      { lng: 99, lat: 18, time: T0 + 30 * H }, // leaves the west edge
      { lng: 104, lat: 17, time: T0 + 6 * H }, // runs out of frames (back 24 h)
    ];
    const exact = traceTrajectories3d(f, s, { hours: 24, vertical: 'agl' });
    const rm = traceTrajectories3d(f, s, { hours: 24, vertical: 'agl', remap: true });
    expect(exact.stopReason).toEqual(['left-domain', 'time-range']);
    expect(rm.stopReason).toEqual(exact.stopReason);
    // forward, 8 km above rising terrain: the constant height above ground climbs through the top level
    const up = [{ lng: 97, lat: 18, time: T0, heightAgl: 8000 }];
    const e2 = traceTrajectories3d(f, up, { hours: 24, vertical: 'agl', direction: 'forward' });
    const r2 = traceTrajectories3d(f, up, { hours: 24, vertical: 'agl', direction: 'forward', remap: true });
    expect(e2.stopReason).toEqual(['model-top']);
    expect(r2.stopReason).toEqual(['model-top']);
    expect(Math.abs(r2.lng.length - e2.lng.length)).toBeLessThanOrEqual(1);
  });

  it('a global grid that wraps in longitude: parcels crossing the dateline match the exact path (wind the same on every level)', () => {
    const a = pressureLevelArrays(
      { nx: 36, ny: 13, dDeg: 10, u: (_t, _k, r, c) => 20 + 3 * Math.sin(0.4 * c) + r, v: (_t, _k, _r, c) => Math.cos(0.3 * c) },
      { west: -180, south: -60, dDeg: 10, nx: 36, ny: 13, times: TIMES },
      { wrapLng: true },
    );
    const f = pressureLevelWind(a);
    const s = [170, 175, -178].map((lng) => ({ lng, lat: 10, time: T0 + 2 * H }));
    const exact = traceTrajectories3d(f, s, { hours: 30, direction: 'forward', vertical: 'agl' });
    const rm = traceTrajectories3d(f, s, { hours: 30, direction: 'forward', vertical: 'agl', remap: true });
    expect(Array.from(rm.offsets)).toEqual(Array.from(exact.offsets));
    expect(maxDiffDeg(exact, rm)).toBeLessThan(1e-9);
    expect(Math.min(...Array.from(exact.lng))).toBeLessThan(-170); // crossed
  });

  it('repeated calls reuse the remap and give the same numbers', () => {
    const f = build({ u: (_t, k) => 3 + k, v: () => 1, height: hOf }, { surface: { elevation: ramp() } });
    const a = traceTrajectories3d(f, starts, { hours: 12, vertical: 'agl', remap: true });
    const b = traceTrajectories3d(f, starts, { hours: 12, vertical: 'agl', remap: true });
    expect(Array.from(b.lng)).toEqual(Array.from(a.lng));
    expect(Array.from(b.lat)).toEqual(Array.from(a.lat));
  });

  it('throws E_ARG for remap with data or isobaric, with rk4, or not a boolean', () => {
    const f = build({ u: () => 3, v: () => 1, omega: () => 0, height: hOf });
    const s = [starts[0]!];
    for (const o of [{ vertical: 'data' }, { vertical: 'isobaric' }, { vertical: 'agl', method: 'rk4' }, { vertical: 'agl', remap: 'yes' }] as const) {
      expect(() => traceTrajectories3d(f, s, { hours: 6, remap: true, ...o } as never)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    }
  });

  it('frameRange covers the trace with at least two frames', () => {
    const t = Float64Array.from([0, 10, 20, 30]);
    expect(frameRange(t, 12, 18)).toEqual([1, 2]);
    expect(frameRange(t, 10, 20)).toEqual([1, 2]);
    expect(frameRange(t, 10, 10)).toEqual([1, 2]);
    expect(frameRange(t, 30, 30)).toEqual([2, 3]);
    expect(frameRange(t, -5, 40)).toEqual([0, 3]);
  });
});
