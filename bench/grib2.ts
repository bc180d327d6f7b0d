/**
 * bench:grib2 — GRIB2 decode speed (MB/s of file) of hazetrace's readGrib2 beside ecCodes (python3-eccodes:
 * codes_get_values on every message) in the same run, interleaved (ours, ecCodes, ours, ...), medians of REPS
 * rounds. Files: 0.25° over South-East Asia (90–125°E, 0–30°N, 141×121 points), 60 GFS-like messages (u, v, w, gh
 * on 5 levels × 3 forecast hours), packed as 5.3 complex + 2nd-order spatial differencing (as GFS), 5.42 CCSDS,
 * 5.40 JPEG 2000 and 5.0 simple; built by `sh scripts/fixtures/make-grib2.sh bench DIR` (run here if missing).
 * The ecCodes side times only its decode loop (interpreter start-up excluded); ours times readGrib2 in-process.
 *
 *   npm run bench:grib2                 # GRIB2_BENCH_REPS=5 by default
 *
 * Writes bench/results/grib2.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGrib2 } from '../src/io/grib2/index.js';

const REPS = Number(process.env.GRIB2_BENCH_REPS ?? 5);
const DIR = process.env.GRIB2_BENCH_DIR ?? join(tmpdir(), 'hazetrace-grib2-bench');
const PACKINGS = ['grid_complex_spatial_differencing', 'grid_ccsds', 'grid_jpeg', 'grid_simple'];
if (!PACKINGS.every((p) => existsSync(join(DIR, `bench_${p}.grib2`)))) {
  mkdirSync(DIR, { recursive: true });
  execFileSync('sh', ['scripts/fixtures/make-grib2.sh', 'bench', DIR], { stdio: 'inherit' });
}
const PY = `
import sys, time, eccodes as ec
path = sys.argv[1]
t0 = time.perf_counter()
n = 0
with open(path, 'rb') as f:
    while True:
        h = ec.codes_grib_new_from_file(f)
        if h is None: break
        v = ec.codes_get_values(h)
        n += len(v)
        ec.codes_release(h)
print(time.perf_counter() - t0, n)
`;
const median = (a: number[]): number => {
  const s = a.slice().sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const results: Record<string, unknown>[] = [];
for (const p of PACKINGS) {
  const path = join(DIR, `bench_${p}.grib2`);
  const bytes = new Uint8Array(readFileSync(path));
  const mb = statSync(path).size / 1e6;
  await readGrib2(bytes); // warm-up (JIT, JPEG 2000 WebAssembly load)
  const ours: number[] = [];
  const ec: number[] = [];
  let values = 0;
  let ecValues = 0;
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    const { messages } = await readGrib2(bytes);
    ours.push((performance.now() - t0) / 1000);
    values = messages.reduce((s, m) => s + m.values.length, 0);
    const out = execFileSync('/usr/bin/python3', ['-c', PY, path], { encoding: 'utf8' }).trim().split(/\s+/);
    ec.push(Number(out[0]));
    ecValues = Number(out[1]);
  }
  if (values !== ecValues) throw new Error(`${p}: decoded ${values} values, ecCodes ${ecValues}`);
  const row = {
    packing: p,
    fileMB: Number(mb.toFixed(3)),
    messages: (await readGrib2(bytes)).messages.length,
    values,
    oursSeconds: Number(median(ours).toFixed(4)),
    ecCodesSeconds: Number(median(ec).toFixed(4)),
    oursMBps: Number((mb / median(ours)).toFixed(2)),
    ecCodesMBps: Number((mb / median(ec)).toFixed(2)),
    ratio: Number((median(ec) / median(ours)).toFixed(3)),
    oursMValuesPerS: Number((values / median(ours) / 1e6).toFixed(2)),
  };
  results.push(row);
  console.log(row);
}
const json = {
  bench: 'grib2',
  command: 'npm run bench:grib2',
  reps: REPS,
  reference: 'python3-eccodes (Debian), codes_get_values per message, decode loop timed in-process',
  node: process.version,
  cpus: availableParallelism(),
  loadavg: loadavg(),
  date: new Date().toISOString(),
  target: 'ratio (ecCodes time / ours) >= 0.5',
  results,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/grib2.json', JSON.stringify(json, null, 2) + '\n');
