/**
 * `hazetrace batch` on a real Redis (Debian's redis-server, started here on a loopback port): three worker
 * processes attribute the embedded season as per-station units, one is killed mid-run, its unit is retried, and the
 * merged Parquet equals the one-process `attributeSeries` run value for value; a second run recomputes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { startRedis } from './redis.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sharesToParquet } from '../../src/attribution/index.js';
import { attributeSpec, rowsOf } from './batch-reference.js';
import { enqueueBatch } from '../../src/node/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const data = (f: string): string => join(ROOT, 'data', f);
const haveRedis = spawnSync('redis-server', ['--version']).status === 0;
const haveDist = existsSync(CLI);
if (!haveRedis) console.warn('batch.test: skipped — redis-server is not installed (apt-get install redis-server; .ci/run installs it)');
if (!haveDist) console.warn('batch.test: skipped — dist/ is not built (npm test builds it; or npm run build)');


const keyOf = (r: Record<string, unknown>): string => `${String(r['station'])}|${(r['start_utc'] as Date).getTime()}|${String(r['dimension'])}|${String(r['key'])}`;

describe.skipIf(!haveRedis || !haveDist)('hazetrace batch on Redis', () => {
  let redis: ChildProcess;
  let port = 0;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    ({ port, redis } = await startRedis());
  });
  afterAll(() => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    redis?.kill('SIGKILL');
  });

  it('3 workers, one killed mid-run: merged result = one-process run; a rerun recomputes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-batch-'));
    const spec = { hotspots: data('firms_modis_th_region.csv'), pm25: data('pcd_pm25_daily_2025_north.csv'), stations: data('stations_north.csv'), wind: data('wind_2pt_hourly_2025.csv'), regions: data('countries_ne50m_region.geojson'), from: '2025-04-22', to: '2025-04-24' };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = join(dir, 'out');
    const plan = spawnSync(process.execPath, [CLI, 'batch', 'plan', '--spec', join(dir, 'spec.json'), '--out', out, '--json'], { encoding: 'utf8' });
    expect(plan.status, plan.stderr).toBe(0);
    const units = (JSON.parse(plan.stdout) as { units: number }).units;
    expect(units).toBeGreaterThanOrEqual(3);

    for (let i = 0; i < 3; i++) workers.push(spawn(process.execPath, [CLI, 'batch', 'worker', '--out', out, '--redis-port', String(port), '--lock-ms', '3000'], { stdio: 'ignore' }));
    const run = enqueueBatch(out, { port, timeoutMs: 600_000 });
    // Kill worker 0 as soon as some unit is done (so it is busy with its second unit, or its first one).
    const t0 = Date.now();
    while (!existsSync(join(out, 'done')) || readdirSync(join(out, 'done')).length === 0) {
      if (Date.now() - t0 > 300_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    workers[0]!.kill('SIGKILL');
    const killedPid = workers[0]!.pid;
    const r = await run;
    expect(r.done).toBe(units);
    const markers = readdirSync(join(out, 'done')).map((f) => JSON.parse(readFileSync(join(out, 'done', f), 'utf8')) as { pid: number; station: string });
    expect(markers.length).toBe(units);
    expect(markers.some((m) => m.pid !== killedPid)).toBe(true);

    const merged = spawnSync(process.execPath, [CLI, 'batch', 'merge', '--out', out, '--json'], { encoding: 'utf8' });
    expect(merged.status, merged.stderr).toBe(0);

    // The one-process run of the same spec.
    const whole = attributeSpec(spec);
    const want = (await rowsOf(sharesToParquet(whole))).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
    const got = (await rowsOf(readFileSync(join(out, 'shares.parquet')))).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
    expect(got.length).toBe(want.length);
    expect(want.length).toBeGreaterThan(0);
    got.forEach((g, i) => {
      const w = want[i]!;
      expect(keyOf(g)).toBe(keyOf(w));
      for (const c of ['share', 'band_low', 'band_high', 'peak_ugm3']) expect(g[c]).toBe(w[c]); // bit for bit
    });

    // A second run: every unit has its marker, nothing is queued or recomputed.
    const before = readdirSync(join(out, 'done')).map((f) => statSync(join(out, 'done', f)).mtimeMs);
    const again = await enqueueBatch(out, { port, timeoutMs: 60_000 });
    expect(again.queued).toBe(0);
    expect(readdirSync(join(out, 'done')).map((f) => statSync(join(out, 'done', f)).mtimeMs)).toEqual(before);
    for (const w of workers.slice(1)) w.kill('SIGTERM');
  }, 600_000);
});
