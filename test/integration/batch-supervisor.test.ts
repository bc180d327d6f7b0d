/**
 * `hazetrace batch plan --unit-days` and `batch worker --units-per-process` on a real Redis: the embedded season cut
 * (four stations) into one-day units per station, run by ONE supervised worker whose processes each exit after 4 computed units.
 * Every unit is computed exactly once, by a process that ran at most 4, and the merged Parquet equals the
 * one-process `attributeSeries` run bit for bit (periods change which process computes an episode, not its numbers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { startRedis } from './redis.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sharesToParquet, sourcesToParquet } from '../../src/attribution/index.js';
import { attributeSpec, rowsOf } from './batch-reference.js';
import { enqueueBatch, superviseBatchWorker, type BatchPlan } from '../../src/node/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const data = (f: string): string => join(ROOT, 'data', f);
const haveRedis = spawnSync('redis-server', ['--version']).status === 0;
const haveDist = existsSync(CLI);
if (!haveRedis || !haveDist) console.warn('batch-supervisor.test: skipped — needs redis-server and a built dist/');

const keyOf = (r: Record<string, unknown>): string => `${String(r['station'])}|${(r['start_utc'] as Date).getTime()}|${String(r['dimension'] ?? r['rank'])}|${String(r['key'] ?? r['id'])}`;
const sorted = (rows: Record<string, unknown>[]): Record<string, unknown>[] => [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));

describe.skipIf(!haveRedis || !haveDist)('batch: one-day units, a worker that restarts itself every 4 units', () => {
  let redis: ChildProcess;
  let port = 0;
  let worker: ChildProcess | undefined;
  beforeAll(async () => {
    ({ port, redis } = await startRedis());
  });
  afterAll(() => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    redis?.kill('SIGKILL');
  });

  it('each unit once, ≤ 4 per process, merged = one-process run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-bsup-'));
    // four northern stations (12 units): enough for several processes, short enough for npm test
    const pm = readFileSync(data('pcd_pm25_daily_2025_north.csv'), 'utf8').split('\n');
    writeFileSync(join(dir, 'pm25.csv'), [pm[0], ...pm.slice(1).filter((l) => /^(35t|36t|57t|67t),/.test(l))].join('\n'));
    const spec = { hotspots: data('firms_modis_th_region.csv'), pm25: join(dir, 'pm25.csv'), stations: data('stations_north.csv'), wind: data('wind_2pt_hourly_2025.csv'), regions: data('countries_ne50m_region.geojson'), from: '2025-04-22', to: '2025-04-24' };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = join(dir, 'out');
    const planned = spawnSync(process.execPath, [CLI, 'batch', 'plan', '--spec', join(dir, 'spec.json'), '--out', out, '--unit-days', '1', '--json'], { encoding: 'utf8' });
    expect(planned.status, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as BatchPlan;
    const stations = new Set(plan.units.map((u) => u.station));
    expect(plan.unitDays).toBe(1);
    expect(stations.size).toBe(4);
    expect(plan.units.length).toBe(3 * stations.size); // 22, 23 and 24 April for every station
    expect(new Set(plan.units.map((u) => u.key)).size).toBe(plan.units.length);
    for (const u of plan.units) expect(u.period!.from).toBe(u.period!.to);
    // one PM2.5 partition per station, shared by its units
    expect(readdirSync(join(out, 'series')).length).toBe(stations.size);

    const stats = join(dir, 'stats.json');
    worker = spawn(process.execPath, [CLI, 'batch', 'worker', '--out', out, '--redis-port', String(port), '--units-per-process', '4', '--stats', stats], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    worker.stderr!.on('data', (b) => (stderr += String(b)));
    const r = await enqueueBatch(out, { port, timeoutMs: 600_000 });
    expect(r.done).toBe(plan.units.length);
    // SIGTERM: the CLI exits 143 (its convention) and the worker process it was running stops with it
    const exited = new Promise<number | null>((ok) => worker!.once('exit', ok));
    worker.kill('SIGTERM');
    expect(await exited, stderr).toBe(143);
    const st = JSON.parse(readFileSync(stats, 'utf8')) as { ran: { skipped: boolean }[]; usage: { processes: number; peakRssMB: number; supervisorPeakRssMB: number }; processes: { pid: number; units: number }[] };
    const last = st.processes[st.processes.length - 1]!.pid;
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(last); i++) await new Promise((ok) => setTimeout(ok, 100));
    expect(alive(last), 'the last worker process outlived its supervisor').toBe(false);

    // every unit computed once, by processes of at most 4 units each
    const markers = readdirSync(join(out, 'done')).map((f) => JSON.parse(readFileSync(join(out, 'done', f), 'utf8')) as { pid: number; key: string });
    expect(markers.length).toBe(plan.units.length);
    const perPid = new Map<number, number>();
    for (const m of markers) perPid.set(m.pid, (perPid.get(m.pid) ?? 0) + 1);
    expect(Math.max(...perPid.values())).toBeLessThanOrEqual(4);
    expect(perPid.size).toBeGreaterThanOrEqual(Math.ceil(plan.units.length / 4));
    expect(st.ran.filter((u) => !u.skipped).length).toBe(plan.units.length);
    expect(st.usage.processes).toBeGreaterThanOrEqual(perPid.size);
    expect(st.processes.every((p) => p.units <= 4)).toBe(true);
    expect(st.usage.peakRssMB).toBeGreaterThan(0);
    expect(st.usage.supervisorPeakRssMB).toBeGreaterThan(0);

    const merged = spawnSync(process.execPath, [CLI, 'batch', 'merge', '--out', out, '--json'], { encoding: 'utf8' });
    expect(merged.status, merged.stderr).toBe(0);
    const whole = attributeSpec(spec);
    for (const [table, want] of [['shares', sharesToParquet(whole)], ['sources', sourcesToParquet(whole)]] as const) {
      const w = sorted(await rowsOf(want));
      const g = sorted(await rowsOf(readFileSync(join(out, `${table}.parquet`))));
      expect(w.length, table).toBeGreaterThan(0);
      expect(g.length, table).toBe(w.length);
      g.forEach((row, i) => expect(row, `${table} row ${i}`).toEqual(w[i]));
    }
  }, 600_000);

  it('batch worker --max-units 2 exits 0 after exactly 2 computed units; another worker finishes the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-bmax-'));
    const pm = readFileSync(data('pcd_pm25_daily_2025_north.csv'), 'utf8').split('\n');
    writeFileSync(join(dir, 'pm25.csv'), [pm[0], ...pm.slice(1).filter((l) => /^(35t|36t|37t|57t|67t),/.test(l))].join('\n'));
    const spec = { hotspots: data('firms_modis_th_region.csv'), pm25: join(dir, 'pm25.csv'), stations: data('stations_north.csv'), wind: data('wind_2pt_hourly_2025.csv'), from: '2025-04-23', to: '2025-04-23' };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = join(dir, 'out');
    const planned = spawnSync(process.execPath, [CLI, 'batch', 'plan', '--spec', join(dir, 'spec.json'), '--out', out, '--json'], { encoding: 'utf8' });
    expect(planned.status, planned.stderr).toBe(0);
    const units = (JSON.parse(planned.stdout) as { units: number }).units;
    expect(units).toBe(5);
    const both = spawnSync(process.execPath, [CLI, 'batch', 'worker', '--out', out, '--max-units', '2', '--units-per-process', '2'], { encoding: 'utf8' });
    expect(both.status).toBe(2); // a usage error: the two restart modes exclude each other
    const first = spawn(process.execPath, [CLI, 'batch', 'worker', '--out', out, '--redis-port', String(port), '--max-units', '2', '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    first.stdout!.on('data', (b) => (stdout += String(b)));
    const run = enqueueBatch(out, { port, timeoutMs: 300_000 });
    const code = await new Promise<number | null>((ok) => first.once('exit', ok));
    expect(code).toBe(0);
    expect((JSON.parse(stdout.trim()) as { ran: { skipped: boolean }[] }).ran.filter((u) => !u.skipped).length).toBe(2);
    expect(readdirSync(join(out, 'done')).length).toBe(2);
    // the rest through the library's supervisor (worker processes from the TypeScript entry, 2 units each); close()
    // stops it and its last process
    const sup = superviseBatchWorker(out, { port, unitsPerProcess: 2 });
    expect((await run).done).toBe(units);
    await sup.close();
    expect(sup.ran.filter((u) => !u.skipped).length).toBe(units - 2);
    expect(sup.processes.length).toBeGreaterThanOrEqual(Math.ceil((units - 2) / 2));
    expect(sup.processes.every((p) => p.units <= 2)).toBe(true);
    expect(sup.processes.slice(0, -1).every((p) => p.code === 0)).toBe(true); // each exited after its 2 units
    const usage = sup.usage();
    expect(usage.processes).toBe(sup.processes.length);
    expect(usage.peakRssMB).toBeGreaterThan(0);
    const last = sup.processes[sup.processes.length - 1]!.pid;
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      try {
        process.kill(last, 0);
        await new Promise((ok) => setTimeout(ok, 100));
      } catch {
        gone = true;
      }
    }
    expect(gone, 'the last worker process outlived close()').toBe(true);
  }, 600_000);
});
