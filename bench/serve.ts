/**
 * Load bench of `hazetrace serve` (loopback only; every loop bounded in time and count):
 *  1. an increment of ~2,000 FIRMS detections vs a full recompute over the embedded season (same run);
 *  2. requests/s and p50/p99 for gridding a 10,000-row FIRMS batch and for fetching the current layers at
 *     1, 8 and 64 concurrent clients (autocannon), with the failed-request count;
 *  3. above the limits: 128 clients → 429 (per-client share 64), a small queue → 503, nothing else;
 *  4. a soak (SERVE_SOAK_S, default 60; 600 for the 10-minute one) with an increment every few seconds while
 *     8 clients fetch layers, printing the server's RSS.
 * Writes bench/results/serve.json.  Run: npm run bench:serve   (SERVE_LOAD_S=5 seconds per load level)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LiveState } from '../src/node/index.js';

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
const SOAK_S = Number(process.env['SERVE_SOAK_S'] ?? 60);
const LOAD_S = Number(process.env['SERVE_LOAD_S'] ?? 5);
const EVERY_S = Number(process.env['SERVE_INCREMENT_EVERY_S'] ?? 3);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const [FIRMS_HEADER, ...FIRMS_ROWS] = data('firms_modis_th_region.csv').trim().split('\n') as [string, ...string[]];
const firmsCsv = (rows: string[]): string => [FIRMS_HEADER, ...rows].join('\n') + '\n';
const PM25 = data('pcd_pm25_daily_2025_north.csv');
const STATIONS = data('stations_north.csv');
const WIND = data('wind_2pt_hourly_2025.csv');
const REGIONS = data('countries_ne50m_region.geojson');
const FACILITIES = data('facilities_gppd_region.csv');

// ---------- 1. increment vs full recompute (in-process, the library calls the server makes) ----------
async function incrementVsFull(): Promise<Record<string, unknown>> {
  // Two batches of ~2,000 detections held out of the season: one inside the attributed episodes' back-trajectory
  // windows (late April 2025: every attributable episode of the embedded series lies there, the worst case), one
  // from an earlier dry season (2022-02 and 2023-03: outside every episode window, only the grid and risk change).
  const april = FIRMS_ROWS.filter((r) => r.split(',')[5]?.startsWith('2025-04'));
  const inEpisodes = april.slice(-2000);
  const quiet = FIRMS_ROWS.filter((r) => /^(2022-02|2023-03)/.test(r.split(',')[5] ?? '')).slice(0, 2000);
  const held = new Set([...inEpisodes, ...quiet]);
  const rest = FIRMS_ROWS.filter((r) => !held.has(r));
  const live = new LiveState({ regions: REGIONS, facilities: FACILITIES });
  for (const [k, b] of [['stations', STATIONS], ['wind', WIND], ['pm25', PM25]] as const) await (await live.parse(k, enc(b))).apply();
  let t0 = performance.now();
  await (await live.parse('hotspots', enc(firmsCsv(rest)))).apply();
  const seedMs = performance.now() - t0;
  const timeIt = async (rows: string[]): Promise<{ detections: number; ms: number; episodesRecomputed: number; fullRecompute: boolean }> => {
    const t = performance.now();
    const c = await (await live.parse('hotspots', enc(firmsCsv(rows)))).apply();
    return { detections: rows.length, ms: Math.round(performance.now() - t), episodesRecomputed: c.episodesRecomputed.length, fullRecompute: c.fullRecompute };
  };
  const q = await timeIt(quiet);
  const e = await timeIt(inEpisodes);
  // Full recompute of the same final working set (what a server without increments does for every batch).
  t0 = performance.now();
  live.fullAttribution();
  const fullMs = Math.round(performance.now() - t0);
  const out = {
    season: { hotspots: FIRMS_ROWS.length, episodes: live.episodes.size, attributed: [...live.episodes.values()].filter((x) => x.status === 'attributed').length },
    firstCompleteWorkingSetMs: Math.round(seedMs),
    incrementQuietSeason: q,
    incrementInEpisodeWindows: e,
    fullRecomputeMs: fullMs,
  };
  for (const [what, r] of [['quiet-season batch', q], ['batch inside the episode windows', e]] as const) {
    console.log(`increment, ${what}: ${r.detections} detections in ${r.ms} ms (${r.episodesRecomputed} of ${out.season.episodes} episodes re-attributed) vs full recompute ${fullMs} ms`);
  }
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
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

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
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, loadSeconds: LOAD_S, soakSeconds: SOAK_S, cpus: (await import('node:os')).availableParallelism() };
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

    // ---------- soak: increments every EVERY_S seconds while 8 clients fetch layers ----------
    const rss: { t: number; mb: number; version: number }[] = [];
    const t0 = Date.now();
    const sample = async (): Promise<void> => {
      const st = (await (await fetch(`${s.url}/state`)).json()) as { version: number };
      rss.push({ t: Math.round((Date.now() - t0) / 1000), mb: Math.round(rssMb(s.pid) * 10) / 10, version: st.version });
    };
    await sample();
    const fetchers = load(`${s.url}/layers/hotspots.geojson`, { connections: 8, seconds: SOAK_S });
    const incs: { status: number; ms: number; kind: string }[] = [];
    const pmRows = PM25.trim().split('\n').slice(1);
    let k = 0;
    const deadline = Date.now() + SOAK_S * 1000;
    let nextSample = Date.now() + 5000;
    while (Date.now() < deadline - EVERY_S * 500) {
      // FIRMS batches of 200 rows cycling over the file (after one pass they are duplicates: state stops growing),
      // and every third increment one day of PM2.5 re-posted (replaces the same rows).
      // PM2.5: 20 rows re-posted with a small change (same rows replaced: the series does not grow, episodes move).
      const pmAt = (k * 20) % pmRows.length;
      const pm = pmRows.slice(pmAt, pmAt + 20).map((r) => r.replace(/,([0-9.]+)$/, (_m, v: string) => `,${(Number(v) + (k % 7) * 0.1).toFixed(1)}`));
      const fAt = (8000 + k * 200) % FIRMS_ROWS.length;
      const body = k % 3 === 2 ? [PM25.split('\n')[0], ...pm].join('\n') + '\n' : firmsCsv(FIRMS_ROWS.slice(fAt, fAt + 200));
      const r = await fetch(`${s.url}/state/${k % 3 === 2 ? 'pm25' : 'hotspots'}`, { method: 'POST', body });
      const j = (await r.json()) as { ms?: number };
      incs.push({ status: r.status, ms: j.ms ?? NaN, kind: k % 3 === 2 ? 'pm25' : 'hotspots' });
      k++;
      if (Date.now() > nextSample) {
        await sample();
        nextSample += 5000;
      }
      await new Promise((r2) => setTimeout(r2, EVERY_S * 1000));
    }
    const soakLoad = await fetchers;
    await sample();
    const firstHalf = rss.slice(0, Math.max(1, Math.floor(rss.length / 2)));
    const soak = {
      seconds: SOAK_S,
      increments: incs.length,
      incrementFailures: incs.filter((i) => i.status !== 200).length,
      incrementMsP50: [...incs.map((i) => i.ms)].sort((a, b) => a - b)[Math.floor(incs.length / 2)],
      incrementMsMax: Math.max(...incs.map((i) => i.ms)),
      incrementLog: incs,
      layerFetches: soakLoad,
      layerFailures: failed(soakLoad),
      rssMb: { start: rss[0]?.mb, end: rss[rss.length - 1]?.mb, max: Math.max(...rss.map((r) => r.mb)), growthSecondHalf: Math.round(((rss[rss.length - 1]?.mb ?? 0) - Math.max(...firstHalf.map((r) => r.mb))) * 10) / 10 },
      samples: rss,
    };
    console.log(`soak ${SOAK_S} s: ${soak.increments} increments (${soak.incrementFailures} failed, p50 ${soak.incrementMsP50} ms), ${soakLoad.requests} layer fetches (${soak.layerFailures} failed); RSS ${soak.rssMb.start} → ${soak.rssMb.end} MB (max ${soak.rssMb.max}; second half vs first-half max ${soak.rssMb.growthSecondHalf} MB)`);
    for (const r of rss) console.log(`  t=${String(r.t).padStart(4)} s  RSS ${r.mb} MB  version ${r.version}`);
    results['soak'] = soak;
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
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'serve.json'), JSON.stringify(results, null, 1) + '\n');
  console.log('wrote bench/results/serve.json');
}

await main();
