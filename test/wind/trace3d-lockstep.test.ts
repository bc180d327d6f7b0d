/**
 * traceTrajectories3d traces parcels in lockstep blocks (all parcels of a block take output segment s before
 * any takes s + 1). That must not change a single number: here every block size is compared exactly
 * (Object.is on every element of every column) with block size 1, which traces one trajectory to its end
 * before the next, on seeded random fields, and each trajectory of a batch with the same start traced alone.
 * The fields make parcels stop early (leave the grid, hit the top level, run out of frames, meet a NaN hole)
 * and cross level brackets, frames and the ground.
 */
import { describe, expect, it } from 'vitest';
import { pressureLevelWind } from '../../src/wind/index.js';
import type { PressureLevelWindField, Trace3DOptions, TraceStart3D, TrajectorySet3D } from '../../src/wind/index.js';
import { traceTrajectories3d, traceTrajectories3dInBlocks } from '../../src/wind/trace3d.js';
import { H, T0, expectIdentical, randomField, randomStarts } from './random-field3d.js';
import type { Spec } from './random-field3d.js';

/** Points in order: each trajectory begins at its start and its times step away from it monotonically. */
function expectOrdered(set: TrajectorySet3D, starts: readonly TraceStart3D[], forward: boolean, what: string): void {
  for (let i = 0; i < set.length; i++) {
    const a = set.offsets[i]!;
    const e = set.offsets[i + 1]!;
    expect(e, what).toBeGreaterThan(a);
    expect(set.time[a], what).toBe(starts[i]!.time);
    expect(set.lat[a], what).toBe(starts[i]!.lat);
    expect(set.ageHours[a], what).toBe(0);
    for (let k = a + 1; k < e; k++) {
      if (forward ? !(set.time[k]! > set.time[k - 1]!) : !(set.time[k]! < set.time[k - 1]!)) expect.fail(`${what}: trajectory ${i} point ${k - a} out of order in time`);
      if (!(set.ageHours[k]! > set.ageHours[k - 1]!)) expect.fail(`${what}: trajectory ${i} point ${k - a} out of order in age`);
    }
  }
}

const near = (a: number, b: number): boolean => Object.is(a, b) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Each point's columns belong to its place and time (independent of how the tracer copies points out): age from
 * the time, terrain from (lng, lat), pressure and the met fields re-sampled at (lng, lat, time, height above ground).
 */
function expectPointsConsistent(f: PressureLevelWindField, set: TrajectorySet3D, what: string): void {
  const out = new Float64Array(8);
  for (let i = 0; i < set.length; i++) {
    for (let k = set.offsets[i]!; k < set.offsets[i + 1]!; k++) {
      const lng = set.lng[k]!;
      const lat = set.lat[k]!;
      const time = set.time[k]!;
      const agl = set.heightAgl[k]!;
      const bad = (col: string, got: number, want: number): never => expect.fail(`${what}: trajectory ${i} point ${k - set.offsets[i]!} ${col} ${got}, its place gives ${want}`);
      if (set.ageHours[k] !== Math.abs(time - set.startTime[i]!) / H) bad('age', set.ageHours[k]!, Math.abs(time - set.startTime[i]!) / H);
      if (!near(set.terrain[k]!, f.terrainAt(lng, lat))) bad('terrain', set.terrain[k]!, f.terrainAt(lng, lat));
      if (!near(set.met['rh']![k]!, f.sampleField('rh', lng, lat, time, agl))) bad('rh', set.met['rh']![k]!, f.sampleField('rh', lng, lat, time, agl));
      if (!(agl > 0) || f.sample3d(lng, lat, time, agl, out) !== 0) continue;
      if (Math.abs(set.pressure[k]! - out[3]!) > 1e-6 * out[3]!) bad('pressure', set.pressure[k]!, out[3]!);
      const t = f.sampleField('t', lng, lat, time, agl);
      if (Math.abs(set.met['t']![k]! - t) > 1e-6 * t) bad('t', set.met['t']![k]!, t);
    }
  }
}

const FIELDS: Spec[] = [
  { seed: 11, f32: false, heights: true, uneven: false, holes: false },
  { seed: 12, f32: true, heights: true, uneven: true, holes: true },
  { seed: 13, f32: true, heights: false, uneven: false, holes: true },
];
const BLOCKS = [2, 7, 16, 1000];

describe('traceTrajectories3d lockstep blocks: bit-identical to one trajectory at a time', () => {
  const seen = new Set<string>();
  for (const spec of FIELDS) {
    const f = randomField(spec);
    for (const direction of ['back', 'forward'] as const) {
      const starts = randomStarts(f, spec.seed * 7 + (direction === 'back' ? 1 : 2), direction === 'forward');
      for (const vertical of ['data', 'agl', 'isobaric'] as const) {
        for (const method of ['heun', 'rk4'] as const) {
          for (const ground of vertical === 'data' ? (['reflect', 'surface'] as const) : (['reflect'] as const)) {
            const o: Trace3DOptions = { hours: 5, direction, vertical, method, ground, stepMinutes: 7, outputMinutes: 20, sample: ['mixingHeight', 'precipitation', 't', 'rh'] };
            const name = `seed ${spec.seed} (${spec.f32 ? 'f32' : 'f64'}${spec.heights ? ', heights' : ', ISA'}${spec.uneven ? ', uneven frames' : ''}${spec.holes ? ', NaN holes' : ''}) ${direction} ${vertical} ${method} ${ground}`;
            it(name, () => {
              const one = traceTrajectories3dInBlocks(f, starts, o, 1);
              for (const r of one.stopReason) seen.add(r);
              expectOrdered(one, starts, direction === 'forward', name);
              expectPointsConsistent(f, one, name);
              for (const B of BLOCKS) expectIdentical(one, traceTrajectories3dInBlocks(f, starts, o, B), `${name}, block ${B}`);
              expectIdentical(one, traceTrajectories3d(f, starts, o), `${name}, default block`);
            });
          }
        }
      }
    }
  }

  it('every stop reason occurs above (the early stops are exercised)', () => {
    expect([...seen].sort()).toEqual(['completed', 'left-domain', 'model-top', 'no-data', 'time-range']);
  });

  it('a parcel exactly on a level height keeps its own level bracket between other parcels', () => {
    // Level heights 100, 1000, 2000, 3000 m everywhere and no wind; a parcel at a grid node exactly 1000 m above
    // flat ground sits on the top of bracket (0, 1) (weight 1: t = -3.7 + 1 · (5.9 + 3.7) = 5.900000000000001)
    // or on the bottom of (1, 2) (t = 5.9), depending on where the bracket search starts. Each parcel's search
    // starts from its own last bracket (from the bottom at its start), so parcels at 2500 m traced in between,
    // before or after it, and earlier calls on the field, do not change it.
    const nx = 6;
    const ny = 5;
    const levels = [100000, 90000, 80000, 70000];
    const lh = [100, 1000, 2000, 3000];
    const lt = [-3.7, 5.9, 2, 1];
    const times = [T0, T0 + 4 * H];
    const n = times.length * levels.length * nx * ny;
    const temp = new Float64Array(n);
    const height = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = Math.floor(i / (nx * ny)) % levels.length;
      temp[i] = lt[k]!;
      height[i] = lh[k]!;
    }
    const f = pressureLevelWind({ west: 98, south: 17, dLng: 0.5, dLat: 0.5, nx, ny, times, levels, u: new Float64Array(n), v: new Float64Array(n), height, extra: { t: { values: temp, levels: true } } });
    const starts = Array.from({ length: 6 }, (_, i) => ({ lng: 98.5 + 0.5 * (i % 3), lat: 17.5, time: T0, heightAgl: i % 2 === 0 ? 1000 : 2500 }));
    const o: Trace3DOptions = { hours: 2, direction: 'forward', vertical: 'agl', stepMinutes: 10, outputMinutes: 30, sample: ['t'] };
    f.sample3d(98.5, 17.5, T0, 2900, new Float64Array(8));
    const one = traceTrajectories3dInBlocks(f, starts, o, 1);
    for (const B of [2, 3, 6]) expectIdentical(one, traceTrajectories3dInBlocks(f, starts, o, B), `block ${B}`);
    for (let i = 0; i < starts.length; i++) {
      const t = Array.from(one.met['t']!.subarray(one.offsets[i]!, one.offsets[i + 1]!));
      expect(t, `trajectory ${i}`).toEqual(new Array(5).fill(i % 2 === 0 ? 5.900000000000001 : 1.5));
    }
  });

  it('each trajectory of a batch equals its start traced alone (order of trajectories and their points)', () => {
    for (const spec of [FIELDS[0]!, FIELDS[1]!]) {
      const f = randomField(spec);
      for (const vertical of ['data', 'isobaric'] as const) {
        const starts = randomStarts(f, spec.seed * 7 + 1, false);
        const o: Trace3DOptions = { hours: 5, vertical, stepMinutes: 7, outputMinutes: 20, sample: ['t'] };
        const all = traceTrajectories3d(f, starts, o);
        for (let i = 0; i < starts.length; i++) {
          // the field is used in between (its level hint is left elsewhere): no effect on the next trace
          f.sample3d(starts[i]!.lng, starts[i]!.lat, starts[i]!.time, 4000, new Float64Array(8));
          const alone = traceTrajectories3dInBlocks(f, [starts[i]!], o, 1);
          const a = all.offsets[i]!;
          const e = all.offsets[i + 1]!;
          const what = `seed ${spec.seed} ${vertical} trajectory ${i}`;
          expect(alone.stopReason[0], what).toBe(all.stopReason[i]);
          for (const k of ['lng', 'lat', 'time', 'ageHours', 'heightAgl', 'pressure', 'terrain', 'mixedLayer'] as const) {
            expect(Array.from(alone[k]), `${what} ${k}`).toEqual(Array.from(all[k].subarray(a, e)));
          }
          expect(Array.from(alone.met['t']!), `${what} met.t`).toEqual(Array.from(all.met['t']!.subarray(a, e)));
        }
      }
    }
  });
});
