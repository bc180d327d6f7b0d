/**
 * Point gridding benchmark: hazetrace `binPoints` (exact pure-TS latLngToCell on
 * typed arrays + open-addressing table) against the baseline "h3-js
 * latLngToCell per point + Map<string, {count, sum}>", same seeded points, same
 * outputs (count + mean of one value), resolutions 7 and 9.
 *
 *   npm run bench:grid                          # 10,000,000 points (lng 92–110, lat 5–25)
 *   BENCH_POINTS=500000 npm run bench:grid      # smaller, for development
 *
 * Each contender × resolution runs in its own child process so its peak memory
 * is its own: a worker thread samples RSS every 2 ms; "beyond input" is the
 * peak minus the RSS measured after the input arrays were generated. The two
 * hazetrace process runs the fast path's one-time self-check (3,000 points ×
 * 16 resolutions against h3-js, ~0.3 s) before the clock starts. The
 * wall-clock time and the process's CPU time (user + system, includes the
 * 2 ms RSS sampler) are both reported, since on a shared machine wall time also
 * counts time spent waiting for a core. The contenders' outputs are compared (counts exactly, means to
 * 1e-9) through an order-independent fingerprint (FNV-1a of each cell id
 * weighted by its count, and the sum of means), which is also the sink. Writes bench/results/grid.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { latLngToCell } from 'h3-js';
import { createRng } from '../src/core/rng.js';
import { binPoints } from '../src/grid/index.js';
import { fastPathStatus } from '../src/grid/h3fast.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const N = Number(process.env['BENCH_POINTS'] ?? 10_000_000);
const SEED = 20260127;
const RESOLUTIONS = [7, 9];

function makePoints(n: number): { lng: Float64Array; lat: Float64Array; v: Float64Array } {
  const rng = createRng(SEED);
  const lng = new Float64Array(n), lat = new Float64Array(n), v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lng[i] = 92 + rng.next() * 18;
    lat[i] = 5 + rng.next() * 20;
    v[i] = rng.logNormal(3, 1);
  }
  return { lng, lat, v };
}

function startSampler(): { stop: () => Promise<number> } {
  const code = `const { parentPort } = require('node:worker_threads');
let peak = 0, on = true;
parentPort.on('message', () => { on = false; parentPort.postMessage(peak); });
(function tick() { if (!on) return; const r = process.memoryUsage.rss(); if (r > peak) peak = r; setTimeout(tick, 2); })();`;
  const w = new Worker(code, { eval: true });
  return {
    stop: () =>
      new Promise<number>((resolve) => {
        w.once('message', (peak: number) => {
          void w.terminate();
          resolve(peak);
        });
        w.postMessage('stop');
      }),
  };
}

interface Run { name: string; res: number; points: number; seconds: number; pointsPerSec: number; cpuSeconds: number; pointsPerCpuSec: number; cells: number; peakBeyondInputMB: number; bytesPerPoint: number; checksum: number; outFile: string }

async function child(name: string, res: number, outFile: string): Promise<void> {
  const pts = makePoints(N);
  // one-time per-process warm-up outside the timing: the fast path's self-check against h3-js (~0.3 s)
  if (name === 'hazetrace') fastPathStatus();
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage.rss();
  const sampler = startSampler();
  await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let cells: string[], count: ArrayLike<number>, mean: ArrayLike<number>;
  if (name === 'hazetrace') {
    const g = binPoints(pts, { res, values: { v: ['mean'] } });
    cells = g.cells;
    count = g.columns.count!;
    mean = g.columns.v_mean!;
  } else {
    const m = new Map<string, { count: number; sum: number }>();
    for (let i = 0; i < N; i++) {
      const c = latLngToCell(pts.lat[i]!, pts.lng[i]!, res);
      const e = m.get(c);
      if (e) {
        e.count++;
        e.sum += pts.v[i]!;
      } else m.set(c, { count: 1, sum: pts.v[i]! });
    }
    cells = [...m.keys()];
    count = cells.map((c) => m.get(c)!.count);
    mean = cells.map((c) => m.get(c)!.sum / m.get(c)!.count);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  const cpuSeconds = (cu.user + cu.system) / 1e6;
  const peak = await sampler.stop();
  // order-independent fingerprint of (cell, count, mean) so the two outputs can be compared
  // without shipping millions of cells between processes: FNV-1a of each cell id
  let sumHashCount = 0, xorHash = 0, meanSum = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    let h = 0x811c9dc5;
    for (let k = 0; k < c.length; k++) h = Math.imul(h ^ c.charCodeAt(k), 0x01000193);
    sumHashCount = (sumHashCount + Math.imul(h, count[i]!)) >>> 0;
    xorHash = (xorHash ^ h) >>> 0;
    meanSum += mean[i]!;
  }
  const checksum = meanSum;
  const run: Run = {
    name, res, points: N, seconds, pointsPerSec: N / seconds, cpuSeconds, pointsPerCpuSec: N / cpuSeconds, cells: cells.length,
    peakBeyondInputMB: (peak - before) / 1e6, bytesPerPoint: (peak - before) / N, checksum, outFile,
  };
  writeFileSync(outFile, JSON.stringify({ run, fingerprint: { cells: cells.length, sumHashCount, xorHash, meanSum } }));
}

async function main(): Promise<void> {
  const [mode, name, res, outFile] = process.argv.slice(2);
  if (mode === '--child') return child(name!, Number(res), outFile!);
  const status = fastPathStatus();
  console.log(`grid-points: ${N.toLocaleString()} seeded points, lng 92–110, lat 5–25; fast path: ${status.report}`);
  const runs: Run[] = [];
  const agreement: Record<string, { cells: number; sameCellsAndCounts: boolean; meanSumRelDiff: number }> = {};
  mkdirSync(join(HERE, 'results'), { recursive: true });
  for (const res of RESOLUTIONS) {
    type Fp = { cells: number; sumHashCount: number; xorHash: number; meanSum: number };
    const outs: Record<string, { run: Run; fingerprint: Fp }> = {};
    for (const name of ['hazetrace', 'baseline']) {
      const outFile = join(HERE, 'results', `.grid-${name}-${res}.tmp.json`);
      const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', name, String(res), outFile], { stdio: 'inherit' });
      if (r.status !== 0 || !existsSync(outFile)) throw new Error(`${name} res ${res} failed`);
      outs[name] = JSON.parse(readFileSync(outFile, 'utf8'));
      spawnSync('rm', ['-f', outFile]);
      const run = outs[name]!.run;
      runs.push(run);
      console.log(`  res ${res} ${name.padEnd(9)} ${run.seconds.toFixed(2)} s wall, ${run.cpuSeconds.toFixed(2)} s CPU  ${(run.pointsPerSec / 1e6).toFixed(2)} M points/s (${(run.pointsPerCpuSec / 1e6).toFixed(2)} per CPU-s)  ${run.cells} cells  peak +${run.peakBeyondInputMB.toFixed(0)} MB (${run.bytesPerPoint.toFixed(1)} B/point beyond input)`);
    }
    const a = outs['hazetrace']!.fingerprint, b = outs['baseline']!.fingerprint;
    const same = a.cells === b.cells && a.sumHashCount === b.sumHashCount && a.xorHash === b.xorHash;
    const rel = Math.abs(a.meanSum - b.meanSum) / Math.abs(b.meanSum);
    agreement[`res${res}`] = { cells: a.cells, sameCellsAndCounts: same, meanSumRelDiff: rel };
    console.log(`  res ${res}: outputs agree: ${same && rel < 1e-9 ? 'yes' : 'NO'} (same cells and counts: ${same}, Σ mean rel. diff ${rel.toExponential(1)})`);
  }
  const pick = (name: string, res: number) => runs.find((r) => r.name === name && r.res === res)!;
  const ratio = (res: number) => pick('hazetrace', res).pointsPerSec / pick('baseline', res).pointsPerSec;
  const cpuRatio = (res: number) => pick('hazetrace', res).pointsPerCpuSec / pick('baseline', res).pointsPerCpuSec;
  const speedRatio = Object.fromEntries(RESOLUTIONS.map((r) => [`res${r}`, ratio(r)]));
  const cpuSpeedRatio = Object.fromEntries(RESOLUTIONS.map((r) => [`res${r}`, cpuRatio(r)]));
  console.log(`  speed ratio hazetrace / baseline (wall): ${RESOLUTIONS.map((r) => `res ${r}: ${ratio(r).toFixed(2)}×`).join(', ')} (target ≥ 4×)`);
  console.log(`  speed ratio hazetrace / baseline (CPU time, robust on a shared machine): ${RESOLUTIONS.map((r) => `res ${r}: ${cpuRatio(r).toFixed(2)}×`).join(', ')}`);
  const out = {
    benchmark: 'grid-points', points: N, seed: SEED, node: process.version, date: new Date().toISOString(),
    baseline: 'h3-js latLngToCell per point + Map<string, {count, sum}>', fastPath: status, speedRatio, cpuSpeedRatio, agreement,
    results: runs.map(({ outFile: _o, ...r }) => r),
  };
  // keep the polygon benchmark's section (bench/grid-polygons.ts writes the same file)
  const file = join(HERE, 'results', 'grid.json');
  const prev = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { polygons?: unknown }) : {};
  writeFileSync(file, JSON.stringify({ ...out, ...(prev.polygons ? { polygons: prev.polygons } : {}) }, null, 2) + '\n');
  console.log('  wrote bench/results/grid.json');
}

void main();
