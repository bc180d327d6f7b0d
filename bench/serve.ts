/**
 * Load bench of `hazetrace serve` (loopback only; every loop bounded in time and count):
 *  1. an increment of ~2,000 FIRMS detections vs a full recompute over the embedded season (same run);
 *  2. requests/s and p50/p99 for gridding a 10,000-row FIRMS batch and for fetching the current layers at
 *     1, 8 and 64 concurrent clients (autocannon), with the failed-request count;
 *  3. above the limits: 128 clients → 429 (per-client share 64), a small queue → 503, nothing else;
 *  (the 10-minute soak with increments every few seconds is bench/serve-soak.ts, `npm run bench:serve-soak`).
 * Writes bench/results/serve.json.  Run: npm run bench:serve   (SERVE_LOAD_S=5 seconds per load level)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadavg as osLoadavg } from 'node:os';
import { LiveState } from '../src/node/index.js';
import { runAttribution } from '../src/node/serve/attribution-run.js';
import { createRng } from '../src/core/index.js';

interface AutocannonResult {
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
}
// autocannon ships no types; the few fields used here are declared above.
const AUTOCANNON = 'autocannon';
const autocannon = ((await import(AUTOCANNON)) as { default: (o: Record<string, unknown>) => Promise<AutocannonResult> }).default;

const ROOT = resolve(import.meta.dirname, '..');
const data = (f: string): string => readFileSync(join(ROOT, 'data', f), 'utf8');
const LOAD_S = Number(process.env['SERVE_LOAD_S'] ?? 5);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const [FIRMS_HEADER, ...FIRMS_ROWS] = data('firms_modis_th_region.csv').trim().split('\n') as [string, ...string[]];
const firmsCsv = (rows: string[]): string => [FIRMS_HEADER, ...rows].join('\n') + '\n';
const PM25 = data('pcd_pm25_daily_2025_north.csv');
const STATIONS = data('stations_north.csv');
const WIND = data('wind_2pt_hourly_2025.csv');
const REGIONS = data('countries_ne50m_region.geojson');
const FACILITIES = data('facilities_gppd_region.csv');

// ---------- 1. increment vs full recompute (in-process, the library calls the server makes) ----------
const REGIONS_FC = JSON.parse(REGIONS) as { type: string; features: unknown[] };
const liveOptions = { regions: REGIONS, facilities: FACILITIES };
async function seeded(rows: string[]): Promise<{ live: LiveState; seedMs: number }> {
  const live = new LiveState(liveOptions);
  for (const [k, b] of [['stations', STATIONS], ['wind', WIND], ['pm25', PM25]] as const) await (await live.parse(k, enc(b))).apply();
  const t0 = performance.now();
  await (await live.parse('hotspots', enc(firmsCsv(rows)))).apply();
  return { live, seedMs: Math.round(performance.now() - t0) };
}
interface Timed {
  detections: number;
  ms: number;
  episodesRecomputed: number;
  fullRecompute: boolean;
  scoreCache: { hits: number; misses: number };
  loadavg: number[];
}
async function timeBatch(live: LiveState, rows: string[]): Promise<Timed & { ids: string[] }> {
  const before = live.trajectories.scores.stats();
  const t = performance.now();
  const c = await (await live.parse('hotspots', enc(firmsCsv(rows)))).apply();
  const ms = Math.round(performance.now() - t);
  const after = live.trajectories.scores.stats();
  return { detections: rows.length, ms, episodesRecomputed: c.episodesRecomputed.length, fullRecompute: c.fullRecompute, scoreCache: { hits: after.hits - before.hits, misses: after.misses - before.misses }, loadavg: loadavg(), ids: c.episodesRecomputed };
}
/** Full recompute of the live working set from scratch: the trajectory store (and its row scores) emptied first. */
function fullFromScratch(live: LiveState): { ms: number; loadavg: number[] } {
  live.trajectories.clear();
  const t0 = performance.now();
  live.fullAttribution();
  return { ms: Math.round(performance.now() - t0), loadavg: loadavg() };
}
/** The episodes an increment re-attributed, run again with no store at all (same scales): must be identical. */
function sameAsUncached(live: LiveState, ids: string[]): boolean {
  const cal = live.calibration;
  const opts = { utcOffset: '+07:00', episodeIds: ids, ...(cal && cal.mode !== 'defaults' ? { scales: cal.scales, scaleIntervals: cal.intervals } : { calibrate: false }) };
  const r = runAttribution({ hotspots: live.hotspots!, series: live.series!, stations: live.stations!, wind: live.wind!.field, regions: REGIONS_FC as never, facilities: FACILITIES }, opts, null);
  const want = new Set(ids);
  return JSON.stringify(r.episodes.filter((e) => want.has(e.id))) === JSON.stringify(ids.map((id) => live.episodes.get(id)));
}
const loadavg = (): number[] => osLoadavg().map((x: number) => Math.round(x * 100) / 100);

async function incrementVsFull(): Promise<Record<string, unknown>> {
  // (a) One FIRMS batch of 2,000 detections drawn over the whole embedded season (seeded shuffle): what a late or
  // re-processed batch looks like; 432 of them fall into the attributed episodes' windows (22–24 April 2025), so
  // every attributed episode is re-attributed, on stored trajectories and stored row scores.
  const order = FIRMS_ROWS.map((_, i) => i);
  const rng = createRng(7);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const pick = new Set(order.slice(0, 2000));
  const spread = FIRMS_ROWS.filter((_, i) => pick.has(i));
  const a = await seeded(FIRMS_ROWS.filter((_, i) => !pick.has(i)));
  const spreadInc = await timeBatch(a.live, spread);
  const spreadSame = sameAsUncached(a.live, spreadInc.ids);
  const spreadFull = fullFromScratch(a.live);
  const season = { hotspots: FIRMS_ROWS.length, episodes: a.live.episodes.size, attributed: [...a.live.episodes.values()].filter((x) => x.status === 'attributed').length };
  await a.live.close();

  // (b) Two held-out batches: one from earlier dry seasons (2022-02 / 2023-03: outside every episode window, only
  // the grid and risk change), then the worst case: 2,000 of the 2,425 detections of 22–24 April 2025, which the
  // episodes' windows need to be covered at all, so the batch makes those episodes attributable for the first time
  // and nothing of them can be reused (every one is traced and scored from scratch).
  const april = FIRMS_ROWS.filter((r) => r.split(',')[5]?.startsWith('2025-04'));
  const inEpisodes = april.slice(-2000);
  const quiet = FIRMS_ROWS.filter((r) => /^(2022-02|2023-03)/.test(r.split(',')[5] ?? '')).slice(0, 2000);
  const held = new Set([...inEpisodes, ...quiet]);
  const b = await seeded(FIRMS_ROWS.filter((r) => !held.has(r)));
  const q = await timeBatch(b.live, quiet);
  const e = await timeBatch(b.live, inEpisodes);
  const worstSame = sameAsUncached(b.live, e.ids);
  const worstFull = fullFromScratch(b.live);
  await b.live.close();

  const strip = ({ ids: _ids, ...r }: Timed & { ids: string[] }): Timed => r;
  const out = {
    season,
    seasonSpreadBatch: { firstCompleteWorkingSetMs: a.seedMs, increment: strip(spreadInc), identicalToUncachedRun: spreadSame, fullRecompute: spreadFull, ratio: Math.round((spreadInc.ms / spreadFull.ms) * 1000) / 1000 },
    heldOutBatches: { firstCompleteWorkingSetMs: b.seedMs, incrementQuietSeason: strip(q), incrementCompletingEpisodeWindows: strip(e), identicalToUncachedRun: worstSame, fullRecompute: worstFull, ratio: Math.round((e.ms / worstFull.ms) * 1000) / 1000 },
  };
  console.log(`increment, 2,000 detections over the season: ${spreadInc.ms} ms (${spreadInc.episodesRecomputed} of ${season.episodes} episodes re-attributed, ${spreadInc.scoreCache.hits} from stored row scores; identical to an uncached run: ${spreadSame}) vs full recompute from scratch ${spreadFull.ms} ms (ratio ${out.seasonSpreadBatch.ratio})`);
  console.log(`increment, quiet-season batch: ${q.detections} detections in ${q.ms} ms (${q.episodesRecomputed} episodes re-attributed)`);
  console.log(`increment, batch completing the episode windows: ${e.detections} detections in ${e.ms} ms (${e.episodesRecomputed} episodes, ${e.scoreCache.hits} from stored row scores; identical to an uncached run: ${worstSame}) vs full recompute from scratch ${worstFull.ms} ms (ratio ${out.heldOutBatches.ratio})`);
  return out;
}

// ---------- server as a child process (so the load generator does not share its event loop) ----------
interface Child {
  child: ChildProcess;
  url: string;
  pid: number;
}
function startServer(args: string[]): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'serve', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('server did not start in 120 s\n' + err)), 120_000);
    child.stderr!.on('data', (c: Buffer) => {
      if (err.length < 1e6) err += c.toString();
      const m = /"msg":"listening","url":"([^"]+)"/.exec(err);
      if (m) {
        clearTimeout(timer);
        res({ child, url: m[1] as string, pid: child.pid as number });
      }
    });
    child.on('exit', (code) => rej(new Error(`server exited ${code}\n${err.slice(-2000)}`)));
  });
}
async function stopServer(s: Child): Promise<void> {
  const done = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await Promise.race([done, new Promise((r) => setTimeout(r, 20_000))]);
  if (s.child.exitCode === null) s.child.kill('SIGKILL');
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if ((await fetch(`${url}/ready`).catch(() => null))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('not ready');
}

interface Load {
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  status: Record<string, number>;
  errors: number;
  timeouts: number;
}
async function load(url: string, opts: { method?: 'GET' | 'POST'; body?: string; connections: number; seconds: number }): Promise<Load> {
  const r = await autocannon({ url, method: opts.method ?? 'GET', ...(opts.body ? { body: opts.body } : {}), connections: opts.connections, duration: opts.seconds, timeout: 120, maxOverallRequests: 100_000 });
  const status = Object.fromEntries(Object.entries((r as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  const requests = Object.values(status).reduce((a, b) => a + b, 0);
  return { connections: opts.connections, requests, rps: Math.round((requests / opts.seconds) * 10) / 10, p50: r.latency.p50, p99: r.latency.p99, status, errors: r.errors, timeouts: r.timeouts };
}
/** Wait until the server has worked off what a finished load run left queued (one gated request, FIFO). */
async function drainQueue(url: string): Promise<void> {
  await fetch(`${url}/layers/hotspots.csv`).then((r) => r.arrayBuffer()).catch(() => undefined);
}
const failed = (l: Load, allowed: string[] = []): number => Object.entries(l.status).filter(([k]) => !k.startsWith('2') && !allowed.includes(k)).reduce((a, [, n]) => a + n, 0) + l.errors + l.timeouts;
const line = (what: string, l: Load): string => `${what.padEnd(26)} c=${String(l.connections).padStart(3)}  ${String(l.rps).padStart(7)} req/s  p50 ${String(l.p50).padStart(6)} ms  p99 ${String(l.p99).padStart(6)} ms  status ${JSON.stringify(l.status)}  errors ${l.errors + l.timeouts}`;

async function main(): Promise<void> {
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, loadSeconds: LOAD_S, loadavgStart: loadavg(), cpus: (await import('node:os')).availableParallelism() };
  results['incrementVsFull'] = await incrementVsFull();

  const dir = mkdtempSync(join(tmpdir(), 'hazetrace-serve-bench-'));
  const s = await startServer(['--state', dir, '--no-calibrate', '--max-body', String(16 * 1024 * 1024)]);
  try {
    await waitReady(s.url);
    for (const [k, b] of [['stations', STATIONS], ['wind', WIND], ['pm25', PM25], ['hotspots', firmsCsv(FIRMS_ROWS.slice(0, 8000))]] as const) {
      const r = await fetch(`${s.url}/state/${k}`, { method: 'POST', body: b });
      if (r.status !== 200) throw new Error(`seed ${k}: ${r.status} ${await r.text()}`);
    }
    const grid10k = firmsCsv(FIRMS_ROWS.slice(0, 10_000));
    const grid: Load[] = [];
    const layers: Load[] = [];
    for (const c of [1, 8, 64]) {
      grid.push(await load(`${s.url}/grid?res=5`, { method: 'POST', body: grid10k, connections: c, seconds: LOAD_S }));
      await drainQueue(s.url);
      console.log(line('POST /grid (10,000 rows)', grid[grid.length - 1] as Load));
    }
    for (const c of [1, 8, 64]) {
      layers.push(await load(`${s.url}/layers/hotspots.geojson`, { connections: c, seconds: LOAD_S }));
      await drainQueue(s.url);
      console.log(line('GET /layers/hotspots.geojson', layers[layers.length - 1] as Load));
    }
    // Above the limits: /trace with 100 starts (it yields between starts, so requests pile up in the gate).
    const traceBody = JSON.stringify({ start: [98.97, 18.84], time: Array.from({ length: 100 }, (_, i) => new Date(Date.UTC(2025, 3, 20) + i * 3_600_000).toISOString()), hours: 24 });
    const over = await load(`${s.url}/trace`, { method: 'POST', body: traceBody, connections: 128, seconds: LOAD_S });
    console.log(line('trace, 128 clients > 64/client', over));
    await drainQueue(s.url);
    results['load'] = { grid10k: grid, layers, belowLimitFailures: [...grid, ...layers].reduce((a, l) => a + failed(l), 0), overPerClient: { ...over, unexpected: failed(over, ['429']) } };

  } finally {
    await stopServer(s);
    rmSync(dir, { recursive: true, force: true });
  }

  // ---------- 503: a server with a small queue, saturated with gridding ----------
  const small = await startServer(['--concurrency', '1', '--queue', '4', '--per-client', '1000']);
  try {
    await waitReady(small.url);
    await fetch(`${small.url}/state/wind`, { method: 'POST', body: WIND });
    const traceBody = JSON.stringify({ start: [98.97, 18.84], time: Array.from({ length: 100 }, (_, i) => new Date(Date.UTC(2025, 3, 20) + i * 3_600_000).toISOString()), hours: 24 });
    const sat = await load(`${small.url}/trace`, { method: 'POST', body: traceBody, connections: 32, seconds: LOAD_S });
    console.log(line('saturated (trace, concurrency 1, queue 4, c=32)', sat));
    results['saturated'] = { ...sat, unexpected: failed(sat, ['503']) };
  } finally {
    await stopServer(small);
  }
  results['loadavgEnd'] = loadavg();
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'serve.json'), JSON.stringify(results, null, 1) + '\n');
  console.log('wrote bench/results/serve.json');
}

await main();
