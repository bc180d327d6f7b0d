/**
 * Seeded random pressure-level fields and starts for the 3-D tracer's exactness tests (lockstep blocks,
 * the WebAssembly stepper): fields that make parcels stop early (leave the grid, hit the top level, run
 * out of frames, meet a NaN hole or a gap) and cross level brackets, frames and the ground, and an exact
 * comparison of two trajectory sets.
 */
import { expect } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { isaHeightM, pressureLevelWind } from '../../src/wind/index.js';
import type { PressureLevelWindArrays, PressureLevelWindField, TraceStart3D, TrajectorySet3D } from '../../src/wind/index.js';

export const H = 3_600_000;
export const T0 = Date.UTC(2025, 3, 1);
const LEVELS = [100000, 92500, 85000, 70000, 60000, 50000];

export interface Spec {
  seed: number;
  f32: boolean;
  /** Geopotential heights (else the standard atmosphere). */
  heights: boolean;
  /** Uneven frame times (the tracer's time search by hint, not by arithmetic). */
  uneven: boolean;
  /** NaN nodes in u (no-data stops). */
  holes: boolean;
  /** Longest frame gap interpolated, hours (default 6: none of these fields has a gap). */
  maxGapHours?: number;
  /** The field's Heun stepper (default 'auto'). */
  kernel?: 'auto' | 'js';
  /** Mixing height as Float32 (default Float64). */
  mixingF32?: boolean;
}

/** A seeded random field: 14 × 12 nodes at 0.5° from 98 E, 17 N, 6 levels up to 500 hPa, 8 frames. */
export function randomField(s: Spec): PressureLevelWindField {
  const rng = createRng(s.seed);
  const nx = 14;
  const ny = 12;
  const nz = LEVELS.length;
  const hours = s.uneven ? [0, 1, 2, 3.5, 4, 5.5, 7, 8] : [0, 1, 2, 3, 4, 5, 6, 7];
  const times = hours.map((h) => T0 + h * H);
  const frame = nx * ny;
  const n = times.length * nz * frame;
  const A = s.f32 ? Float32Array : Float64Array;
  const u = new A(n);
  const v = new A(n);
  const omega = new A(n);
  const height = new A(n);
  const temp = new A(n);
  for (let t = 0; t < times.length; t++)
    for (let k = 0; k < nz; k++)
      for (let c = 0; c < frame; c++) {
        const i = (t * nz + k) * frame + c;
        u[i] = 24 * rng.next() - 12;
        v[i] = 24 * rng.next() - 12;
        omega[i] = 2.4 * rng.next() - 1.2;
        height[i] = isaHeightM(LEVELS[k]!) + 160 * rng.next() - 80;
        temp[i] = 290 - 6.5e-3 * isaHeightM(LEVELS[k]!) + 4 * rng.next();
      }
  if (s.holes) for (let h = 0; h < 12; h++) u[rng.int(n)] = NaN;
  const elevation = new Float64Array(frame);
  for (let c = 0; c < frame; c++) elevation[c] = rng.next() < 0.3 ? 0 : 700 * rng.next();
  const mixingHeight = s.mixingF32 ? new Float32Array(times.length * frame) : new Float64Array(times.length * frame);
  const precipitation = new Float64Array(times.length * frame);
  const rh = new Float64Array(times.length * frame);
  for (let i = 0; i < mixingHeight.length; i++) {
    mixingHeight[i] = 200 + 1800 * rng.next();
    precipitation[i] = rng.next() < 0.7 ? 0 : 5 * rng.next();
    rh[i] = 100 * rng.next();
  }
  const a: PressureLevelWindArrays = {
    west: 98,
    south: 17,
    dLng: 0.5,
    dLat: 0.5,
    nx,
    ny,
    times,
    levels: LEVELS,
    u,
    v,
    omega,
    surface: { elevation, mixingHeight, precipitation },
    extra: { t: { values: temp, levels: true, units: 'K' }, rh: { values: rh, levels: false } },
    maxGapHours: s.maxGapHours ?? 6,
    kernel: s.kernel ?? 'auto',
  };
  if (s.heights) a.height = height;
  return pressureLevelWind(a);
}

/** 40 seeded starts the field can sample, at several frames and between frames, 50 m to 5 km above ground. */
export function randomStarts(f: PressureLevelWindField, seed: number, forward: boolean): TraceStart3D[] {
  const rng = createRng(seed);
  const out: TraceStart3D[] = [];
  const tmp = new Float64Array(8);
  // back: from 3.5–8 h (some run out of frames before 5 h); forward: from 0–4.5 h
  const startHours = forward ? [0, 1, 2, 2.5, 4, 4.5] : [3.5, 4, 5, 6, 6.25, 7, 8];
  while (out.length < 40) {
    const s = {
      lng: 98.2 + 6.1 * rng.next(),
      lat: 17.2 + 5.1 * rng.next(),
      time: T0 + startHours[rng.int(startHours.length)]! * H,
      heightAgl: 50 + 4950 * rng.next(),
    };
    // (the tracer also checks the 2-D sample at the start)
    if (f.sample3d(s.lng, s.lat, s.time, s.heightAgl, tmp) === 0 && f.sample(s.lng, s.lat, s.time, tmp) === 0) out.push(s);
  }
  // the same start twice
  out.push({ ...out[3]! });
  return out;
}

export const COLUMNS = ['offsets', 'lng', 'lat', 'time', 'ageHours', 'receptor', 'member', 'startTime', 'stopReason', 'heightAgl', 'pressure', 'terrain', 'mixedLayer'] as const;

/** Every element of every column, exactly (Object.is: NaN equals NaN, 0 differs from -0). */
export function expectIdentical(a: TrajectorySet3D, b: TrajectorySet3D, what: string): void {
  expect(b.length, what).toBe(a.length);
  expect(b.vertical, what).toBe(a.vertical);
  for (const k of COLUMNS) {
    const x = a[k] as ArrayLike<unknown>;
    const y = b[k] as ArrayLike<unknown>;
    expect(y.length, `${what} ${k}`).toBe(x.length);
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) expect.fail(`${what}: ${k}[${i}] is ${String(y[i])}, the reference gives ${String(x[i])}`);
  }
  expect(Object.keys(b.met).sort(), what).toEqual(Object.keys(a.met).sort());
  for (const m of Object.keys(a.met)) {
    const x = a.met[m]!;
    const y = b.met[m]!;
    expect(y.length, `${what} met.${m}`).toBe(x.length);
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) expect.fail(`${what}: met.${m}[${i}] is ${y[i]}, the reference gives ${x[i]}`);
  }
}

