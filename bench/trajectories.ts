/**
 * bench:wind — 10,000 back-trajectories of 72 h, 10-min Heun steps, through a 0.25° gridded field
 * (lng 90–110, lat 0–30, 73 hourly frames), one thread: the library API path (traceTrajectories)
 * against the tight-loop reference kernel (bench/trajectory-kernel.ts) in the same run, then the
 * same batch on 2 worker threads (warm pool; cold start reported separately).
 *
 *   npm run bench:wind                       # full size
 *   WIND_BENCH_N=1000 WIND_BENCH_REPS=2 npm run bench:wind   # quick
 *
 * Writes bench/results/wind.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createRng } from '../src/core/rng.js';
import { griddedWind, traceTrajectories } from '../src/wind/index.js';
import { PointBuffer } from '../src/wind/trace.js';
import { createTracePool, traceTrajectoriesParallel } from '../src/node/trace-workers.js';
import { kernelBackTrajectories } from './trajectory-kernel.js';

const N = Number(process.env.WIND_BENCH_N ?? 10_000);
const REPS = Number(process.env.WIND_BENCH_REPS ?? 5);
const HOURS = 72;
const H = 3_600_000;

// --- field: seeded smooth synthetic wind (a few travelling waves), Float32 like reanalysis ---
const west = 90, south = 0, d = 0.25;
const nx = Math.round(20 / d) + 1; // 81
const ny = Math.round(30 / d) + 1; // 121
const nt = 73;
const t0 = Date.UTC(2025, 3, 19);
const rng = createRng(20250422);
const waves = Array.from({ length: 6 }, () => ({ a: 1 + 3 * rng.next(), kx: 0.05 + 0.3 * rng.next(), ky: 0.05 + 0.3 * rng.next(), w: 0.02 + 0.1 * rng.next(), p: 6.283 * rng.next() }));
const u = new Float32Array(nx * ny * nt);
const v = new Float32Array(nx * ny * nt);
for (let t = 0; t < nt; t++) for (let r = 0; r < ny; r++) for (let c = 0; c < nx; c++) {
  const i = (t * ny + r) * nx + c;
  let uu = -3, vv = 1;
  for (const q of waves) {
    const ph = q.kx * c + q.ky * r + q.w * t + q.p;
    uu += q.a * Math.sin(ph);
    vv += q.a * Math.cos(ph * 0.7);
  }
  u[i] = uu;
  v[i] = vv;
}
const times = Array.from({ length: nt }, (_, k) => t0 + k * H);
const field = griddedWind({ west, south, dLng: d, dLat: d, nx, ny, times, u, v });

// --- starts: seeded, inside the inner domain, at the last frame (72 h back fits the field) ---
const lng = new Float64Array(N), lat = new Float64Array(N), time = new Float64Array(N);
for (let i = 0; i < N; i++) {
  lng[i] = 97 + 6 * rng.next();
  lat[i] = 12 + 8 * rng.next();
  time[i] = t0 + 72 * H;
}
const starts = { lng, lat, time };
const opts = { hours: HOURS, stepMinutes: 10, outputMinutes: 60 } as const;

// --- agreement check first: the two paths must compute the same trajectories ---
const outLng = new Float64Array(N * (HOURS + 1));
const outLat = new Float64Array(N * (HOURS + 1));
const grid = { west, south, dLng: d, dLat: d, nx, ny, t0, dtFrame: H, nt, u, v };
kernelBackTrajectories(grid, lng, lat, time, HOURS, 6, outLng, outLat);
const check = traceTrajectories(field, starts, opts);
let maxDiff = 0;
let completed = 0;
for (let i = 0; i < N; i++) {
  const a = check.offsets[i]!, b = check.offsets[i + 1]!;
  if (check.stopReason[i] === 'completed') completed++;
  for (let p = a; p < b && p - a <= HOURS; p++) {
    const q = i * (HOURS + 1) + (p - a);
    if (Number.isNaN(outLng[q]!)) break;
    maxDiff = Math.max(maxDiff, Math.abs(outLng[q]! - check.lng[p]!), Math.abs(outLat[q]! - check.lat[p]!));
  }
}
if (maxDiff > 1e-9) throw new Error(`API and kernel disagree by ${maxDiff}°`);

// --- single thread: kernel vs API, interleaved (K A K A ...) so both see the same machine state.
// Timed by this thread's CPU time (process.cpuUsage: user+system µs) as well as wall time: on a shared
// machine wall time also counts the time the process waits for a core.
let sink = 0;
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const k = { wall: Infinity, cpu: Infinity };
const a = { wall: Infinity, cpu: Infinity };
const ab = { wall: Infinity, cpu: Infinity }; // API with a reused PointBuffer (no fresh 24 MB per call)
const buffer = new PointBuffer();
for (let r = 0; r < REPS; r++) {
  let s = performance.now();
  let c = cpuMs();
  sink += kernelBackTrajectories(grid, lng, lat, time, HOURS, 6, outLng, outLat);
  k.cpu = Math.min(k.cpu, cpuMs() - c);
  k.wall = Math.min(k.wall, performance.now() - s);
  s = performance.now();
  c = cpuMs();
  sink += traceTrajectories(field, starts, opts).lng.length;
  a.cpu = Math.min(a.cpu, cpuMs() - c);
  a.wall = Math.min(a.wall, performance.now() - s);
  s = performance.now();
  c = cpuMs();
  sink += traceTrajectories(field, starts, { ...opts, buffer }).lng.length;
  ab.cpu = Math.min(ab.cpu, cpuMs() - c);
  ab.wall = Math.min(ab.wall, performance.now() - s);
}

// --- 2 worker threads: warm pool (field shared once), plus one cold call ---
const pool = await createTracePool({ workers: 2 });
await pool.trace(field, { lng: lng.subarray(0, 10), lat: lat.subarray(0, 10), time: time.subarray(0, 10) }, opts); // ship field, warm up
let workerMs = Infinity;
let workerCpuMs = Infinity;
let workerComputeMs: number[] = []; // process.cpuUsage counts every thread of the process: main + both workers
for (let r = 0; r < REPS; r++) {
  const s = performance.now();
  const c = cpuMs();
  const set = await pool.trace(field, starts, opts);
  workerCpuMs = Math.min(workerCpuMs, cpuMs() - c);
  const ms = performance.now() - s;
  if (ms < workerMs) workerComputeMs = [...pool.lastBatchMs];
  workerMs = Math.min(workerMs, ms);
  sink += set.lng.length;
}
await pool.close();
const coldStart = performance.now();
sink += (await traceTrajectoriesParallel(field, starts, { ...opts, workers: 2 })).lng.length;
const coldMs = performance.now() - coldStart;

const perSec = (ms: number): number => (N / ms) * 1000;
const result = {
  name: 'wind',
  what: `${N} back-trajectories × ${HOURS} h, Heun 10-min steps, 0.25° field lng 90–110 lat 0–30, ${nt} hourly frames`,
  node: process.version,
  reps: REPS,
  completed,
  agreementMaxDiffDeg: maxDiff,
  loadAverage: loadavg(),
  kernel: { cpuMs: k.cpu, wallMs: k.wall, trajectoriesPerCpuSec: perSec(k.cpu) },
  api: { cpuMs: a.cpu, wallMs: a.wall, trajectoriesPerCpuSec: perSec(a.cpu), ratioToKernelCpu: k.cpu / a.cpu, ratioToKernelWall: k.wall / a.wall },
  apiReusedBuffer: { cpuMs: ab.cpu, wallMs: ab.wall, trajectoriesPerCpuSec: perSec(ab.cpu), ratioToKernelCpu: k.cpu / ab.cpu, ratioToKernelWall: k.wall / ab.wall },
  workers2: {
    warmWallMs: workerMs,
    warmCpuMsAllThreads: workerCpuMs,
    perWorkerTraceWallMs: workerComputeMs,
    cpuOverheadVsApi: workerCpuMs / a.cpu,
    idealSpeedupOnTwoFreeCores: (2 * a.cpu) / workerCpuMs,
    trajectoriesPerSec: perSec(workerMs),
    speedupVsApiWall: a.wall / workerMs,
    coldWallMs: coldMs,
    coldSpeedupVsApiWall: a.wall / coldMs,
  },
  sink,
};
console.log(`field ${nx}×${ny}×${nt}, ${N} starts, ${completed} completed, API vs kernel max diff ${maxDiff.toExponential(1)}°`);
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
console.log(`tight-loop kernel    : ${perSec(k.cpu).toFixed(0)} traj/CPU-s (${k.cpu.toFixed(1)} ms CPU, ${k.wall.toFixed(1)} ms wall)`);
console.log(`API traceTrajectories: ${perSec(a.cpu).toFixed(0)} traj/CPU-s (${a.cpu.toFixed(1)} ms CPU, ${a.wall.toFixed(1)} ms wall) = ${(k.cpu / a.cpu).toFixed(2)}× kernel by CPU time, ${(k.wall / a.wall).toFixed(2)}× by wall (target ≥ 0.8×)`);
console.log(`API with a reused PointBuffer: ${perSec(ab.cpu).toFixed(0)} traj/CPU-s (${ab.cpu.toFixed(1)} ms CPU, ${ab.wall.toFixed(1)} ms wall) = ${(k.cpu / ab.cpu).toFixed(2)}× kernel by CPU time, ${(k.wall / ab.wall).toFixed(2)}× by wall`);
console.log(`2 workers (warm pool): ${perSec(workerMs).toFixed(0)} traj/s wall = ${(a.wall / workerMs).toFixed(2)}× single-thread API wall (target ≥ 1.7×); cold incl. start-up ${coldMs.toFixed(0)} ms = ${(a.wall / coldMs).toFixed(2)}×`);
console.log(`   each worker's own tracing time (wall): ${workerComputeMs.map((x) => x.toFixed(1)).join(', ')} ms`);
console.log(`   CPU, all threads: ${workerCpuMs.toFixed(1)} ms = ${(workerCpuMs / a.cpu).toFixed(2)}× the single-thread API's CPU → at most ${((2 * a.cpu) / workerCpuMs).toFixed(2)}× on two otherwise idle cores (a bound, not a measurement)`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/wind.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
