/**
 * A batch unit walks its station's season in windows of `chunkDays` and streams each window's back-trajectory
 * points to Parquet (src/node/batch.ts): its shares, sources and trajectory rows must equal the unit attributed in
 * one go, and `attributeSeries` on the station directly — the windows change peak memory, never the result.
 * Real embedded data (PCD daily PM2.5 of April 2025 at two stations, the two-point wind, FIRMS), no Redis needed.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { attributeSeries, episodeTrajectoriesToParquet, sharesToParquet, sourcesToParquet } from '../../src/attribution/index.js';
import { readFirmsCsv, readGeoJsonLayer, readStationSeriesCsv, readStationsCsv } from '../../src/io/index.js';
import { planBatch, runBatchUnit } from '../../src/node/index.js';
import { rowsOf } from './batch-reference.js';
import { readWindCsv, stationWind } from '../../src/wind/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const data = (f: string): string => join(ROOT, 'data', f);

describe('batch unit in day windows with streamed trajectories', () => {
  it('chunkDays 4 = one window = attributeSeries on the station (shares, sources, trajectory rows)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-stream-'));
    // Two stations of the PCD daily file (the unit is 35t; the plan fits the scales on both).
    const pm = readFileSync(data('pcd_pm25_daily_2025_north.csv'), 'utf8').split('\n');
    writeFileSync(join(dir, 'pm25.csv'), [pm[0], ...pm.slice(1).filter((l) => l.startsWith('35t,') || l.startsWith('57t,'))].join('\n'));
    const spec = { hotspots: data('firms_modis_th_region.csv'), pm25: 'pm25.csv', stations: data('stations_north.csv'), wind: data('wind_2pt_hourly_2025.csv'), regions: data('countries_ne50m_region.geojson'), from: '2025-04-10', to: '2025-04-30' };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const a = join(dir, 'one'), b = join(dir, 'chunked');
    const plan = await planBatch(join(dir, 'spec.json'), a);
    await planBatch(join(dir, 'spec.json'), b);
    const unit = plan.units.find((u) => u.station === '35t')!;
    const one = await runBatchUnit(a, plan, unit, { chunkDays: 10_000 });
    const chunked = await runBatchUnit(b, plan, unit, { chunkDays: 4 });
    expect(chunked.episodes).toBe(one.episodes);
    expect(chunked.episodes).toBeGreaterThanOrEqual(2);
    expect(chunked.points).toBe(one.points);
    expect(chunked.points).toBeGreaterThan(0);
    const part = (d: string, t: string): Uint8Array => readFileSync(join(d, t, 'station=35t', `part-${unit.key}.parquet`));
    for (const t of ['shares', 'sources']) expect(Buffer.compare(part(b, t), part(a, t)), t).toBe(0); // same bytes

    // attributeSeries on the station alone with the season's scales (what the one-process run gives the station).
    const text = (f: string): string => readFileSync(resolve(dir, f), 'utf8');
    const all = readStationSeriesCsv(text(spec.pm25), { utcOffset: '+07:00' });
    const idx = [...all.series.station.keys()].filter((i) => all.series.station[i] === '35t');
    const series = { ...all, series: { ...all.series, length: idx.length, station: idx.map(() => '35t'), time: Float64Array.from(idx, (i) => all.series.time[i]!), values: Object.fromEntries(Object.entries(all.series.values).map(([k, v]) => [k, Float64Array.from(idx, (i) => v[i]!)])) } };
    const direct = attributeSeries(
      {
        hotspots: readFirmsCsv(text(spec.hotspots)).hotspots,
        series: series as never,
        stations: readStationsCsv(text(spec.stations)).stations,
        wind: stationWind(readWindCsv(text(spec.wind)).observations),
        regions: readGeoJsonLayer(text(spec.regions)),
      },
      { from: spec.from, to: spec.to, scales: plan.calibration.scales, scaleIntervals: plan.calibration.intervals },
    );
    expect(Buffer.compare(part(b, 'shares'), sharesToParquet(direct))).toBe(0);
    expect(Buffer.compare(part(b, 'sources'), sourcesToParquet(direct))).toBe(0);
    const want = await rowsOf(episodeTrajectoriesToParquet(direct));
    const got = await rowsOf(part(b, 'trajectories'));
    expect(got.length).toBe(want.length);
    expect(got.length).toBe(chunked.points);
    for (let i = 0; i < got.length; i += 97) expect(got[i]).toEqual(want[i]);
    expect(got[got.length - 1]).toEqual(want[want.length - 1]);
  }, 300_000);
});
