/**
 * bench:cluster — trajectory clustering speed, one thread (docs/trajectory-clustering.md).
 *
 *  1. 5,000 back-trajectories × 73 hourly points: the library's great-circle distance matrix
 *     (trajectoryDistances, 'euclid') beside a plain tight-loop reference computing the same numbers in the
 *     same run (ratio = reference time / library time; target ≥ 0.8), then PAM (R-identical BUILD + SWAP), k = 5;
 *     on the same set, CLARA's objective relative to PAM's and the HYSPLIT-style (Ward/TSV) run time.
 *  2. 50,000 × 73: CLARA (seeded sampled PAM), k = 5. Target: < 2 minutes and < 2 GB.
 *
 * Each part runs in its own child process so its peak memory (VmHWM, `processUsage`) is its own.
 *
 *   npm run bench:cluster
 *   CLUSTER_BENCH_N=1000 CLUSTER_BENCH_BIG=5000 npm run bench:cluster   # quick
 *
 * Writes bench/results/cluster.json.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { adjustedRandIndex, clusterTrajectories, pam, trajectoryDistances } from '../src/attribution/index.js';
import { createRng } from '../src/core/rng.js';
import { processUsage } from '../src/node/usage.js';
import { makeTrajectorySet } from '../src/wind/trace.js';
import type { TrajectorySet } from '../src/core/types.js';

const N = Number(process.env.CLUSTER_BENCH_N ?? 5_000);
const BIG = Number(process.env.CLUSTER_BENCH_BIG ?? 50_000);
const REPS = Number(process.env.CLUSTER_BENCH_REPS ?? 3);
const POINTS = 73;
const K = 5;

/** Seeded synthetic season: 6 wind regimes with direction/speed/curvature noise around Chiang Mai. */
function synthetic(n: number, seed: number): TrajectorySet {
  const rng = createRng(seed);
  const lng = new Float64Array(n * POINTS);
  const lat = new Float64Array(n * POINTS);
  const offsets = new Uint32Array(n + 1);
  const ageHours = new Float64Array(n * POINTS);
  for (let t = 0; t < n; t++) {
    const regime = rng.int(6);
    const b0 = ((regime * 60 + 15 + rng.normal() * 12) * Math.PI) / 180;
    const v = 0.08 * Math.exp(rng.normal() * 0.3);
    const curl = rng.normal() * 0.01;
    for (let h = 0; h < POINTS; h++) {
      const q = t * POINTS + h;
      const b = b0 + curl * h;
      lng[q] = 98.98 + (v * h * Math.sin(b)) / Math.cos((18.79 * Math.PI) / 180) + (h ? rng.normal() * 0.02 : 0);
      lat[q] = 18.79 + v * h * Math.cos(b) + (h ? rng.normal() * 0.02 : 0);
      ageHours[q] = h;
    }
    offsets[t + 1] = (t + 1) * POINTS;
  }
  return makeTrajectorySet({
    length: n, offsets, lng, lat, time: new Float64Array(n * POINTS), ageHours,
    receptor: new Array<string>(n).fill('CM'), member: new Int32Array(n),
    startTime: Float64Array.from({ length: n }, (_, i) => i * 3_600_000), stopReason: new Array(n).fill('completed'),
  });
}

/** The tight-loop reference: summed great-circle km between corresponding points, written flat and inline. */
function referenceMatrix(set: TrajectorySet): Float64Array {
  const n = set.length;
  const m = POINTS;
  const x = new Float64Array(n * m), y = new Float64Array(n * m), z = new Float64Array(n * m);
  const r = Math.PI / 180;
  for (let q = 0; q < n * m; q++) {
    const p = set.lat[q]! * r, l = set.lng[q]! * r;
    x[q] = Math.cos(p) * Math.cos(l);
    y[q] = Math.cos(p) * Math.sin(l);
    z[q] = Math.sin(p);
  }
  const out = new Float64Array((n * (n - 1)) / 2);
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0, a = i * m, b = j * m; k < m; k++, a++, b++) {
        const dx = x[a]! - x[b]!, dy = y[a]! - y[b]!, dz = z[a]! - z[b]!;
        const h = 0.5 * Math.sqrt(dx * dx + dy * dy + dz * dz);
        s += Math.asin(h < 1 ? h : 1);
      }
      out[o++] = 2 * 6371.0088 * s;
    }
  }
  return out;
}

const time = <T>(f: () => T): { s: number; value: T } => {
  const t0 = performance.now();
  const value = f();
  return { s: (performance.now() - t0) / 1000, value };
};
// VmHWM: a forked child's maxRSS carries its parent's peak (docs/batch.md, "Memory as the season grows")
const peakMB = (): number => Math.round(processUsage().peakRssMB);

function partMatrix(): Record<string, unknown> {
  const set = synthetic(N, 20260313);
  // the set is in receptor-first order; the reference reads it directly, the library reverses internally (same sums)
  let refS = Infinity, libS = Infinity;
  let ref: Float64Array = new Float64Array(0), lib: Float64Array = new Float64Array(0);
  for (let r = 0; r < REPS; r++) {
    const a = time(() => referenceMatrix(set));
    refS = Math.min(refS, a.s);
    ref = a.value;
    const b = time(() => trajectoryDistances(set, { distance: 'euclid' }).matrix);
    libS = Math.min(libS, b.s);
    lib = b.value;
  }
  let maxRel = 0;
  for (let q = 0; q < ref.length; q++) maxRel = Math.max(maxRel, Math.abs(ref[q]! - lib[q]!) / Math.max(1e-9, ref[q]!));
  const p = time(() => pam(lib, N, K));
  const whole = time(() => clusterTrajectories(set, { k: K, distance: 'euclid', algorithm: 'pam' }));
  const cl = time(() => clusterTrajectories(set, { k: K, distance: 'euclid', algorithm: 'clara', seed: 1 }));
  const hy = time(() => clusterTrajectories(set, { k: 'auto', algorithm: 'hysplit' }));
  return {
    n: N, points: POINTS, k: K, reps: REPS,
    referenceMatrixSeconds: +refS.toFixed(3),
    libraryMatrixSeconds: +libS.toFixed(3),
    libraryVsReference: +(refS / libS).toFixed(3),
    maxRelativeDifference: maxRel,
    pamSeconds: +p.s.toFixed(3),
    pamSwaps: p.value.swaps,
    clusterTrajectoriesPamSeconds: +whole.s.toFixed(3),
    clusterPercent: whole.value.percent.map((v) => +v.toFixed(1)),
    claraSameSetSeconds: +cl.s.toFixed(3),
    claraObjectiveVsPam: +(cl.value.objective / whole.value.objective).toFixed(4),
    claraVsPamARI: +adjustedRandIndex(cl.value.assignment, whole.value.assignment).toFixed(3),
    hysplitSeconds: +hy.s.toFixed(3),
    hysplitSuggestedK: hy.value.k,
    peakRssMB: peakMB(),
  };
}

function partClara(): Record<string, unknown> {
  const set = synthetic(BIG, 20260314);
  const r = time(() => clusterTrajectories(set, { k: K, distance: 'euclid', algorithm: 'clara', seed: 1 }));
  return {
    n: BIG, points: POINTS, k: K, algorithm: 'clara', samples: 5, sampleSize: 500,
    seconds: +r.s.toFixed(3), objectiveKm: +r.value.objective.toFixed(1),
    clusterPercent: r.value.percent.map((v) => +v.toFixed(1)), peakRssMB: peakMB(),
  };
}

const part = process.argv[2];
if (part === 'matrix' || part === 'clara') {
  const out = part === 'matrix' ? partMatrix() : partClara();
  process.send!(out);
} else {
  const self = fileURLToPath(import.meta.url);
  const run = (name: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const child = fork(self, [name], { stdio: 'inherit' });
      child.once('message', (m) => resolve(m as Record<string, unknown>));
      child.once('exit', (code) => code !== 0 && reject(new Error(`${name} part exited with ${code}`)));
    });
  const matrix = await run('matrix');
  console.log('distance matrix + PAM', matrix);
  const claraRes = await run('clara');
  console.log('CLARA', claraRes);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    loadavg: loadavg().map((v) => +v.toFixed(2)),
    threads: 1,
    command: 'npm run bench:cluster',
    matrixAndPam: matrix,
    clara: claraRes,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/cluster.json', JSON.stringify(result, null, 2) + '\n');
  console.log('wrote bench/results/cluster.json');
}
