/**
 * DuckDB, the local analytical engine, reads hazetrace's Parquet outputs and answers the war-room questions in SQL
 * with the library's own numbers: shares by country per month (= poolShares over that month's episodes) and the
 * top cells per province (= the library's ranking).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { attributeSeries, poolShares, polygonIndex, sharesToParquet, sourcesToParquet } from '../../src/attribution/index.js';
import { cellsToParquet, hivePartitionPath, readFirmsCsv, readGeoJsonLayer, readStationSeriesCsv, readStationsCsv } from '../../src/io/index.js';
import { binPoints } from '../../src/grid/index.js';
import { readWindCsv, stationWind } from '../../src/wind/index.js';
import { cellToLatLng } from 'h3-js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const text = (f: string): string => readFileSync(join(ROOT, 'data', f), 'utf8');
const LOCAL = 7 * 3_600_000;
const month = (ms: number): string => new Date(ms + LOCAL).toISOString().slice(0, 7);

async function sql(db: DuckDBInstance, q: string): Promise<Record<string, unknown>[]> {
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(q)).getRowObjects() as Record<string, unknown>[];
  } finally {
    c.closeSync();
  }
}

describe('DuckDB over the Parquet outputs', () => {
  it('shares by country per month in SQL equal poolShares over each month (to 1e-12)', async () => {
    const hotspots = readFirmsCsv(text('firms_modis_th_region.csv')).hotspots;
    const r = attributeSeries(
      {
        hotspots,
        series: readStationSeriesCsv(text('pcd_pm25_daily_2025_north.csv'), { utcOffset: '+07:00' }),
        stations: readStationsCsv(text('stations_north.csv')).stations,
        wind: stationWind(readWindCsv(text('wind_2pt_hourly_2025.csv')).observations),
        regions: readGeoJsonLayer(text('countries_ne50m_region.geojson')),
      },
      { from: '2025-04-22', to: '2025-04-24' },
    );
    const attributed = r.episodes.filter((e) => e.status === 'attributed');
    const months = [...new Set(attributed.map((e) => month(e.episode.start)))].sort();
    expect(months.length).toBeGreaterThanOrEqual(1);

    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-duckdb-'));
    writeFileSync(join(dir, 'shares.parquet'), sharesToParquet(r));
    writeFileSync(join(dir, 'sources.parquet'), sourcesToParquet(r));
    const db = await DuckDBInstance.create(':memory:');
    const rows = await sql(
      db,
      `WITH s AS (SELECT *, strftime(start_utc::TIMESTAMP + INTERVAL 7 HOUR, '%Y-%m') AS month FROM '${join(dir, 'shares.parquet')}'),
            ep AS (SELECT DISTINCT month, episode, peak_ugm3 FROM s),
            w AS (SELECT month, sum(peak_ugm3) AS wsum FROM ep GROUP BY month)
       SELECT s.month, s.key AS country, sum(s.peak_ugm3 * s.share) / any_value(w.wsum) AS share
       FROM s JOIN w USING (month) WHERE s.dimension = 'region' GROUP BY s.month, s.key ORDER BY s.month, share DESC, country`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const m of months) {
      const lib = poolShares({ episodes: r.episodes.filter((e) => e.status === 'attributed' && month(e.episode.start) === m) }, 'region');
      const got = rows.filter((x) => x['month'] === m);
      expect(got.map((x) => x['country']).sort()).toEqual(lib.map((x) => x.key).sort());
      for (const s of lib) expect(Number(got.find((x) => x['country'] === s.key)!['share'])).toBeCloseTo(s.share, 12);
    }
    // The sources table: one rank-1 source per attributed episode, and shares that add up per episode.
    const src = await sql(db, `SELECT episode, count(*) FILTER (WHERE rank = 1) AS firsts, sum(share) AS total FROM '${join(dir, 'sources.parquet')}' GROUP BY episode`);
    expect(src.length).toBe(attributed.filter((e) => e.sources.length > 0).length);
    for (const x of src) expect(Number(x['firsts'])).toBe(1);
  }, 300_000);

  it('top cells per province from Hive-partitioned cell tables equal the library ranking', async () => {
    const hotspots = readFirmsCsv(text('firms_modis_th_region.csv')).hotspots;
    const provinces = readGeoJsonLayer(text('th_provinces_simplified.geojson'));
    const grid = binPoints(hotspots, { res: 6 });
    const count = grid.columns['count']!;
    const index = polygonIndex(provinces, { property: 'pro_code' });
    const province = grid.cells.map((c) => {
      const [lat, lng] = cellToLatLng(c);
      return index.valueAt(lng, lat) ?? '';
    });
    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-duckdb-cells-'));
    // One partition per province (Hive-style), as a batch run would write them.
    const byProv = new Map<string, number[]>();
    province.forEach((p, i) => p && (byProv.get(p) ?? byProv.set(p, []).get(p)!).push(i));
    for (const [p, idx] of byProv) {
      const part = join(dir, hivePartitionPath({ province: p }));
      mkdirSync(part, { recursive: true });
      writeFileSync(join(part, 'cells.parquet'), cellsToParquet({ res: grid.res, cells: idx.map((i) => grid.cells[i]!), columns: { count: Float64Array.from(idx, (i) => count[i]!) } }));
    }
    const db = await DuckDBInstance.create(':memory:');
    const rows = await sql(
      db,
      `SELECT province, h3, count FROM (
         SELECT province, h3, count, row_number() OVER (PARTITION BY province ORDER BY count DESC, h3) AS rk
         FROM read_parquet('${dir}/*/*.parquet', hive_partitioning = true)) WHERE rk <= 3 ORDER BY province, rk`,
    );
    const lib: { province: string; h3: string; count: number }[] = [];
    for (const [p, idx] of [...byProv].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const top = [...idx].sort((a, b) => count[b]! - count[a]! || (grid.cells[a]! < grid.cells[b]! ? -1 : 1)).slice(0, 3);
      for (const i of top) lib.push({ province: p, h3: grid.cells[i]!, count: count[i]! });
    }
    expect(rows.map((x) => ({ province: String(x['province']), h3: x['h3'], count: Number(x['count']) }))).toEqual(lib);
  }, 120_000);
});
