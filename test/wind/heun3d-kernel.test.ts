/**
 * The WebAssembly Heun stepper (wasm/heun3d.ts, src/wind/heun3d-kernel.ts) against the JavaScript one
 * (PressureLevelWindField.heunSteps3d with `kernel: 'js'`): the same field built both ways must give the same
 * trajectories bit for bit (Object.is on every element of every column) in every vertical mode, direction and
 * ground rule, on Float32 and Float64 fields, with level heights and without (standard atmosphere), even and
 * uneven frames, frame gaps, NaN holes, a single frame, and a global grid crossing the dateline. The embedded
 * bytes must be what the AssemblyScript source compiles to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HazetraceError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { HEUN3D_WASM_BASE64 } from '../../src/wind/heun3d-wasm.js';
import { isaHeightM, pressureLevelWind, traceTrajectories3d } from '../../src/wind/index.js';
import type { PressureLevelWindArrays, Trace3DOptions, TraceStart3D } from '../../src/wind/index.js';
import { H, T0, expectIdentical, randomField, randomStarts } from './random-field3d.js';
import type { Spec } from './random-field3d.js';
// @ts-expect-error: a plain .mjs build script without types
import { compileHeun3dKernel } from '../../scripts/build-wasm.mjs';

/** Trace the same starts on the field built with each stepper; every column must be identical. */
function expectSameBothWays(build: (kernel: 'auto' | 'js') => ReturnType<typeof pressureLevelWind>, starts: readonly TraceStart3D[], o: Trace3DOptions, what: string): void {
  const wasm = build('auto');
  const js = build('js');
  expect(wasm.kernel, what).toBe('wasm');
  expect(js.kernel, what).toBe('js');
  expectIdentical(traceTrajectories3d(js, starts, o), traceTrajectories3d(wasm, starts, o), what);
}

describe('WebAssembly Heun stepper: the JavaScript stepper bit for bit', () => {
  const FIELDS: Spec[] = [
    { seed: 21, f32: true, heights: true, uneven: false, holes: false },
    { seed: 22, f32: false, heights: true, uneven: true, holes: true },
    { seed: 23, f32: true, heights: false, uneven: false, holes: true },
    { seed: 24, f32: false, heights: false, uneven: true, holes: false },
    // frames 1.5 h apart are not interpolated (gaps: no-data stops)
    { seed: 25, f32: true, heights: true, uneven: true, holes: false, maxGapHours: 1.2 },
  ];
  const seen = new Set<string>();
  for (const spec of FIELDS) {
    for (const direction of ['back', 'forward'] as const) {
      for (const vertical of ['data', 'agl', 'isobaric'] as const) {
        for (const ground of vertical === 'data' ? (['reflect', 'surface'] as const) : (['reflect'] as const)) {
          const name = `seed ${spec.seed} (${spec.f32 ? 'f32' : 'f64'}${spec.heights ? ', heights' : ', ISA'}${spec.uneven ? ', uneven frames' : ''}${spec.holes ? ', NaN holes' : ''}${spec.maxGapHours ? ', gaps' : ''}) ${direction} ${vertical} ${ground}`;
          it(name, () => {
            const build = (kernel: 'auto' | 'js') => randomField({ ...spec, kernel });
            const starts = randomStarts(build('js'), spec.seed * 7 + (direction === 'back' ? 1 : 2), direction === 'forward');
            const o: Trace3DOptions = { hours: 5, direction, vertical, ground, stepMinutes: 7, outputMinutes: 20, sample: ['mixingHeight', 't'] };
            expectSameBothWays(build, starts, o, name);
            for (const r of traceTrajectories3d(build('auto'), starts, o).stopReason) seen.add(r);
          });
        }
      }
    }
  }

  it('every stop reason occurs above', () => {
    expect([...seen].sort()).toEqual(['completed', 'left-domain', 'model-top', 'no-data', 'time-range']);
  });

  it('seeded random fields and starts (fast-check): data, agl and isobaric, Float32 and Float64', () => {
    fc.assert(
      fc.property(
        fc.record({ seed: fc.integer({ min: 1, max: 1e6 }), f32: fc.boolean(), heights: fc.boolean(), uneven: fc.boolean(), holes: fc.boolean() }),
        fc.constantFrom('data' as const, 'agl' as const, 'isobaric' as const),
        fc.integer({ min: 3, max: 30 }),
        (spec, vertical, stepMinutes) => {
          const build = (kernel: 'auto' | 'js') => randomField({ ...spec, kernel });
          const starts = randomStarts(build('js'), spec.seed, false);
          expectSameBothWays(build, starts, { hours: 4, vertical, stepMinutes, outputMinutes: 60 }, `seed ${spec.seed} ${vertical} ${stepMinutes} min`);
        },
      ),
      { numRuns: 40, seed: 20261203 },
    );
  });

  it('every sampler gives the same status and values at random places (inside, outside, above the top, in holes and gaps)', () => {
    for (const spec of [...FIELDS, { seed: 26, f32: true, heights: true, uneven: false, holes: true, mixingF32: true }]) {
      const wasm = randomField({ ...spec, kernel: 'auto' });
      const js = randomField({ ...spec, kernel: 'js' });
      const rng = createRng(spec.seed + 100);
      const a = new Float64Array(8);
      const b = new Float64Array(8);
      const what = `seed ${spec.seed}`;
      for (let i = 0; i < 400; i++) {
        const lng = 97.5 + 7.5 * rng.next();
        const lat = 16.5 + 6.5 * rng.next();
        const time = T0 + (-0.5 + 9 * rng.next()) * H;
        const agl = rng.next() < 0.05 ? NaN : -200 + 7000 * rng.next();
        const msl = -200 + 7000 * rng.next();
        const p = 30000 + 75000 * rng.next();
        const vmode = rng.int(3);
        const q = vmode === 0 ? msl : vmode === 1 ? agl : p;
        const calls: [string, (f: typeof wasm, o: Float64Array) => number][] = [
          ['sample3d', (f, o) => f.sample3d(lng, lat, time, agl, o)],
          ['sample3dMsl', (f, o) => f.sample3dMsl(lng, lat, time, msl, o)],
          ['sampleIsobaric', (f, o) => f.sampleIsobaric(lng, lat, time, p, o)],
          ['windAt', (f, o) => f.windAt(lng, lat, time, vmode, q, o)],
          ['sampleWithMixing', (f, o) => f.sampleWithMixing(lng, lat, time, vmode, q, o)],
          ['sample', (f, o) => f.sample(lng, lat, time, o)],
        ];
        for (const [name, call] of calls) {
          a.fill(-1);
          b.fill(-1);
          const sa = call(js, a);
          const sb = call(wasm, b);
          expect(sb, `${what} ${name} #${i} status`).toBe(sa);
          for (let k = 0; k < 8; k++) if (!Object.is(a[k], b[k])) expect.fail(`${what} ${name} #${i}: out[${k}] ${b[k]}, JavaScript ${a[k]}`);
        }
      }
    }
  });

  it('a single frame (steady field)', () => {
    const build = (kernel: 'auto' | 'js') => {
      const nx = 8;
      const ny = 7;
      const levels = [100000, 85000, 70000];
      const n = levels.length * nx * ny;
      const rng = createRng(5);
      const u = new Float32Array(n).map(() => 20 * rng.next() - 10);
      const v = new Float32Array(n).map(() => 20 * rng.next() - 10);
      const omega = new Float32Array(n).map(() => 0.6 * rng.next() - 0.3);
      return pressureLevelWind({ west: 98, south: 17, dLng: 0.5, dLat: 0.5, nx, ny, times: [T0], levels, u, v, omega, kernel });
    };
    const starts = Array.from({ length: 12 }, (_, i) => ({ lng: 98.5 + 0.25 * i, lat: 18 + 0.1 * i, time: T0, heightAgl: 100 + 200 * i }));
    for (const vertical of ['data', 'agl', 'isobaric'] as const) expectSameBothWays(build, starts, { hours: 6, vertical, stepMinutes: 10 }, `steady ${vertical}`);
  });

  it('high latitudes (45–75° N: the cosine of the steps beyond π/4)', () => {
    const build = (kernel: 'auto' | 'js') => {
      const nx = 30;
      const ny = 31;
      const levels = [100000, 85000, 70000, 50000];
      const times = [T0, T0 + 3 * H, T0 + 6 * H];
      const n = times.length * levels.length * nx * ny;
      const rng = createRng(17);
      const u = new Float32Array(n).map(() => 25 * rng.next() - 5);
      const v = new Float32Array(n).map(() => 16 * rng.next() - 8);
      const omega = new Float32Array(n).map(() => 0.6 * rng.next() - 0.3);
      return pressureLevelWind({ west: 0, south: 45, dLng: 1, dLat: 1, nx, ny, times, levels, u, v, omega, kernel });
    };
    const starts = Array.from({ length: 16 }, (_, i) => ({ lng: 8 + i, lat: 47 + 1.7 * i, time: T0, heightAgl: 200 + 150 * i }));
    for (const vertical of ['data', 'agl', 'isobaric'] as const) {
      const o: Trace3DOptions = { hours: 6, direction: 'forward', vertical, stepMinutes: 10, outputMinutes: 30 };
      expectSameBothWays(build, starts, o, `high latitudes ${vertical}`);
      const set = traceTrajectories3d(build('auto'), starts, o);
      expect(Array.from(set.lat).filter((y) => y > 60).length, vertical).toBeGreaterThan(20);
    }
  });

  it('a global grid: parcels cross the dateline and the seam of the grid', () => {
    const build = (kernel: 'auto' | 'js') => {
      const nx = 36;
      const ny = 10;
      const levels = [100000, 85000, 70000, 50000];
      const times = [T0, T0 + 3 * H, T0 + 6 * H];
      const n = times.length * levels.length * nx * ny;
      const rng = createRng(9);
      const u = new Float64Array(n).map(() => 30 + 10 * rng.next()); // strong westerlies: about 1° per 10-min step at 30 m/s
      const v = new Float64Array(n).map(() => 4 * rng.next() - 2);
      const omega = new Float64Array(n).map(() => 0.4 * rng.next() - 0.2);
      const height = new Float64Array(n);
      for (let i = 0; i < n; i++) height[i] = isaHeightM(levels[Math.floor(i / (nx * ny)) % levels.length]!) + 50 * rng.next();
      const a: PressureLevelWindArrays = { west: 0, south: -45, dLng: 10, dLat: 10, nx, ny, times, levels, u, v, omega, height, wrapLng: true, kernel };
      return pressureLevelWind(a);
    };
    const starts = Array.from({ length: 10 }, (_, i) => ({ lng: 150 + 3 * i, lat: -20 + 4 * i, time: T0, heightAgl: 300 + 100 * i }));
    for (const vertical of ['data', 'agl', 'isobaric'] as const) {
      const o: Trace3DOptions = { hours: 6, direction: 'forward', vertical, stepMinutes: 10, outputMinutes: 30 };
      expectSameBothWays(build, starts, o, `global ${vertical}`);
      const set = traceTrajectories3d(build('auto'), starts, o);
      // the parcels did cross 180°: some longitudes are below the start's, wrapped into -180..180
      expect(Array.from(set.lng).some((x) => x < 0), vertical).toBe(true);
    }
  });
});

describe('the kernel option and the embedded module', () => {
  const small = (kernel?: unknown) =>
    pressureLevelWind({ west: 98, south: 17, dLng: 1, dLat: 1, nx: 2, ny: 2, times: [T0], levels: [100000, 85000], u: new Float32Array(8), v: new Float32Array(8), kernel: kernel as 'auto' });

  it("'auto' (the default) has the WebAssembly stepper in Node; 'js' has none; the field says which", () => {
    expect(small().kernel).toBe('wasm');
    expect(small('auto').toJSON()['kernel']).toBe('wasm');
    expect(small('js').kernel).toBe('js');
  });

  it('a bad kernel option is E_ARG', () => {
    expect(() => small('fast')).toThrow(HazetraceError);
    expect(() => small('fast')).toThrow(/kernel/);
  });

  it('the embedded bytes are what wasm/heun3d.ts compiles to (npm run build:wasm after editing it)', async () => {
    const built: Uint8Array = await compileHeun3dKernel();
    expect(Buffer.from(HEUN3D_WASM_BASE64, 'base64').equals(Buffer.from(built))).toBe(true);
  }, 60_000);
});
