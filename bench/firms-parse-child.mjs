// One measured contender of bench/firms-parse.ts, run in plain Node on the built library (dist/) so the
// measured process holds only Node, the input text and the parser — no TypeScript loader (tsx adds
// ~40 MB of RSS that a library user's process would not have).
// Usage (the driver does this): node --expose-gc bench/firms-parse-child.mjs <hazetrace|d3-dsv> <rows> <seed>
import { Worker } from 'node:worker_threads';
import { csvParse } from 'd3-dsv';
import { createRng } from '../dist/core/rng.js';
import { firmsTime } from '../dist/core/time.js';
// The FIRMS reader module itself: importing all of hazetrace/io would also load h3-js (its Emscripten
// heap alone is ~34 MB of ArrayBuffer), apache-arrow and geotiff — module set-up, not parsing cost.
import { readFirmsCsv } from '../dist/io/firms.js';

const [name, rowsArg, seedArg] = process.argv.slice(2);
const ROWS = Number(rowsArg);
const SEED = Number(seedArg);
const HEADER = 'latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight,snapshot_id';

/** Seeded synthetic MODIS rows shaped like the real NRT files (Thailand region, burning season). */
export function makeCsv(rows, seed) {
  const rng = createRng(seed);
  // Written into one byte buffer and decoded once: a single flat string, little garbage left behind.
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
    const frp = rng.logNormal(2, 1.2).toFixed(1);
    const dn = hh >= 12 ? 'N' : 'D';
    off += buf.write(
      `${lat},${lng},${bright},${scan},${track},2025-03-${String(day).padStart(2, '0')},${String(hh).padStart(2, '0')}${String(mm).padStart(2, '0')},${sat},${conf},6.1NRT,${b31},${frp},${dn},S${1 + (i % 8)}\n`,
      off,
      'latin1',
    );
  }
  return buf.toString('latin1', 0, off);
}

/** Baseline: d3-dsv csvParse (an object per row), then per-row conversion into the same Hotspots columns. */
function baseline(text) {
  const rows = csvParse(text);
  const n = rows.length;
  const h = {
    length: n,
    lng: new Float64Array(n), lat: new Float64Array(n), time: new Float64Array(n), frp: new Float64Array(n),
    brightness: new Float64Array(n), brightness2: new Float64Array(n), scan: new Float64Array(n), track: new Float64Array(n),
    confidence: new Array(n), confidenceNorm: new Float64Array(n), satellite: new Array(n),
    instrument: new Array(n), daynight: new Array(n), version: new Array(n), extra: { snapshot_id: new Array(n) },
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    h.lat[i] = Number(r.latitude);
    h.lng[i] = Number(r.longitude);
    h.time[i] = firmsTime(r.acq_date, r.acq_time);
    h.frp[i] = Number(r.frp);
    h.brightness[i] = Number(r.brightness);
    h.brightness2[i] = Number(r.bright_t31);
    h.scan[i] = Number(r.scan);
    h.track[i] = Number(r.track);
    h.confidence[i] = r.confidence;
    h.confidenceNorm[i] = Number(r.confidence);
    h.satellite[i] = r.satellite;
    h.instrument[i] = 'MODIS';
    h.daynight[i] = r.daynight;
    h.version[i] = r.version;
    h.extra.snapshot_id[i] = r.snapshot_id;
  }
  return h;
}

/** A sink over every column so neither contender's work can be skipped, and both can be compared. */
function checksum(h) {
  let s = 0;
  for (let i = 0; i < h.length; i++) s += h.frp[i] + h.lat[i] + h.lng[i] + h.time[i] / 1e9 + h.confidenceNorm[i] + h.brightness[i] + h.brightness2[i] + h.scan[i] + h.track[i];
  let t = 0;
  for (let i = 0; i < h.length; i += 997) t += h.satellite[i].length + h.daynight[i].charCodeAt(0) + h.extra.snapshot_id[i].charCodeAt(1) + h.version[i].length + h.confidence[i].length;
  return s + t;
}

const parse = name === 'hazetrace' ? (t) => readFirmsCsv(t).hotspots : baseline;
parse(makeCsv(2000, SEED + 1)); // warm the JIT on a small input
const text = makeCsv(ROWS, SEED);
globalThis.gc?.();
const shared = new Float64Array(new SharedArrayBuffer(8));
// RSS is process-wide, so a worker thread can sample it while the main thread parses synchronously.
const sampler = new Worker(
  `const { workerData } = require('node:worker_threads');
   const a = new Float64Array(workerData);
   setInterval(() => { const r = process.memoryUsage.rss(); if (r > a[0]) a[0] = r; }, 2);`,
  { eval: true, workerData: shared.buffer },
);
await new Promise((r) => setTimeout(r, 100));
const rssBefore = process.memoryUsage.rss();
shared[0] = rssBefore;
const t0 = performance.now();
const h = parse(text);
const seconds = (performance.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, 20));
const arrayBuffers = process.memoryUsage().arrayBuffers;
const peak = Math.max(shared[0], process.memoryUsage.rss());
await sampler.terminate();
if (h.length !== ROWS) throw new Error(`${name} parsed ${h.length} rows, expected ${ROWS}`);
const bytes = Buffer.byteLength(text, 'latin1');
process.stdout.write(
  JSON.stringify({
    name, rows: h.length, bytes, seconds,
    rowsPerSec: h.length / seconds, mbPerSec: bytes / 1e6 / seconds,
    peakRssMB: peak / 1e6, rssBeforeMB: rssBefore / 1e6, arrayBuffersAfterMB: arrayBuffers / 1e6,
    checksum: checksum(h),
  }) + '\n',
);
