/**
 * The full shared real data (../shared/data, or $HAZETRACE_SHARED_DATA). It is not part of a clone,
 * so these tests skip when the folder is absent; the committed slices cover the same formats.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readFirmsCsvFile,
  readFirmsGeoJsonFile,
  readGeoJsonLayerFile,
  readPointsCsvFile,
  readStationSeriesCsvFile,
  readStationsCsvFile,
} from '../../src/node/index.js';
import { REPO, sharedData } from './helpers.js';
import { needsBuild, needsSharedData } from '../shared-data.js';

const data = sharedData();

describe.skipIf(data === null && !needsSharedData('test/io/real-data.test.ts "full shared real data"'))('full shared real data (skips without the shared data: set HAZETRACE_SHARED_DATA)', () => {
  const p = (n: string): string => join(data!, n);

  it('FIRMS MODIS: all 15,186 rows load with no rejection', async () => {
    const { hotspots, rejected } = await readFirmsCsvFile(p('firms_modis_c6_nrt_24h_snapshots_SEA.csv'));
    expect(rejected).toEqual([]);
    expect(hotspots.length).toBe(15_186);
    expect(new Set(hotspots.extra['snapshot_id'])).toEqual(new Set(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8']));
  });

  it('FIRMS VIIRS GeoJSON sample: 21 points', async () => {
    expect((await readFirmsGeoJsonFile(p('firms_viirs_snpp_nrt_northTH_2019-07_sample.geojson'))).hotspots.length).toBe(21);
  });

  it('Air4Thai hourly: accepted + missing + duplicate (+ rejected) add up to the row count', async () => {
    const { stats, series } = await readStationSeriesCsvFile(p('air4thai_hourly_2026-01-01_to_2026-04-30.csv'));
    expect(stats.rows).toBe(375_268);
    expect(stats.accepted + stats.duplicates + stats.rejected).toBe(stats.rows);
    expect(stats.accepted - stats.allMissing + stats.allMissing + stats.duplicates + stats.rejected).toBe(stats.rows);
    expect(new Set(series.station).size).toBe(193);
    expect(stats.missingValues['pm25_ugm3']).toBeGreaterThan(0);
  });

  it('PCD daily, stations, power plants, wind', async () => {
    const pcd = await readStationSeriesCsvFile(p('pcd_pm25_daily_2025-01-01_to_2025-06-30.csv'));
    expect(pcd.stats).toMatchObject({ rows: 18_100, accepted: 18_100, rejected: 0, allMissing: 200 });
    expect(new Set(pcd.series.station).size).toBe(100);
    const st = await readStationsCsvFile(p('air4thai_stations.csv'));
    expect(st.stations.length + st.rejected.length).toBe(195);
    const gppd = await readPointsCsvFile(p('gppd_powerplants_SEA_bbox.csv'));
    expect(gppd.points.length).toBe(625);
    expect(gppd.rejected).toEqual([]);
    for (const f of ['wind_hourly_openmeteo_era5_chiangmai_chiangrai_2025-01-01_to_2025-06-30.csv', 'wind_hourly_openmeteo_era5_chiangmai_chiangrai_2026-01-01_to_2026-04-30.csv']) {
      const w = await readStationSeriesCsvFile(p(f));
      expect(w.stats.rejected + w.stats.duplicates).toBe(0);
    }
  });

  it('GeoJSON layers: provinces 77, districts 928, regions 6, countries 10, none rejected', async () => {
    const counts: Record<string, number> = { 'th_provinces.geojson': 77, 'th_districts_2020.geojson': 928, 'th_regions_royin.geojson': 6, 'ne50m_admin0_countries_SEA.geojson': 10 };
    for (const [f, n] of Object.entries(counts)) {
      const r = await readGeoJsonLayerFile(p(f));
      expect(r.rejected).toEqual([]);
      expect(r.features).toHaveLength(n);
    }
  });
});

describe.skipIf(!existsSync(join(REPO, 'dist/io/index.js')) && !needsBuild('test/io/real-data.test.ts "contract from outside"', 'dist/io/index.js'))('contract from outside (built package; skips without `npm run build`)', () => {
  it("import { readFirmsCsv } from 'hazetrace/io' returns { hotspots, rejected }", async () => {
    const mod = (await import('hazetrace/io' as string)) as typeof import('../../src/io/index.js');
    const { hotspots, rejected } = mod.readFirmsCsv(
      'latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight\n18.79,98.98,330.1,1,1,2025-04-22,0325,T,80,6.1NRT,300.2,25.4,D\n',
    );
    expect(rejected).toEqual([]);
    expect(hotspots.length).toBe(1);
    expect(hotspots.lng).toBeInstanceOf(Float64Array);
    expect(Array.from(hotspots.lat)).toEqual([18.79]);
    expect(Array.from(hotspots.time)).toEqual([Date.UTC(2025, 3, 22, 3, 25)]);
    expect(Array.from(hotspots.frp)).toEqual([25.4]);
  });
});
