/**
 * FIRMS CSV parse benchmark: hazetrace's `readFirmsCsv` against the baseline d3-dsv `csvParse` +
 * per-row conversion into the same columnar Hotspots, on seeded synthetic MODIS rows.
 *
 *   npm run bench:io                      # 1,000,000 rows
 *   BENCH_ROWS=100000 npm run bench:io    # smaller, for development
 *
 * Each contender runs in its own child process so its peak memory is its own: a worker thread samples
 * the process RSS every 2 ms during the parse (RSS is process-wide, so the worker sees the parser's
 * allocations), and `process.memoryUsage().arrayBuffers` is read right after. The input text is
 * generated before the measurement starts and is included in both peaks (it is what a caller holds).
 * Prints rows/s, MB/s, peak memory and the speed ratio; writes bench/results/io.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { csvParse } from 'd3-dsv';
import { createRng } from '../src/core/rng.js';
import { firmsTime } from '../src/core/time.js';
import type { Hotspots } from '../src/core/types.js';
import { readFirmsCsv } from '../src/io/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const SEED = 20250422;
const HEADER = 'latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight,snapshot_id';

/** Seeded synthetic MODIS rows shaped like the real NRT files (Thailand region, burning season). */
function makeCsv(rows: number): string {
  const rng = createRng(SEED);
  // Written into one byte buffer and decoded once, so the text is a single flat string and generating
  // it leaves little garbage behind to inflate the measured RSS.
  const buf = Buffer.allocUnsafe(rows * 110 + 200);
  let off = buf.write(HEADER + '\n', 0, 'latin1');
  for (let i = 0; i < rows; i++) {
    const lat = (5 + rng.next() * 20).toFixed(4);
    const lng = (92 + rng.next() * 18).toFixed(4);
    const bright = (300 + rng.next() * 150).toFixed(1);
    const scan = (1 + rng.next() * 3).toFixed(1);
    const track = (1 + rng.next() * 1.5).toFixed(1);
    const day = 1 + rng.int(28);
    const hh = rng.int(24);
    const mm = rng.int(60);
    const sat = rng.next() < 0.5 ? 'T' : 'A';
    const conf = rng.int(101);
    const b31 = (280 + rng.next() * 30).toFixed(1);
    const frp = (rng.logNormal(2, 1.2)).toFixed(1);
    const dn = hh >= 12 ? 'N' : 'D';
    off += buf.write(`${lat},${lng},${bright},${scan},${track},2025-03-${String(day).padStart(2, '0')},${String(hh).padStart(2, '0')}${String(mm).padStart(2, '0')},${sat},${conf},6.1NRT,${b31},${frp},${dn},S${1 + (i % 8)}\n`, off, 'latin1');
  }
  return buf.toString('latin1', 0, off);
}

/** Baseline: d3-dsv csvParse (an object per row), then per-row conversion into the same columns. */
function baseline(text: string): Hotspots {
  const rows = csvParse(text);
  const n = rows.length;
  const h: Hotspots = {
    length: n,
    lng: new Float64Array(n), lat: new Float64Array(n), time: new Float64Array(n), frp: new Float64Array(n),
    brightness: new Float64Array(n), brightness2: new Float64Array(n), scan: new Float64Array(n), track: new Float64Array(n),
    confidence: new Array<string>(n), confidenceNorm: new Float64Array(n), satellite: new Array<string>(n),
    instrument: new Array<'MODIS' | 'VIIRS'>(n), daynight: new Array<string>(n), version: new Array<string>(n),
    extra: { snapshot_id: new Array<string>(n) },
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    h.lat[i] = Number(r['latitude']);
    h.lng[i] = Number(r['longitude']);
    h.time[i] = firmsTime(r['acq_date']!, r['acq_time']!);
    h.frp[i] = Number(r['frp']);
    h.brightness[i] = Number(r['brightness']);
    h.brightness2[i] = Number(r['bright_t31']);
    h.scan[i] = Number(r['scan']);
    h.track[i] = Number(r['track']);
    h.confidence[i] = r['confidence']!;
    h.confidenceNorm[i] = Number(r['confidence']);
    h.satellite[i] = r['satellite']!;
    h.instrument[i] = 'MODIS';
    h.daynight[i] = r['daynight']!;
    h.version[i] = r['version']!;
    h.extra['snapshot_id']![i] = r['snapshot_id']!;
  }
  return h;
}

function checksum(h: Hotspots): number {
  let s = 0;
  for (let i = 0; i < h.length; i++) s += h.frp[i]! + h.lat[i]! + h.time[i]! / 1e9 + h.confidenceNorm[i]!;
  return s;
}

interface PhaseResult {
  name: string;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSec: number;
  mbPerSec: number;
  peakRssMB: number;
  rssBeforeMB: number;
  arrayBuffersAfterMB: number;
  checksum: number;
}

async function runPhase(name: 'hazetrace' | 'd3-dsv'): Promise<PhaseResult> {
  const text = makeCsv(ROWS);
  const parse = name === 'hazetrace' ? (t: string) => readFirmsCsv(t).hotspots : baseline;
  parse(makeCsv(2000)); // warm up the JIT on a small input
  (globalThis as { gc?: () => void }).gc?.();
  const shared = new Float64Array(new SharedArrayBuffer(16));
  const sampler = new Worker(
    `const { workerData } = require('node:worker_threads');
     const a = new Float64Array(workerData);
     setInterval(() => { const r = process.memoryUsage.rss(); if (r > a[0]) a[0] = r; }, 2);`,
    { eval: true, workerData: shared.buffer },
  );
  await new Promise((r) => setTimeout(r, 50));
  const rssBefore = process.memoryUsage.rss();
  shared[0] = rssBefore;
  const t0 = performance.now();
  const h = parse(text);
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 20));
  const arrayBuffers = process.memoryUsage().arrayBuffers;
  const peak = Math.max(shared[0]!, process.memoryUsage.rss());
  await sampler.terminate();
  if (h.length !== ROWS) throw new Error(`${name} parsed ${h.length} rows, expected ${ROWS}`);
  const bytes = Buffer.byteLength(text);
  return {
    name, rows: h.length, bytes, seconds,
    rowsPerSec: h.length / seconds, mbPerSec: bytes / 1e6 / seconds,
    peakRssMB: peak / 1e6, rssBeforeMB: rssBefore / 1e6, arrayBuffersAfterMB: arrayBuffers / 1e6,
    checksum: checksum(h),
  };
}

async function main(): Promise<void> {
  const phaseArg = process.argv.indexOf('--phase');
  if (phaseArg !== -1) {
    const r = await runPhase(process.argv[phaseArg + 1] as 'hazetrace' | 'd3-dsv');
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const results: PhaseResult[] = [];
  for (const name of ['hazetrace', 'd3-dsv'] as const) {
    const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--phase', name], {
      encoding: 'utf8',
      env: process.env,
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`${name} phase failed: ${child.stderr}`);
    results.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as PhaseResult);
  }
  const [ours, base] = results as [PhaseResult, PhaseResult];
  if (Math.abs(ours.checksum - base.checksum) > 1e-6 * Math.abs(base.checksum)) throw new Error(`checksums differ: ${ours.checksum} vs ${base.checksum}`);
  const ratio = ours.rowsPerSec / base.rowsPerSec;
  console.log(`FIRMS CSV parse, ${ROWS.toLocaleString('en')} seeded synthetic MODIS rows (${(ours.bytes / 1e6).toFixed(1)} MB), seed ${SEED}`);
  console.log('contender                         rows/s        MB/s   seconds   peak RSS MB   (RSS before)   arrayBuffers after MB');
  for (const r of results) {
    const label = r.name === 'hazetrace' ? 'hazetrace readFirmsCsv' : 'baseline d3-dsv csvParse + rows';
    console.log(`${label.padEnd(32)} ${r.rowsPerSec.toFixed(0).padStart(10)} ${r.mbPerSec.toFixed(1).padStart(10)} ${r.seconds.toFixed(2).padStart(9)} ${r.peakRssMB.toFixed(0).padStart(13)} ${('(' + r.rssBeforeMB.toFixed(0) + ')').padStart(14)} ${r.arrayBuffersAfterMB.toFixed(0).padStart(23)}`);
  }
  console.log(`speed ratio hazetrace / d3-dsv baseline: ${ratio.toFixed(2)}x; hazetrace peak RSS ${ours.peakRssMB.toFixed(0)} MB (target < 300 MB, >= 1.00x)`);
  const out = join(HERE, 'results', 'io.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify({ benchmark: 'firms-parse', rows: ROWS, seed: SEED, node: process.version, date: new Date().toISOString(), baseline: 'd3-dsv csvParse + per-row conversion', speedRatio: ratio, results }, null, 2) + '\n',
  );
  console.log(`wrote ${out}`);
}

await main();
