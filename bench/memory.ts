/**
 * Peak memory of the CLI on the runs that used to die (issue 17 item 5): `risk --res 9` (and 11) on the
 * embedded hotspot history, and `grid --res 9` on a generated, seeded 2.9 M-row FIRMS file, each through
 * the BUILT CLI in its own child process, with and without --out. Each run must finish, or refuse with
 * E_BUDGET (exit 2) before allocating, within 4 GB; the peak resident set size is the child's `VmHWM` at exit
 * (its own peak: a forked child's `maxRSS` carries its parent's, docs/batch.md; `maxRSS` off Linux), and
 * /usr/bin/time -v's "Maximum resident set size" when that tool exists (which has the same parent bias).
 *
 *   npm run build && npm run bench:memory
 *   BENCH_ROWS=500000 npm run bench:memory     # smaller FIRMS file, for development
 *
 * The FIRMS file (~290 MB) is written once to $TMPDIR/hazetrace-bench/ and reused. Not part of `npm test`.
 * Writes bench/results/memory.json.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const ROWS = Number(process.env['BENCH_ROWS'] ?? 2_900_000);
const SEED = 1;
const LIMIT_MB = 4096;

if (!existsSync(MAIN)) {
  console.error('bench:memory needs the built CLI: run `npm run build` first');
  process.exit(2);
}

/** mulberry32: a small seeded generator, so the file is the same on every machine. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A FIRMS-style CSV of `rows` detections over mainland South-East Asia, 2020–2025 dry seasons (seeded). */
async function firmsFile(rows: number): Promise<string> {
  const dir = join(tmpdir(), 'hazetrace-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `firms_${rows}_seed${SEED}.csv`);
  const done = `${path}.done`;
  if (existsSync(path) && existsSync(done) && readFileSync(done, 'utf8') === String(statSync(path).size)) return path;
  const r = rng(SEED);
  const out = createWriteStream(path);
  const write = (s: string): Promise<void> => new Promise((ok) => (out.write(s) ? ok() : out.once('drain', ok)));
  await write('latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const year = 2020 + Math.floor(r() * 6);
    const month = 1 + Math.floor(r() * 4);
    const day = 1 + Math.floor(r() * 28);
    const hhmm = String(Math.floor(r() * 24)).padStart(2, '0') + String(Math.floor(r() * 60)).padStart(2, '0');
    buf += `${(10 + 12 * r()).toFixed(4)},${(96 + 10 * r()).toFixed(4)},${(300 + 60 * r()).toFixed(1)},1.0,1.0,${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')},${hhmm},${r() < 0.5 ? 'T' : 'A'},${Math.floor(r() * 100)},6.1NRT,${(280 + 20 * r()).toFixed(1)},${(0.5 + 200 * r() * r()).toFixed(1)},D\n`;
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  await new Promise<void>((ok) => out.end(ok));
  writeFileSync(done, String(statSync(path).size));
  return path;
}

interface Run {
  name: string;
  args: string[];
  exitCode: number | null;
  outcome: 'finished' | 'refused (E_BUDGET)' | 'failed';
  maxRssMB: number | null;
  timeMaxRssMB: number | null;
  seconds: number;
  withinLimit: boolean;
  stdoutBytes: number;
  stderrTail: string;
}

const hookDir = mkdtempSync(join(tmpdir(), 'hazetrace-memhook-'));
const hook = join(hookDir, 'hook.mjs');
// The child's own peak in kB: VmHWM (a forked child's maxRSS carries its parent's peak; docs/batch.md), else maxRSS.
writeFileSync(hook, "import { readFileSync, writeFileSync } from 'node:fs';\nprocess.on('exit', () => { try { let kb = process.resourceUsage().maxRSS; try { const m = /^VmHWM:\\s*(\\d+)/m.exec(readFileSync('/proc/self/status', 'utf8')); if (m) kb = Number(m[1]); } catch {} writeFileSync(process.env.HZ_RSS_FILE, String(kb)); } catch {} });\n");
const haveTime = existsSync('/usr/bin/time');

function measure(name: string, args: string[]): Run {
  const rssFile = join(hookDir, `${name.replace(/\W+/g, '_')}.rss`);
  rmSync(rssFile, { force: true });
  const node = [process.execPath, '--import', hook, MAIN, ...args];
  const cmd = haveTime ? '/usr/bin/time' : node[0]!;
  const argv = haveTime ? ['-v', ...node] : node.slice(1);
  const t0 = process.hrtime.bigint();
  const p = spawnSync(cmd, argv, { cwd: ROOT, env: { ...process.env, HZ_RSS_FILE: rssFile }, maxBuffer: 1 << 30, encoding: 'buffer' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const stderr = p.stderr.toString('utf8');
  const timeRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const statusLine = /Exit status: (\d+)/.exec(stderr);
  const exitCode = haveTime && statusLine ? Number(statusLine[1]) : p.status;
  const maxRssMB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : null;
  const timeMaxRssMB = timeRss ? Number(timeRss[1]) / 1024 : null;
  const peak = Math.max(maxRssMB ?? 0, timeMaxRssMB ?? 0);
  const ownStderr = stderr.split('\n').filter((l) => !/^\t|^\s*Command being timed/.test(l)).join('\n').trim();
  const outcome = exitCode === 0 ? 'finished' : exitCode === 2 && /E_BUDGET/.test(ownStderr) ? 'refused (E_BUDGET)' : 'failed';
  return { name, args, exitCode, outcome, maxRssMB, timeMaxRssMB, seconds, withinLimit: outcome !== 'failed' && peak <= LIMIT_MB, stdoutBytes: p.stdout.length, stderrTail: ownStderr.slice(-400) };
}

const firms = await firmsFile(ROWS);
console.log(`FIRMS file: ${firms} (${ROWS.toLocaleString('en-US')} rows, ${(statSync(firms).size / 1e6).toFixed(0)} MB, seed ${SEED})`);
const outRoot = mkdtempSync(join(tmpdir(), 'hazetrace-memout-'));
const HIST = ['--hotspots', 'data/firms_modis_th_region.csv', '--areas', 'data/th_districts_north_simplified.geojson', '--id-property', 'amp_code', '--name-property', 'amp_en'];
const plan: [string, string[]][] = [
  ['risk --res 9 (embedded history, no --out)', ['risk', ...HIST, '--res', '9']],
  ['risk --res 9 (embedded history, --out)', ['risk', ...HIST, '--res', '9', '--out', join(outRoot, 'risk9')]],
  ['risk --res 11 (embedded history, no --out)', ['risk', ...HIST, '--res', '11']],
  [`grid --res 9 (${ROWS} rows, no --out)`, ['grid', '--hotspots', firms, '--res', '9']],
  [`grid --res 9 (${ROWS} rows, --out)`, ['grid', '--hotspots', firms, '--res', '9', '--out', join(outRoot, 'grid9')]],
  [`grid --res 9 (${ROWS} rows, --json > pipe)`, ['grid', '--hotspots', firms, '--res', '9', '--json']],
];
const runs: Run[] = [];
for (const [name, args] of plan) {
  const r = measure(name, args);
  runs.push(r);
  const rss = [r.maxRssMB, r.timeMaxRssMB].filter((x): x is number => x !== null).map((x) => x.toFixed(0));
  console.log(`${r.withinLimit ? 'ok  ' : 'FAIL'} ${name}: ${r.outcome} (exit ${r.exitCode}) in ${r.seconds.toFixed(1)} s, peak RSS ${rss.join(' / ')} MB${r.outcome === 'failed' ? `\n     ${r.stderrTail.split('\n').slice(-3).join('\n     ')}` : ''}`);
}
rmSync(outRoot, { recursive: true, force: true });
rmSync(hookDir, { recursive: true, force: true });

const result = {
  benchmark: 'memory',
  command: 'npm run build && npm run bench:memory',
  node: process.version,
  date: new Date().toISOString(),
  rows: ROWS,
  seed: SEED,
  limitMB: LIMIT_MB,
  peakMeasure: haveTime ? 'child VmHWM at exit (maxRSS off Linux) and /usr/bin/time -v' : 'child VmHWM at exit (maxRSS off Linux)',
  allWithinLimit: runs.every((r) => r.withinLimit),
  runs,
};
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'memory.json'), JSON.stringify(result, null, 1) + '\n');
console.log(`${result.allWithinLimit ? 'all runs within' : 'NOT all runs within'} ${LIMIT_MB} MB; wrote bench/results/memory.json`);
if (!result.allWithinLimit) process.exitCode = 1;
