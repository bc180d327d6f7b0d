/**
 * bench:trace3d — 72-h 3-D back-trajectories (traceTrajectories3d) on a seeded synthetic 0.25° field with
 * 10 pressure levels (1000–200 hPa), 73 hourly frames, geopotential heights, omega, terrain and mixing
 * height, beside the 2-D path (traceTrajectories on griddedWind holding the same u, v at 850 hPa) in the
 * same run, interleaved (2-D, 3-D data, 3-D agl, 3-D isobaric, 3-D data one trajectory at a time, 2-D, ...),
 * medians of REPS rounds. The 3-D sides trace parcels in lockstep blocks (traceTrajectories3d); `data-1by1` traces
 * the same data-mode run one trajectory at a time (block size 1), and the run checks both give identical columns.
 * Both sides use the same 10-min Heun step (as bench:wind), so the ratio is the cost per step; the
 * default (auto) steps of each side are reported too. `agl-remap` / `agl-remap-first` time the `remap` option
 * (amortised / remap built in the timed call), and `remapAccuracyKm` compares its positions with the exact path
 * beside the scheme's own error (docs/wind-3d.md "Speed").
 *
 *   npm run bench:trace3d                                  # full size
 *   TRACE3D_BENCH_N=300 TRACE3D_BENCH_REPS=3 npm run bench:trace3d   # quick
 *
 * Writes bench/results/trace3d.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createRng } from '../src/core/rng.js';
import { autoStepMinutes, griddedWind, traceTrajectories } from '../src/wind/index.js';
import { autoStepMinutes3d, isaHeightM, pressureLevelWind, traceTrajectories3d } from '../src/wind/index.js';
import type { TrajectorySet3D, VerticalMotion } from '../src/wind/index.js';
import { traceTrajectories3dInBlocks } from '../src/wind/trace3d.js';

const N = Number(process.env.TRACE3D_BENCH_N ?? 2000);
const REPS = Number(process.env.TRACE3D_BENCH_REPS ?? 5);
const HOURS = 72;
const H = 3_600_000;

// --- field: 0.25°, lng 90–110, lat 0–30, 10 levels, 73 hourly frames, Float32 like reanalysis ---
const west = 90, south = 0, d = 0.25;
const nx = Math.round(20 / d) + 1; // 81
const ny = Math.round(30 / d) + 1; // 121
const nt = HOURS + 1;
const levels = [100000, 92500, 85000, 70000, 60000, 50000, 40000, 30000, 25000, 20000];
const nz = levels.length;
const t0 = Date.UTC(2025, 3, 19);
const rng = createRng(20261202);
const waves = Array.from({ length: 6 }, () => ({ a: 1 + 3 * rng.next(), kx: 0.05 + 0.3 * rng.next(), ky: 0.05 + 0.3 * rng.next(), w: 0.02 + 0.1 * rng.next(), p: 6.283 * rng.next(), kz: 0.3 * rng.next() }));
const frame = nx * ny;
const n3 = nt * nz * frame;
const u = new Float32Array(n3);
const v = new Float32Array(n3);
const omega = new Float32Array(n3);
const height = new Float32Array(n3);
const isaH = levels.map(isaHeightM);
for (let t = 0; t < nt; t++)
  for (let k = 0; k < nz; k++)
    for (let r = 0; r < ny; r++)
      for (let c = 0; c < nx; c++) {
        const i = ((t * nz + k) * ny + r) * nx + c;
        let uu = -3, vv = 1, om = 0;
        for (const q of waves) {
          const ph = q.kx * c + q.ky * r + q.w * t + q.p + q.kz * k;
          uu += q.a * Math.sin(ph);
          vv += q.a * Math.cos(ph * 0.7);
          om += 0.03 * q.a * Math.sin(ph * 1.3);
        }
        u[i] = uu;
        v[i] = vv;
        omega[i] = om; // Pa/s, |ω| ≲ 0.4 (synoptic: |w| of cm/s near the ground, ~0.1 m/s aloft)
        height[i] = isaH[k]! + 40 * Math.sin(0.05 * c + 0.03 * r + 0.02 * t);
      }
const elevation = new Float32Array(frame);
const mixingHeight = new Float32Array(nt * frame);
for (let r = 0; r < ny; r++) for (let c = 0; c < nx; c++) elevation[r * nx + c] = Math.max(0, 800 * Math.sin(0.07 * c) * Math.cos(0.05 * r));
for (let t = 0; t < nt; t++) for (let i = 0; i < frame; i++) mixingHeight[t * frame + i] = 300 + 900 * Math.max(0, Math.sin(((t % 24) / 24) * 2 * Math.PI));
const times = Array.from({ length: nt }, (_, k) => t0 + k * H);
const f3 = pressureLevelWind({ west, south, dLng: d, dLat: d, nx, ny, times, levels, u, v, omega, height, surface: { elevation, mixingHeight } });
// the same field stepping in JavaScript (kernel: 'js'): the stepper the WebAssembly one must equal bit for bit
const f3js = pressureLevelWind({ west, south, dLng: d, dLat: d, nx, ny, times, levels, u, v, omega, height, surface: { elevation, mixingHeight }, kernel: 'js' });
// 2-D: the same u, v at 850 hPa (level 2)
const u2 = new Float32Array(nt * frame);
const v2 = new Float32Array(nt * frame);
for (let t = 0; t < nt; t++) {
  u2.set(u.subarray((t * nz + 2) * frame, (t * nz + 3) * frame), t * frame);
  v2.set(v.subarray((t * nz + 2) * frame, (t * nz + 3) * frame), t * frame);
}
const f2 = griddedWind({ west, south, dLng: d, dLat: d, nx, ny, times, u: u2, v: v2 });

// --- starts: seeded, inner domain, at the last frame ---
const lng = new Float64Array(N), lat = new Float64Array(N), time = new Float64Array(N);
for (let i = 0; i < N; i++) {
  lng[i] = 97 + 6 * rng.next();
  lat[i] = 12 + 8 * rng.next();
  time[i] = t0 + HOURS * H;
}
const starts2 = { lng, lat, time };
const starts3 = Array.from({ length: N }, (_, i) => ({ lng: lng[i]!, lat: lat[i]!, time: time[i]!, heightAgl: 500 }));
const opts = { hours: HOURS, stepMinutes: 10, outputMinutes: 60 } as const;

const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
// 'data-1by1': the data mode traced one trajectory at a time (block size 1), i.e. without the lockstep blocks
// 'agl-remap': agl with the `remap` option, the remap kept on the field from the call before (amortised);
// 'agl-remap-first': the same with a start height not remapped yet (500 m + a new µm each call), so the remap is
// built inside the timed call (the first call's cost)
// 'data-js', 'agl-js', 'isobaric-js': the same traces on the field with kernel: 'js' (the JavaScript Heun stepper)
type Side = '2d' | VerticalMotion | 'data-1by1' | 'agl-remap' | 'agl-remap-first' | 'data-js' | 'agl-js' | 'isobaric-js';
const sides: Side[] = ['2d', 'data', 'agl', 'isobaric', 'data-js', 'agl-js', 'isobaric-js', 'data-1by1', 'agl-remap', 'agl-remap-first'];
const perSide = <T>(f: () => T): Record<Side, T> => Object.fromEntries(sides.map((s) => [s, f()])) as Record<Side, T>;
const wall = perSide((): number[] => []);
const cpu = perSide((): number[] => []);
const completed = perSide(() => 0);
const reasons = perSide((): Record<string, number> => ({}));
let sink = 0;
let fresh = 0;
/** The starts at a start height not remapped before (one new height per call, all starts at it). */
const freshStarts = (): typeof starts3 => {
  const h = 500 + ++fresh * 1e-6;
  return starts3.map((x) => ({ ...x, heightAgl: h }));
};
const run = (s: Side, o: typeof opts | { hours: number }): { n: number; done: number } => {
  const set =
    s === '2d'
      ? traceTrajectories(f2, starts2, o)
      : s === 'data-1by1'
        ? traceTrajectories3dInBlocks(f3, starts3, { ...o, vertical: 'data' }, 1)
        : s === 'agl-remap'
          ? traceTrajectories3d(f3, starts3, { ...o, vertical: 'agl', remap: true })
          : s === 'agl-remap-first'
            ? traceTrajectories3d(f3, freshStarts(), { ...o, vertical: 'agl', remap: true })
            : s === 'data-js' || s === 'agl-js' || s === 'isobaric-js'
              ? traceTrajectories3d(f3js, starts3, { ...o, vertical: s.slice(0, -3) as VerticalMotion })
              : traceTrajectories3d(f3, starts3, { ...o, vertical: s });
  const tally: Record<string, number> = {};
  for (const r of set.stopReason) tally[r] = (tally[r] ?? 0) + 1;
  reasons[s] = tally;
  return { n: set.lng.length, done: tally['completed'] ?? 0 };
};
// the lockstep blocks give the same numbers as one trajectory at a time: every column compared exactly, every mode
const sameSet = (a: TrajectorySet3D, b: TrajectorySet3D): boolean => {
  const cols = ['offsets', 'lng', 'lat', 'time', 'ageHours', 'stopReason', 'heightAgl', 'pressure', 'terrain', 'mixedLayer'] as const;
  return cols.every((k) => a[k].length === b[k].length && Array.prototype.every.call(a[k], (x: unknown, i: number) => Object.is(x, (b[k] as ArrayLike<unknown>)[i])));
};
const identical = (['data', 'agl', 'isobaric'] as const).every((m) =>
  sameSet(traceTrajectories3d(f3, starts3, { ...opts, vertical: m }), traceTrajectories3dInBlocks(f3, starts3, { ...opts, vertical: m }, 1)),
);
// the WebAssembly stepper gives the JavaScript stepper's numbers: every column compared exactly, every mode
const wasmIdentical = (['data', 'agl', 'isobaric'] as const).every((m) => sameSet(traceTrajectories3d(f3, starts3, { ...opts, vertical: m }), traceTrajectories3d(f3js, starts3, { ...opts, vertical: m })));
if (f3.kernel !== 'wasm' || f3js.kernel !== 'js') throw new Error(`bench:trace3d: expected the WebAssembly and the JavaScript stepper, got ${f3.kernel} / ${f3js.kernel}`);
// accuracy of the remap (agl): great-circle distance to the exact path at 24/48/72 h, beside the scheme's own error on
// the same starts (exact path: Heun 10 min vs Heun 5 min, and Heun vs RK4 at 10 min); median, 95th percentile, max, km
const accuracy = ((): Record<string, Record<string, { median: number; p95: number; max: number; n: number }>> => {
  const hav = (a1: number, b1: number, a2: number, b2: number): number => {
    const r = Math.PI / 180;
    const h = Math.sin(((b2 - b1) * r) / 2) ** 2 + Math.cos(b1 * r) * Math.cos(b2 * r) * Math.sin(((a2 - a1) * r) / 2) ** 2;
    return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
  };
  const o = { ...opts, vertical: 'agl' } as const;
  const exact = traceTrajectories3d(f3, starts3, o);
  const others = {
    remapVsExact: traceTrajectories3d(f3, starts3, { ...o, remap: true }),
    heun5minVs10min: traceTrajectories3d(f3, starts3, { ...o, stepMinutes: 5 }),
    rk4VsHeun: traceTrajectories3d(f3, starts3, { ...o, method: 'rk4' }),
  };
  const res: Record<string, Record<string, { median: number; p95: number; max: number; n: number }>> = {};
  for (const [name, b] of Object.entries(others)) {
    res[name] = {};
    for (const h of [24, 48, 72]) {
      const d: number[] = [];
      for (let i = 0; i < N; i++) {
        const a0 = exact.offsets[i]! + h;
        const b0 = b.offsets[i]! + h;
        if (a0 < exact.offsets[i + 1]! && b0 < b.offsets[i + 1]!) d.push(hav(exact.lng[a0]!, exact.lat[a0]!, b.lng[b0]!, b.lat[b0]!));
      }
      d.sort((x, y) => x - y);
      res[name]![`${h}h`] = { median: d[d.length >> 1]!, p95: d[Math.floor(0.95 * (d.length - 1))]!, max: d[d.length - 1]!, n: d.length };
    }
  }
  return res;
})();
// warm-up (JIT) once per side
for (const s of sides) sink += run(s, { ...opts, hours: 6 }).n;
for (let r = 0; r < REPS; r++) {
  for (const s of sides) {
    const w0 = performance.now();
    const c0 = cpuMs();
    const res = run(s, opts);
    cpu[s].push(cpuMs() - c0);
    wall[s].push(performance.now() - w0);
    completed[s] = res.done;
    sink += res.n;
  }
}
const fixedReasons = JSON.parse(JSON.stringify(reasons)) as typeof reasons; // stop reasons of the 10-min runs
// auto steps (each side's own default step rule), one interleaved pair of rounds
const autoWall = perSide((): number[] => []);
for (let r = 0; r < Math.max(2, Math.ceil(REPS / 2)); r++) {
  for (const s of sides) {
    if (s === 'data-1by1' || s === 'agl-remap-first') continue;
    const w0 = performance.now();
    sink += run(s, { hours: HOURS }).n;
    autoWall[s].push(performance.now() - w0);
  }
}
const perSec = (ms: number): number => (N / ms) * 1000;
const rate2 = perSec(median(cpu['2d']));
const out: Record<string, unknown> = {
  name: 'trace3d',
  what: `${N} back-trajectories × ${HOURS} h from 500 m AGL, Heun 10-min steps, 0.25° field lng 90–110 lat 0–30 (${nx}×${ny}), ${nz} pressure levels, ${nt} hourly frames, Float32, with heights, omega, terrain, mixing height; 2-D = griddedWind of the 850 hPa u, v`,
  command: 'npm run bench:trace3d',
  node: process.version,
  reps: REPS,
  interleaved: sides,
  loadAverageAtEnd: loadavg(),
  cores: availableParallelism(),
  target: '3-D rate ≥ 0.5 × 2-D rate',
  lockstep: 'data/agl/isobaric: traceTrajectories3d, parcels in lockstep blocks of 1024; data-1by1: the same trace one trajectory at a time (block size 1)',
  lockstepIdenticalToOneAtATime: identical,
  kernel: 'data/agl/isobaric (and data-1by1, and the exact samples agl-remap records): the field default, the WebAssembly Heun stepper (wasm/heun3d.ts); data-js/agl-js/isobaric-js: the same traces on the field built with kernel: "js" (JavaScript Heun stepper)',
  wasmIdenticalToJs: wasmIdentical,
  remap: 'agl-remap: traceTrajectories3d agl with remap: true (u, v remapped once onto 500 m above ground at every node and frame, src/wind/remap3d.ts), remap kept on the field from the call before; agl-remap-first: a new start height each call, so the remap is built in the timed call. Accuracy vs the exact path: docs/wind-3d.md "Speed"',
  sides: Object.fromEntries(
    sides.map((s) => [
      s,
      {
        medianCpuMs: median(cpu[s]),
        medianWallMs: median(wall[s]),
        trajectoriesPerCpuSec: perSec(median(cpu[s])),
        trajectoriesPerWallSec: perSec(median(wall[s])),
        ratioTo2dCpu: perSec(median(cpu[s])) / rate2,
        ratioTo2dWall: median(wall['2d']) / median(wall[s]),
        completed: completed[s],
        stopReasons: fixedReasons[s],
      },
    ]),
  ),
  autoStep: {
    stepMinutes: { '2d': autoStepMinutes(f2), data: autoStepMinutes3d(f3, 'data'), agl: autoStepMinutes3d(f3, 'agl'), isobaric: autoStepMinutes3d(f3, 'isobaric') },
    medianWallMs: Object.fromEntries(sides.filter((s) => s !== 'data-1by1' && s !== 'agl-remap-first').map((s) => [s, median(autoWall[s])])),
    ratioTo2dWall: Object.fromEntries(sides.filter((s) => s !== 'data-1by1' && s !== 'agl-remap-first').map((s) => [s, median(autoWall['2d']) / median(autoWall[s])])),
  },
  remapAccuracyKm: accuracy,
  sink,
};
console.log(`lockstep blocks identical to one trajectory at a time (every column, 3 modes): ${identical}`);
console.log(`WebAssembly stepper identical to the JavaScript stepper (every column, 3 modes): ${wasmIdentical}`);
console.log(`field ${nx}×${ny}×${nz} levels×${nt} frames; ${N} starts; load ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
for (const s of sides) {
  const o = (out['sides'] as Record<string, Record<string, number>>)[s]!;
  console.log(
    `${s.padEnd(15)} ${o['trajectoriesPerCpuSec']!.toFixed(0)} traj/CPU-s (${o['medianCpuMs']!.toFixed(0)} ms CPU, ${o['medianWallMs']!.toFixed(0)} ms wall) = ${o['ratioTo2dCpu']!.toFixed(2)}× 2-D by CPU, ${o['ratioTo2dWall']!.toFixed(2)}× by wall; stops ${JSON.stringify(fixedReasons[s])}`,
  );
}
console.log('auto steps (min):', JSON.stringify((out['autoStep'] as Record<string, unknown>)['stepMinutes']), 'ratio to 2-D wall:', JSON.stringify((out['autoStep'] as Record<string, unknown>)['ratioTo2dWall']));
for (const [k, v] of Object.entries(accuracy)) {
  console.log(`${k.padEnd(16)} ` + Object.entries(v).map(([h, x]) => `${h} median ${x.median.toFixed(3)} p95 ${x.p95.toFixed(3)} max ${x.max.toFixed(3)} km`).join(' | '));
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/trace3d.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
