/**
 * bench:scale — a season / region run on the batch queue (docs/batch.md, "Measured"): a seeded synthetic region
 * made with hazetrace/sim's public API (scenario, dispersion, observations, perturbed wind as NetCDF) and written as
 * the files `hazetrace batch plan` reads, then `batch plan`, N worker processes (`batch worker`), `batch run`,
 * `batch merge` through the BUILT CLI against a real redis-server this script starts on a loopback port.
 *
 * Sizes, in station-months of the embedded 2025 season (15 PCD stations × 6 months, Jan–Jun = 90):
 *   10×  75 synthetic stations × 12 months (900)    1 worker vs 2 workers, interleaved rounds
 *   40× 150 synthetic stations × 24 months (3,600)  2 workers (1 worker too when BENCH_SCALE_FULL=1)
 *   season 1× / 2× / 4×: 15 stations × 6 / 12 / 24 months, 1 worker — peak RSS as the season grows, with the
 *   NetCDF3 wind read per window of days (`--wind-read window`, the default) and whole (`--wind-read whole`, as before),
 *   interleaved; each run records the most wind frames one window held.
 * Per run: wall time of `batch run` (queue → last marker), each worker's CPU seconds and peak RSS (`processUsage()`:
 * VmHWM, written by `batch worker --stats` after each unit), the plan's peak RSS (`batch plan --json`), units, episodes, trajectory points, output
 * bytes per table (Parquet partitions), os.loadavg() before and after.
 *
 *   npm run bench:scale                      # builds, then runs everything (~25 min on a quiet 2-core machine)
 *   BENCH_SCALE_ONLY=10x npm run bench:scale # one size (10x, 40x, season)
 *   BENCH_SCALE_ROUNDS=2                     # rounds of the 1-vs-2-worker comparison (default 2)
 *   BENCH_SCALE_SEASON_WIND=window           # season sizes with one wind reading only (window or whole; default both)
 *   BENCH_SCALE_SEASON_ROUNDS=3              # runs of each season size (default 1)
 *   BENCH_SCALE_SEASON_HOTSPOTS=10           # season sizes with each detection written 10 times (jittered by
 *                                            # 0.001° steps): a real season's detection density; results in
 *                                            # `seasonDense` (default 1: `season`)
 *   BENCH_SCALE_BASELINE=/old/dist/cli/main.js BENCH_SCALE_BASELINE_LABEL=e45a393
 *                                            # season sizes also through another build's CLI, interleaved
 *   BENCH_SCALE_RECYCLE=31:8                 # season sizes also planned in units of 31 days and run by a worker
 *                                            # that restarts every 8 units (`batch plan --unit-days 31`,
 *                                            # `batch worker --units-per-process 8`), interleaved with the
 *                                            # long-lived worker on whole-season units; results in
 *                                            # `seasonRecycle_31d_8u` (days, units per process)
 *
 * The region is generated once into $TMPDIR/hazetrace-scale/ and reused. Not part of `npm test`.
 * Writes bench/results/scale.json.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { startRedis } from '../test/integration/redis.js';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COUNTRY_RINGS, buildScenario, countryOf, observe, perturbWind, runDispersion, windToNetcdf, type WindArrays } from '../dist/sim/index.js';
import { griddedWind } from '../dist/wind/index.js';
import { createRng, toIsoUtc } from '../dist/core/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const WORK = join(tmpdir(), 'hazetrace-scale');
const ONLY = process.env['BENCH_SCALE_ONLY'];
const ROUNDS = Number(process.env['BENCH_SCALE_ROUNDS'] ?? 2);
const FULL = process.env['BENCH_SCALE_FULL'] === '1';
/** Runs of each season size and wind reading (peak RSS moves by ±20 MB with GC timing: take the median). */
const SEASON_ROUNDS = Number(process.env['BENCH_SCALE_SEASON_ROUNDS'] ?? 1);
/** Copies of each detection in the season sizes' FIRMS files (1: as generated). */
const SEASON_HOTSPOTS = Number(process.env['BENCH_SCALE_SEASON_HOTSPOTS'] ?? 1);
/** A baseline build's CLI run beside the current one on the season sizes (A/B in the same run), and its label. */
const BASELINE = process.env['BENCH_SCALE_BASELINE'];
const BASELINE_LABEL = process.env['BENCH_SCALE_BASELINE_LABEL'] ?? 'baseline';
/** Units of this many days run by a worker that restarts every so many units (`unitDays:unitsPerProcess`). */
const RECYCLE = process.env['BENCH_SCALE_RECYCLE']?.split(':').map(Number) as [number, number] | undefined;
if (RECYCLE && !(RECYCLE.length === 2 && RECYCLE.every((x) => Number.isInteger(x) && x >= 1))) throw new Error('BENCH_SCALE_RECYCLE must be unitDays:unitsPerProcess, e.g. 31:8');
/** Synthetic monitors of the region, and its years (each month one scenario, see simulateMonth). */
const MONITORS = 150;
const YEARS = [2025, 2026];
/** Particles per hour of the forward dispersion that makes the PM2.5 (sim default 3,000: too slow for two years). */
const PARTICLES_PER_HOUR = 100;

if (!existsSync(MAIN)) {
  console.error('bench:scale needs the built CLI: run `npm run build` first');
  process.exit(2);
}
if (spawnSync('redis-server', ['--version']).status !== 0) {
  console.error('bench:scale needs redis-server (Debian: apt-get install redis-server)');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------------------
// The synthetic region (hazetrace/sim's public API; files as `hazetrace attribute` / `batch plan` read them).

interface MonthData {
  monitors: [string, number, number][];
  hotspots: string[]; // CSV rows (no header), UTC acq_date/acq_time
  pm25: string[]; // CSV rows station_id,date_local,time_local,pm25_ugm3 (local, hour-ending)
  wind: WindArrays;
}

const HOTSPOT_HEADER = 'latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_t31,frp,daynight';
const PM_HEADER = 'station_id,date_local,time_local,pm25_ugm3';

/** Monitors over Thailand's part of the sim domain (seeded), the 15 first ones spread like a provincial network. */
function regionMonitors(n: number): [string, number, number][] {
  const r = createRng(2025);
  const out: [string, number, number][] = [];
  while (out.length < n) {
    const lng = 97.3 + 5.4 * r.next();
    const lat = 16.4 + 6.0 * r.next();
    if (countryOf(lng, lat) === 'THA') out.push([`s${String(out.length).padStart(3, '0')}`, Math.round(lng * 1e4) / 1e4, Math.round(lat * 1e4) / 1e4]);
  }
  return out;
}

/**
 * One month of the region: a scenario (the sim runs at most 60 days) started 3 days before the month so the smoke
 * has spun up, of which only the month's hotspots, PM2.5 hours and wind hours are kept. Seed = year × 100 + month.
 */
function simulateMonth(year: number, month: number, monitors: [string, number, number][]): MonthData {
  const t0 = performance.now();
  const m0 = Date.UTC(year, month, 1);
  const m1 = Date.UTC(year, month + 1, 1);
  const SPIN = 72;
  const start = m0 - SPIN * 3_600_000;
  const sc = buildScenario({ name: `scale-${year}-${month + 1}`, seed: year * 100 + month + 1, start: new Date(start).toISOString().replace('.000', ''), hours: (m1 - start) / 3_600_000, monitors });
  const disp = runDispersion(sc, griddedWind(sc.wind), { particlesPerHour: PARTICLES_PER_HOUR });
  const obs = observe(sc, disp);
  const full = perturbWind(sc.wind, sc.config.observation, sc.config.seed);
  const k0 = full.times.findIndex((t) => t >= m0);
  const k1 = full.times.findIndex((t) => t >= m1);
  const cells = full.nx * full.ny;
  const end = k1 < 0 ? full.times.length : k1;
  const wind: WindArrays = { ...full, times: full.times.slice(k0, end), u: full.u.slice(k0 * cells, end * cells), v: full.v.slice(k0 * cells, end * cells) };
  const h = obs.hotspots;
  const hotspots: string[] = [];
  for (let i = 0; i < h.length; i++) {
    if (!(h.time[i]! >= m0 && h.time[i]! < m1)) continue;
    const iso = toIsoUtc(h.time[i]!);
    hotspots.push([h.lat[i]!.toFixed(5), h.lng[i]!.toFixed(5), h.brightness[i], h.scan[i], h.track[i], iso.slice(0, 10), iso.slice(11, 13) + iso.slice(14, 16), h.satellite[i], h.instrument[i], h.confidence[i], h.version[i], h.brightness2[i], h.frp[i], h.daynight[i]].map((x) => (typeof x === 'number' && !Number.isFinite(x) ? '' : String(x))).join(','));
  }
  const s = obs.series;
  const pm = s.values['pm25_ugm3']!;
  const toEnd = s.timeBasis === 'hour-start' ? 3_600_000 : 0;
  const off = sc.config.utcOffset * 60_000;
  const pm25: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (!(s.time[i]! >= m0 && s.time[i]! < m1)) continue;
    const iso = toIsoUtc(s.time[i]! + toEnd + off);
    pm25.push(`${s.station[i]},${iso.slice(0, 10)},${iso.slice(11, 16)},${Number.isFinite(pm[i]!) ? pm[i] : ''}`);
  }
  console.error(`  simulated ${year}-${String(month + 1).padStart(2, '0')}: ${monitors.length} monitors, ${hotspots.length} detections, ${pm25.length} PM2.5 rows, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { monitors, hotspots, pm25, wind };
}

/** The region's months, cached under WORK/region (seeded: the same on every machine). */
function region(): { monitors: [string, number, number][]; months: { hotspots: string[]; pm25: string[]; wind: WindArrays; start: number }[] } {
  const dir = join(WORK, `region-m${MONITORS}-p${PARTICLES_PER_HOUR}`);
  mkdirSync(dir, { recursive: true });
  const monitors = regionMonitors(MONITORS);
  const months: { hotspots: string[]; pm25: string[]; wind: WindArrays; start: number }[] = [];
  for (const y of YEARS) {
    for (let mo = 0; mo < 12; mo++) {
      const f = (n: string): string => join(dir, `${y}-${String(mo + 1).padStart(2, '0')}-${n}`);
      if (!existsSync(f('done'))) {
        const d = simulateMonth(y, mo, monitors);
        writeFileSync(f('hotspots.csv'), d.hotspots.join('\n'));
        writeFileSync(f('pm25.csv'), d.pm25.join('\n'));
        const w = d.wind;
        writeFileSync(f('wind.json'), JSON.stringify({ west: w.west, south: w.south, dLng: w.dLng, dLat: w.dLat, nx: w.nx, ny: w.ny }));
        writeFileSync(f('wind-times.bin'), new Uint8Array(Float64Array.from(w.times).buffer));
        writeFileSync(f('wind-u.bin'), new Uint8Array(new Float32Array(w.u).buffer));
        writeFileSync(f('wind-v.bin'), new Uint8Array(new Float32Array(w.v).buffer));
        writeFileSync(f('done'), 'ok');
      }
      months.push({ start: Date.UTC(y, mo, 1), ...loadMonth(f) });
    }
  }
  return { monitors, months };
}

function loadMonth(f: (n: string) => string): { hotspots: string[]; pm25: string[]; wind: WindArrays } {
  const g = JSON.parse(readFileSync(f('wind.json'), 'utf8')) as Omit<WindArrays, 'times' | 'u' | 'v'>;
  const bytes = (n: string): ArrayBuffer => { const b = readFileSync(f(n)); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer; };
  return {
    hotspots: readFileSync(f('hotspots.csv'), 'utf8').split('\n').filter(Boolean),
    pm25: readFileSync(f('pm25.csv'), 'utf8').split('\n').filter(Boolean),
    wind: { ...g, times: new Float64Array(bytes('wind-times.bin')), u: Float64Array.from(new Float32Array(bytes('wind-u.bin'))), v: Float64Array.from(new Float32Array(bytes('wind-v.bin'))) } as WindArrays,
  };
}

/** The input files of one size: the first `stations` monitors, the first `months` months from January 2025. */
function writeInputs(name: string, stations: number, months: number, reg: ReturnType<typeof region>, hotspotCopies = 1): { spec: string; bytes: Record<string, number> } {
  const dir = join(WORK, 'inputs', name);
  mkdirSync(dir, { recursive: true });
  const end = new Date(reg.months[months]?.start ?? Date.UTC(2025 + Math.floor(months / 12), months % 12, 1)).toISOString().slice(0, 10); // first day after the season
  const keep = new Set(reg.monitors.slice(0, stations).map((m) => m[0]));
  const hot: string[] = [HOTSPOT_HEADER];
  const pm: string[] = [PM_HEADER];
  const winds: WindArrays[] = [];
  for (const mo of reg.months.slice(0, months)) {
    for (const row of mo.hotspots) {
      hot.push(row);
      // extra copies, each moved by 0.001° steps in latitude and longitude (distinct detections a few 100 m apart)
      if (hotspotCopies > 1) {
        const [lat, lng, ...rest] = row.split(',');
        for (let j = 1; j < hotspotCopies; j++) hot.push([(Number(lat) + 0.001 * j).toFixed(5), (Number(lng) + 0.001 * j).toFixed(5), ...rest].join(','));
      }
    }
    for (const row of mo.pm25) if (keep.has(row.slice(0, row.indexOf(',')))) pm.push(row);
    winds.push(mo.wind);
  }
  const w0 = winds[0]!;
  const cat = (get: (w: WindArrays) => Float64Array): Float64Array => {
    const out = new Float64Array(winds.reduce((n, w) => n + get(w).length, 0));
    let o = 0;
    for (const w of winds) { out.set(get(w), o); o += get(w).length; }
    return out;
  };
  const wind: WindArrays = { ...w0, times: cat((w) => w.times), u: cat((w) => w.u), v: cat((w) => w.v) };
  writeFileSync(join(dir, 'hotspots_firms.csv'), hot.join('\n') + '\n');
  writeFileSync(join(dir, 'pm25_hourly.csv'), pm.join('\n') + '\n');
  writeFileSync(join(dir, 'stations.csv'), 'station_id,name_en,lat,long\n' + reg.monitors.slice(0, stations).map((m) => `${m[0]},${m[0]},${m[2]},${m[1]}`).join('\n') + '\n');
  writeFileSync(join(dir, 'wind_perturbed.nc'), windToNetcdf(wind));
  writeFileSync(join(dir, 'countries.geojson'), JSON.stringify({
    type: 'FeatureCollection',
    features: Object.entries(COUNTRY_RINGS).map(([iso, rings]) => ({ type: 'Feature', properties: { iso_a3: iso }, geometry: { type: 'MultiPolygon', coordinates: rings.map((r) => [[...r.map((p) => [p[0], p[1]]), [r[0]![0], r[0]![1]]]]) } })),
  }));
  const spec = { hotspots: 'hotspots_firms.csv', pm25: 'pm25_hourly.csv', stations: 'stations.csv', wind: 'wind_perturbed.nc', regions: 'countries.geojson', from: '2025-01-01', to: new Date(Date.parse(`${end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10) };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec, null, 1));
  const bytes = Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).size]));
  return { spec: join(dir, 'spec.json'), bytes };
}

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI.


const node = (args: string[], main = MAIN): { status: number | null; stdout: string; stderr: string; seconds: number } => {
  const t = performance.now();
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t) / 1000 };
};

function dirBytes(d: string): { files: number; bytes: number } {
  if (!existsSync(d)) return { files: 0, bytes: 0 };
  let files = 0, bytes = 0;
  for (const e of readdirSync(d, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.parquet')) { files++; bytes += statSync(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).size; }
  }
  return { files, bytes };
}

interface WorkerUse { pid: number; units: number; maxRssMB: number; cpuS: number; processes?: number; supervisorPeakRssMB?: number }

/** Units by period and workers that restart (`batch plan --unit-days`, `batch worker --units-per-process`). */
interface Recycle { unitDays: number; unitsPerProcess: number }

async function batchRun(name: string, spec: string, workers: number, port: number, windRead: 'window' | 'whole' = 'window', main = MAIN, recycle?: Recycle): Promise<Record<string, unknown>> {
  const out = join(WORK, 'runs', `${name}-w${workers}-${Date.now()}`);
  rmSync(out, { recursive: true, force: true });
  const load0 = loadavg();
  const plan = node(['batch', 'plan', '--spec', spec, '--out', out, '--json', ...(recycle ? ['--unit-days', String(recycle.unitDays)] : [])], main);
  if (plan.status !== 0) throw new Error(`batch plan failed: ${plan.stderr}`);
  const planned = JSON.parse(plan.stdout) as { units: number; usage?: { peakRssMB: number } };
  const units = planned.units;
  const procs: { p: ChildProcess; out: string; stats: string }[] = [];
  for (let i = 0; i < workers; i++) {
    const stats = join(WORK, `stats-${name}-${workers}-${i}-${Date.now()}.json`);
    const p = spawn(process.execPath, [main, 'batch', 'worker', '--out', out, '--redis-port', String(port), '--lock-ms', '120000', '--stats', stats, '--wind-read', windRead, '--json', ...(recycle ? ['--units-per-process', String(recycle.unitsPerProcess)] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    const rec = { p, out: '', stats };
    p.stdout!.on('data', (b: Buffer) => (rec.out += b.toString()));
    p.stderr!.on('data', () => undefined);
    procs.push(rec);
  }
  await new Promise((r) => setTimeout(r, 1500)); // workers connect to Redis
  const t = performance.now();
  const run = await new Promise<{ code: number | null; stderr: string }>((ok) => {
    const p = spawn(process.execPath, [main, 'batch', 'run', '--out', out, '--redis-port', String(port), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('exit', (code) => ok({ code, stderr }));
  });
  const wall = (performance.now() - t) / 1000;
  if (run.code !== 0) throw new Error(`batch run failed: ${run.stderr}`);
  const uses: WorkerUse[] = await Promise.all(
    procs.map(({ p }, i) => new Promise<WorkerUse>((ok) => {
      p.on('close', () => {
        const j = (existsSync(procs[i]!.stats) ? JSON.parse(readFileSync(procs[i]!.stats, 'utf8')) : { ran: [], usage: { peakRssMB: NaN, userCpuS: NaN, systemCpuS: NaN } }) as { ran: { skipped: boolean }[]; usage: { peakRssMB: number; peakFrom?: string; userCpuS: number; systemCpuS: number; processes?: number; supervisorPeakRssMB?: number } };
        // a supervised worker: peakRssMB is its largest process's peak, CPU is summed over its processes and itself
        const extra = j.usage.processes !== undefined ? { processes: j.usage.processes, supervisorPeakRssMB: Math.round(j.usage.supervisorPeakRssMB! * 10) / 10 } : {};
        ok({ pid: p.pid!, units: j.ran.filter((r) => !r.skipped).length, maxRssMB: Math.round(j.usage.peakRssMB * 10) / 10, cpuS: Math.round((j.usage.userCpuS + j.usage.systemCpuS) * 10) / 10, ...extra });
      });
      p.kill('SIGTERM');
    })),
  );
  const merge = node(['batch', 'merge', '--out', out, '--json'], main);
  if (merge.status !== 0) throw new Error(`batch merge failed: ${merge.stderr}`);
  const markers = readdirSync(join(out, 'done')).map((f) => JSON.parse(readFileSync(join(out, 'done', f), 'utf8')) as { episodes: number; attributed: number; points: number; windFrames?: { maxPerWindow: number; file: number }; windows?: { count: number; maxEpisodes: number; maxPoints: number } });
  const points = markers.reduce((n, m) => n + m.points, 0);
  const tables = { shares: dirBytes(join(out, 'shares')), sources: dirBytes(join(out, 'sources')), trajectories: dirBytes(join(out, 'trajectories')) };
  const r = {
    name, workers, units, windRead, cli: main === MAIN ? 'current' : BASELINE_LABEL, ...(recycle ? { recycle } : {}),
    windFramesPerWindowMax: markers.some((m) => m.windFrames) ? Math.max(...markers.map((m) => m.windFrames?.maxPerWindow ?? 0)) : null,
    windFramesFile: markers.find((m) => m.windFrames)?.windFrames?.file ?? null,
    // the heaviest window of days of any unit: what a worker's peak follows
    windowMaxEpisodes: Math.max(0, ...markers.map((m) => m.windows?.maxEpisodes ?? 0)),
    windowMaxPoints: Math.max(0, ...markers.map((m) => m.windows?.maxPoints ?? 0)),
    episodes: markers.reduce((n, m) => n + m.episodes, 0),
    attributed: markers.reduce((n, m) => n + m.attributed, 0),
    trajectoryPoints: points,
    planSeconds: Math.round(plan.seconds * 100) / 100,
    planPeakRssMB: planned.usage ? Math.round(planned.usage.peakRssMB * 10) / 10 : null,
    wallSeconds: Math.round(wall * 100) / 100,
    mergeSeconds: Math.round(merge.seconds * 100) / 100,
    workerUse: uses,
    cpuSecondsTotal: Math.round(uses.reduce((n, u) => n + u.cpuS, 0) * 10) / 10,
    peakRssMBMax: Math.max(...uses.map((u) => u.maxRssMB)),
    outputBytes: tables,
    trajectoryBytesPerPoint: points ? Math.round((tables.trajectories.bytes / points) * 100) / 100 : null,
    loadavgBefore: load0.map((x) => Math.round(x * 100) / 100),
    loadavgAfter: loadavg().map((x) => Math.round(x * 100) / 100),
  };
  console.error(`  ${name} ${main === MAIN ? '' : `[${BASELINE_LABEL}] `}${recycle ? `[${recycle.unitDays}-day units, ${recycle.unitsPerProcess} per process, ${uses.map((u) => u.processes).join('/')} processes, supervisor ${uses.map((u) => u.supervisorPeakRssMB).join('/')} MB] ` : ''}${workers} worker(s), wind ${windRead}: ${units} units, ${r.episodes} episodes, ${points} points (heaviest window ${r.windowMaxEpisodes} episodes, ${r.windowMaxPoints} points), wall ${r.wallSeconds} s, CPU ${r.cpuSecondsTotal} s, peak RSS ${uses.map((u) => u.maxRssMB).join(' / ')} MB, load ${r.loadavgBefore[0]} → ${r.loadavgAfter[0]}`);
  rmSync(out, { recursive: true, force: true });
  return r;
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };

// ---------------------------------------------------------------------------------------------------------------

const t0 = performance.now();
console.error(`bench:scale — region ${MONITORS} monitors × ${YEARS.length} years in ${WORK}`);
const reg = region();
if (ONLY === 'region') process.exit(0);
const { port, redis } = await startRedis();
const results: Record<string, unknown> = {};
const inputs: Record<string, unknown> = {};
const existing = existsSync(join(ROOT, 'bench/results/scale.json')) ? (JSON.parse(readFileSync(join(ROOT, 'bench/results/scale.json'), 'utf8')) as { results?: Record<string, unknown>; inputs?: Record<string, unknown> }) : {};
try {
  if (!ONLY || ONLY === 'season') {
    const season: Record<string, unknown>[] = [];
    const reads = (process.env['BENCH_SCALE_SEASON_WIND'] ?? 'both') === 'both' ? (['window', 'whole'] as const) : ([process.env['BENCH_SCALE_SEASON_WIND'] as 'window' | 'whole'] as const);
    let i = 0;
    const mains = BASELINE ? [MAIN, BASELINE] : [MAIN];
    const key = RECYCLE ? `seasonRecycle_${RECYCLE[0]}d_${RECYCLE[1]}u` : SEASON_HOTSPOTS > 1 ? 'seasonDense' : 'season';
    // A/B: the current CLI with and without units by period and a restarting worker (or against a baseline build)
    const modes: { main: string; recycle?: Recycle }[] = RECYCLE ? [{ main: MAIN }, { main: MAIN, recycle: { unitDays: RECYCLE[0], unitsPerProcess: RECYCLE[1] } }] : mains.map((main) => ({ main }));
    for (const [k, months] of [[1, 6], [2, 12], [4, 24]] as const) {
      const name = SEASON_HOTSPOTS > 1 ? `season-${k}x-h${SEASON_HOTSPOTS}` : `season-${k}x`;
      const inp = writeInputs(name, 15, months, reg, SEASON_HOTSPOTS);
      inputs[name] = { stations: 15, months, stationMonths: 15 * months, hotspotCopies: SEASON_HOTSPOTS, files: inp.bytes };
      // interleaved: window first, then whole, then whole first, …; current and baseline CLI likewise
      for (let round = 0; round < SEASON_ROUNDS; round++) {
        for (const { main, recycle } of round % 2 ? [...modes].reverse() : modes) {
          for (const wr of i++ % 2 ? [...reads].reverse() : reads) season.push({ times: k, stations: 15, months, hotspotCopies: SEASON_HOTSPOTS, round, ...(await batchRun(name, inp.spec, 1, port, wr, main, recycle)) });
        }
      }
    }
    // one wind reading only: keep the stored runs of the other one
    const kept = reads.length === 1 ? ((existing.results?.[key] as Record<string, unknown>[] | undefined) ?? []).filter((r) => r['windRead'] !== reads[0]) : [];
    results[key] = [...season, ...kept];
  }
  if (!ONLY || ONLY === '10x') {
    const inp = writeInputs('10x', 75, 12, reg);
    inputs['10x'] = { stations: 75, months: 12, stationMonths: 900, files: inp.bytes };
    const rounds: Record<string, unknown>[] = [];
    for (let r = 0; r < ROUNDS; r++) for (const w of r % 2 ? [2, 1] : [1, 2]) rounds.push({ round: r, ...(await batchRun('10x', inp.spec, w, port)) });
    const wall = (w: number): number => median(rounds.filter((x) => x['workers'] === w).map((x) => x['wallSeconds'] as number));
    results['10x'] = { rounds, medianWallSeconds: { w1: wall(1), w2: wall(2) }, speedUp: Math.round((wall(1) / wall(2)) * 100) / 100 };
  }
  if (!ONLY || ONLY === '40x') {
    const inp = writeInputs('40x', 150, 24, reg);
    inputs['40x'] = { stations: 150, months: 24, stationMonths: 3600, files: inp.bytes };
    const runs: Record<string, unknown>[] = [];
    for (const w of FULL ? [1, 2] : [2]) runs.push(await batchRun('40x', inp.spec, w, port));
    results['40x'] = { runs, note: FULL ? '1 and 2 workers' : '2 workers only (the 1-worker run would not fit this session; see the 10x speed-up)' };
  }
} finally {
  redis.kill('SIGKILL');
}

const json = {
  benchmark: 'scale',
  command: 'npm run bench:scale' + (ONLY ? ` (BENCH_SCALE_ONLY=${ONLY})` : ''),
  node: process.version,
  date: new Date().toISOString(),
  cpus: cpus().length,
  region: { monitors: MONITORS, years: YEARS, particlesPerHour: PARTICLES_PER_HOUR, seed: 'scenario of each month: year × 100 + month; monitors: 2025', note: 'one sim scenario per month (the sim runs ≤ 60 days), started 72 h early for spin-up; wind jumps at month boundaries', embeddedSeason: '15 stations × 6 months (Jan–Jun 2025) = 90 station-months' },
  inputs: { ...(existing.inputs ?? {}), ...inputs },
  results: { ...(existing.results ?? {}), ...results },
  benchSeconds: Math.round((performance.now() - t0) / 1000),
};
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/scale.json'), JSON.stringify(json, null, 1) + '\n');
console.error(`wrote bench/results/scale.json (${json.benchSeconds} s)`);
