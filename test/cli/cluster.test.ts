/** `hazetrace cluster` is the library's clusterTrajectories + clusterStatistics on a tdump, nothing more. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { clusterStatistics, clusterTrajectories } from '../../src/attribution/index.js';
import { readStationSeriesCsv } from '../../src/io/index.js';
import { readTdump } from '../../src/wind/index.js';
import { cli } from '../run-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('hazetrace cluster', () => {
  it('clusters a traced tdump and summarises PM2.5 per cluster exactly as the library does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-cluster-'));
    const times = Array.from({ length: 80 }, (_, i) => new Date(Date.UTC(2026, 1, 1) + i * 6 * 3_600_000).toISOString().replace('.000', ''));
    const tr = await cli(['trace', '--wind', join(ROOT, 'data', 'wind_2pt_hourly_2026.csv'), '--start', '98.97,18.84', '--time', times.join(','), '--hours', '48', '--out', join(dir, 'trace')]);
    expect(tr.code, tr.stderr).toBe(0);
    const pm25 = join(ROOT, 'data', 'air4thai_pm25_hourly_2026_north.csv');
    const r = await cli(['cluster', '--trajectories', join(dir, 'trace', 'tdump.txt'), '--k', '3', '--pm25', pm25, '--receptor', '35t', '--out', join(dir, 'cl'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { assignment: number[]; medoids: number[]; statistics: { clusters: { n: number; mean: number | null }[] } };

    const set = readTdump(readFileSync(join(dir, 'trace', 'tdump.txt'), 'utf8'));
    for (let t = 0; t < set.length; t++) set.receptor[t] = '35t';
    const lib = clusterTrajectories(set, { k: 3 });
    expect(j.medoids).toEqual(lib.medoids);
    expect(j.assignment).toEqual(Array.from(lib.assignment));
    const { series } = readStationSeriesCsv(readFileSync(pm25, 'utf8'), { utcOffset: '+07:00' });
    const stats = clusterStatistics(set, lib.assignment, { station: series.station, time: series.time, value: series.values['pm25_ugm3']! }, { k: 3 });
    expect(j.statistics.clusters.map((c) => c.n)).toEqual(stats.clusters.map((c) => c.n));
    j.statistics.clusters.forEach((c, i) => expect(c.mean ?? NaN).toBeCloseTo(stats.clusters[i]!.mean, 9));
    const fc = JSON.parse(readFileSync(join(dir, 'cl', 'clusters.geojson'), 'utf8')) as { features: { geometry: { type: string }; properties: { size: number } }[] };
    expect(fc.features.length).toBe(3);
    expect(fc.features.reduce((s, f) => s + f.properties.size, 0)).toBe(set.length);
    expect(readFileSync(join(dir, 'cl', 'cluster_assignment.csv'), 'utf8').trim().split('\n').length).toBe(set.length + 1);

    // the report: one label per cluster with the library's percentage; the difference map carries the flags
    const html = readFileSync(join(dir, 'cl', 'cluster_report.html'), 'utf8');
    lib.percent.forEach((p, c) => expect(html).toContain(`C${c + 1} ${p.toFixed(1)} %`));
    expect(html).not.toMatch(/<script|https?:\/\//);
    const diff = JSON.parse(readFileSync(join(dir, 'cl', 'difference.geojson'), 'utf8')) as { features: { properties: { significant: boolean; q: number } }[] };
    expect(diff.features.length).toBeGreaterThan(0);
    expect(diff.features.every((f) => typeof f.properties.significant === 'boolean' && f.properties.q >= 0 && f.properties.q <= 1)).toBe(true);

    // the trace's CSV and GeoJSON give the same clusters as its tdump
    for (const file of ['trajectories.csv', 'trajectories.geojson']) {
      const rf = await cli(['cluster', '--trajectories', join(dir, 'trace', file), '--k', '3', '--json']);
      expect(rf.code, rf.stderr).toBe(0);
      const jf = JSON.parse(rf.stdout) as { format: string; assignment: number[]; medoids: number[] };
      expect(jf.format).toBe(file.endsWith('csv') ? 'csv' : 'geojson');
      expect(jf.medoids).toEqual(lib.medoids);
      expect(jf.assignment).toEqual(Array.from(lib.assignment));
    }
  }, 180_000);

  it('bad usage: no k, an unknown distance, a PM2.5 join without receptors (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-cluster-'));
    const tr = await cli(['trace', '--wind', join(ROOT, 'data', 'wind_2pt_hourly_2026.csv'), '--start', '98.97,18.84', '--time', '2026-02-01T00:00:00Z,2026-02-02T00:00:00Z', '--hours', '24', '--out', dir]);
    expect(tr.code, tr.stderr).toBe(0);
    const tdump = join(dir, 'tdump.txt');
    expect((await cli(['cluster', '--trajectories', tdump])).stderr).toMatch(/give --k N or --k-auto/);
    const bad = await cli(['cluster', '--trajectories', tdump, '--k', '2', '--distance', 'manhattan']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--distance must be one of euclid, angle, euclid-openair, angle-openair/);
    const noRec = await cli(['cluster', '--trajectories', tdump, '--k', '1', '--pm25', join(ROOT, 'data', 'air4thai_pm25_hourly_2026_north.csv')]);
    expect(noRec.code).toBe(2);
    expect(noRec.stderr).toMatch(/--receptor/);
  });
});
