/**
 * Soak of `hazetrace serve` (loopback only; bounded by time and by count): the built CLI (`dist/cli/main.js serve`,
 * so the attribution worker runs from dist/ as in production) on 127.0.0.1 with a state directory, the embedded
 * season seeded (stations, two-site wind, daily PM2.5, 8,000 FIRMS detections, countries and facilities), then for
 * SERVE_SOAK_S seconds (default 600) an increment every SERVE_INCREMENT_EVERY_S seconds (default 3): FIRMS batches
 * of 200 detections cycling over the file (after one pass they are duplicates, so the working set stops growing),
 * and every third increment 20 PM2.5 rows re-posted with a changed value (same rows replaced, episodes move), while
 * SERVE_SOAK_CLIENTS clients (default 8) fetch GET /layers/hotspots.geojson in a loop.
 * Prints the server's RSS every 30 s, its growth from the first to the last minute, failed requests (must be 0),
 * and p50/p99 of the layer fetches overall and of those overlapping an increment.
 * Writes bench/results/serve-soak.json.  Run: npm run bench:serve-soak  (builds first)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const data = (f: string): string => readFileSync(join(ROOT, 'data', f), 'utf8');
const SOAK_S = Number(process.env['SERVE_SOAK_S'] ?? 600);
const EVERY_S = Number(process.env['SERVE_INCREMENT_EVERY_S'] ?? 3);
const CLIENTS = Number(process.env['SERVE_SOAK_CLIENTS'] ?? 8);
const MAX_FETCHES_PER_CLIENT = 200_000;
const MAX_INCREMENTS = Math.ceil(SOAK_S / EVERY_S) + 1;

const [FIRMS_HEADER, ...FIRMS_ROWS] = data('firms_modis_th_region.csv').trim().split('\n') as [string, ...string[]];
const firmsCsv = (rows: string[]): string => [FIRMS_HEADER, ...rows].join('\n') + '\n';
const PM25 = data('pcd_pm25_daily_2025_north.csv');
const [PM_HEADER, ...PM_ROWS] = PM25.trim().split('\n') as [string, ...string[]];
const load = (): number[] => loadavg().map((x) => Math.round(x * 100) / 100);

interface Server {
  child: ChildProcess;
  url: string;
  pid: number;
}
function startServer(dir: string): Promise<Server> {
  const main = join(ROOT, 'dist', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error('dist/cli/main.js is missing: run `npm run build` (npm run bench:serve-soak does)');
  const args = [main, 'serve', '--port', '0', '--state', dir, '--max-body', String(16 * 1024 * 1024), '--regions', join(ROOT, 'data', 'countries_ne50m_region.geojson'), '--facilities', join(ROOT, 'data', 'facilities_gppd_region.csv')];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('server did not start in 120 s\n' + err.slice(-2000))), 120_000);
    child.stderr!.on('data', (c: Buffer) => {
      if (err.length < 1e5) err += c.toString();
      const m = /"msg":"listening","url":"([^"]+)"/.exec(err);
      if (m) {
        clearTimeout(timer);
        res({ child, url: m[1] as string, pid: child.pid as number });
      }
    });
    child.on('exit', (code) => rej(new Error(`server exited ${code}\n${err.slice(-2000)}`)));
  });
}
async function stopServer(s: Server): Promise<number | null> {
  const done = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  s.child.kill('SIGTERM');
  const code = await Promise.race([done, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
  if (s.child.exitCode === null) s.child.kill('SIGKILL');
  return code;
}
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor(q * s.length))] as number) * 10) / 10;
};
const mean = (xs: number[]): number => Math.round((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)) * 10) / 10;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hazetrace-serve-soak-'));
  const s = await startServer(dir);
  const result: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, seconds: SOAK_S, everySeconds: EVERY_S, clients: CLIENTS, loadavgStart: load() };
  try {
    for (let i = 0; i < 1200 && (await fetch(`${s.url}/ready`).catch(() => null))?.status !== 200; i++) await sleep(100);
    const seedT0 = performance.now();
    for (const [k, b] of [['stations', data('stations_north.csv')], ['wind', data('wind_2pt_hourly_2025.csv')], ['pm25', PM25], ['hotspots', firmsCsv(FIRMS_ROWS.slice(0, 8000))]] as const) {
      const r = await fetch(`${s.url}/state/${k}`, { method: 'POST', body: b });
      if (r.status !== 200) throw new Error(`seed ${k}: ${r.status} ${await r.text()}`);
    }
    result['seedMs'] = Math.round(performance.now() - seedT0);
    console.log(`seeded in ${result['seedMs']} ms; soak ${SOAK_S} s, an increment every ${EVERY_S} s, ${CLIENTS} clients fetching layers`);

    const t0 = Date.now();
    const deadline = t0 + SOAK_S * 1000;
    const rel = (): number => (Date.now() - t0) / 1000;
    // RSS every 5 s (printed every 30 s).
    const rss: { t: number; mb: number; version: number }[] = [];
    const sample = async (): Promise<void> => {
      const st = (await (await fetch(`${s.url}/state`)).json()) as { version: number };
      rss.push({ t: Math.round(rel()), mb: Math.round(rssMb(s.pid) * 10) / 10, version: st.version });
      const last = rss[rss.length - 1]!;
      if (last.t % 30 < 5 || rss.length === 1) console.log(`  t=${String(last.t).padStart(4)} s  RSS ${last.mb} MB  version ${last.version}`);
    };
    const sampler = (async () => {
      for (let n = 0; n < SOAK_S / 5 + 2 && Date.now() < deadline; n++) {
        await sample();
        await sleep(Math.max(0, t0 + (n + 1) * 5000 - Date.now()));
      }
    })();

    // Layer clients: each fetches the whole hotspot layer in a loop; every request is logged (start, end, status).
    const fetches: { a: number; b: number; status: number }[] = [];
    let fetchErrors = 0;
    const client = async (): Promise<void> => {
      for (let n = 0; n < MAX_FETCHES_PER_CLIENT && Date.now() < deadline; n++) {
        const a = performance.now();
        try {
          const r = await fetch(`${s.url}/layers/hotspots.geojson`);
          await r.arrayBuffer();
          fetches.push({ a, b: performance.now(), status: r.status });
        } catch {
          fetchErrors++;
          fetches.push({ a, b: performance.now(), status: 0 });
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, () => client());

    // Increments.
    const incs: { kind: string; t: number; a: number; b: number; status: number; ms: number; accepted: number; episodes: number }[] = [];
    for (let k = 0; k < MAX_INCREMENTS && Date.now() < deadline - EVERY_S * 500; k++) {
      const next = t0 + (k + 1) * EVERY_S * 1000;
      const pm = k % 3 === 2;
      let body: string;
      if (pm) {
        const at = (k * 20) % PM_ROWS.length;
        body = [PM_HEADER, ...PM_ROWS.slice(at, at + 20).map((r) => r.replace(/,([0-9.]+)$/, (_m, v: string) => `,${(Number(v) + (k % 7) * 0.1).toFixed(1)}`))].join('\n') + '\n';
      } else {
        const at = (8000 + k * 200) % FIRMS_ROWS.length;
        body = firmsCsv(FIRMS_ROWS.slice(at, at + 200));
      }
      const a = performance.now();
      const t = Math.round(rel() * 10) / 10;
      const r = await fetch(`${s.url}/state/${pm ? 'pm25' : 'hotspots'}`, { method: 'POST', body }).catch(() => null);
      const j = r ? ((await r.json().catch(() => ({}))) as { ms?: number; accepted?: number; episodesRecomputed?: string[] }) : {};
      incs.push({ kind: pm ? 'pm25' : 'hotspots', t, a, b: performance.now(), status: r?.status ?? 0, ms: j.ms ?? NaN, accepted: j.accepted ?? 0, episodes: j.episodesRecomputed?.length ?? 0 });
      await sleep(Math.max(0, next - Date.now()));
    }
    await Promise.all(clients);
    await sampler;
    await sample();

    // Layer fetches overlapping an increment (the increment's attribution runs on the worker meanwhile).
    const during = fetches.filter((f) => incs.some((i) => f.a < i.b && f.b > i.a));
    const lat = (xs: { a: number; b: number }[]): number[] => xs.map((f) => f.b - f.a);
    const failedFetches = fetches.filter((f) => f.status !== 200).length;
    const failedIncs = incs.filter((i) => i.status !== 200).length;
    const firstMin = rss.filter((r) => r.t <= 60).map((r) => r.mb);
    const lastMin = rss.filter((r) => r.t >= rss[rss.length - 1]!.t - 60).map((r) => r.mb);
    const soak = {
      increments: { count: incs.length, failed: failedIncs, hotspots: incs.filter((i) => i.kind === 'hotspots').length, pm25: incs.filter((i) => i.kind === 'pm25').length, newDetections: incs.reduce((a, i) => a + (i.kind === 'hotspots' ? i.accepted : 0), 0), serverMsP50: pct(incs.map((i) => i.ms), 0.5), serverMsP99: pct(incs.map((i) => i.ms), 0.99), serverMsMax: Math.max(...incs.map((i) => i.ms)) },
      layerFetches: { count: fetches.length, failed: failedFetches, networkErrors: fetchErrors, p50: pct(lat(fetches), 0.5), p99: pct(lat(fetches), 0.99), duringIncrements: { count: during.length, p50: pct(lat(during), 0.5), p99: pct(lat(during), 0.99) } },
      rssMb: { firstMinuteMean: mean(firstMin), lastMinuteMean: mean(lastMin), growthFirstToLastMinute: Math.round((mean(lastMin) - mean(firstMin)) * 10) / 10, max: Math.max(...rss.map((r) => r.mb)), start: rss[0]?.mb, end: rss[rss.length - 1]?.mb },
      samples: rss,
      incrementLog: incs.map((i) => ({ kind: i.kind, t: i.t, status: i.status, ms: i.ms, accepted: i.accepted, episodes: i.episodes })),
    };
    Object.assign(result, soak);
    console.log(`increments: ${soak.increments.count} (${soak.increments.hotspots} FIRMS, ${soak.increments.pm25} PM2.5; ${soak.increments.newDetections} new detections), failed ${failedIncs}; server ms p50 ${soak.increments.serverMsP50}, p99 ${soak.increments.serverMsP99}, max ${soak.increments.serverMsMax}`);
    console.log(`layer fetches: ${fetches.length}, failed ${failedFetches}; p50 ${soak.layerFetches.p50} ms, p99 ${soak.layerFetches.p99} ms; during increments (${during.length}): p50 ${soak.layerFetches.duringIncrements.p50} ms, p99 ${soak.layerFetches.duringIncrements.p99} ms`);
    console.log(`RSS: first minute ${soak.rssMb.firstMinuteMean} MB, last minute ${soak.rssMb.lastMinuteMean} MB, growth ${soak.rssMb.growthFirstToLastMinute} MB, max ${soak.rssMb.max} MB`);
  } finally {
    result['serverExitCode'] = await stopServer(s);
    rmSync(dir, { recursive: true, force: true });
  }
  result['loadavgEnd'] = load();
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'serve-soak.json'), JSON.stringify(result, null, 1) + '\n');
  console.log('wrote bench/results/serve-soak.json');
}

await main();
