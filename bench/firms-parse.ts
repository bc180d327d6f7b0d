/**
 * FIRMS CSV parse benchmark: hazetrace's `readFirmsCsv` against the baseline d3-dsv `csvParse` +
 * per-row conversion into the same columnar Hotspots, on seeded synthetic MODIS rows (createRng).
 *
 *   npm run bench:io                      # builds, then 1,000,000 rows
 *   BENCH_ROWS=100000 npm run bench:io    # smaller, for development
 *
 * Each contender runs in its own child process (bench/firms-parse-child.mjs, plain Node on dist/) so
 * its peak memory is its own: a worker thread samples process RSS every 2 ms during the parse, and
 * `process.memoryUsage().arrayBuffers` is read right after. The input text (a flat string, what a
 * caller holds) is generated before measuring and is included in both peaks. Prints rows/s, MB/s,
 * peak memory and the speed ratio, checks both produced the same columns (checksum), and writes
 * bench/results/io.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const SEED = 20250422;

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

const built = join(ROOT, 'dist/io/firms.js');
if (!existsSync(built) || statSync(built).mtimeMs < statSync(join(ROOT, 'src/io/firms.ts')).mtimeMs) {
  throw new Error('dist/ is missing or older than src/io/firms.ts: run `npm run build` first (npm run bench:io does)');
}

const results: PhaseResult[] = [];
for (const name of ['hazetrace', 'd3-dsv'] as const) {
  const child = spawnSync(process.execPath, ['--expose-gc', join(HERE, 'firms-parse-child.mjs'), name, String(ROWS), String(SEED)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`${name} phase failed: ${child.stderr}`);
  results.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as PhaseResult);
}
const [ours, base] = results as [PhaseResult, PhaseResult];
if (Math.abs(ours.checksum - base.checksum) > 1e-9 * Math.abs(base.checksum)) throw new Error(`checksums differ: ${ours.checksum} vs ${base.checksum}`);
const ratio = ours.rowsPerSec / base.rowsPerSec;
console.log(`FIRMS CSV parse, ${ROWS.toLocaleString('en')} seeded synthetic MODIS rows (${(ours.bytes / 1e6).toFixed(1)} MB), seed ${SEED}, ${process.version}`);
console.log('contender                            rows/s      MB/s   seconds   peak RSS MB  (RSS before)  arrayBuffers after MB');
for (const r of results) {
  const label = r.name === 'hazetrace' ? 'hazetrace readFirmsCsv' : 'baseline d3-dsv csvParse + rows';
  console.log(
    `${label.padEnd(32)} ${r.rowsPerSec.toFixed(0).padStart(10)} ${r.mbPerSec.toFixed(1).padStart(9)} ${r.seconds.toFixed(2).padStart(9)} ${r.peakRssMB.toFixed(0).padStart(13)} ${('(' + r.rssBeforeMB.toFixed(0) + ')').padStart(13)} ${r.arrayBuffersAfterMB.toFixed(0).padStart(22)}`,
  );
}
console.log(`speed ratio hazetrace / baseline: ${ratio.toFixed(2)}x (target >= 1); hazetrace peak RSS ${ours.peakRssMB.toFixed(0)} MB (target < 300 MB); same columns: checksum ${ours.checksum.toExponential(6)}`);
const out = join(HERE, 'results', 'io.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    { benchmark: 'firms-parse', command: 'npm run bench:io', rows: ROWS, seed: SEED, node: process.version, date: new Date().toISOString(), baseline: 'd3-dsv csvParse + per-row conversion', speedRatio: ratio, targets: { speedRatioAtLeast: 1, peakRssMBBelow: 300 }, results },
    null,
    2,
  ) + '\n',
);
console.log(`wrote ${out}`);
