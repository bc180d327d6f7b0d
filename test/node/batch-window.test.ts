/**
 * A batch unit on NetCDF3 gridded wind reads, per window of days, only the wind frames that window's
 * back-trajectories need (src/node/batch.ts with `openNetcdfWindFile`), so its memory does not grow with the
 * season. The result must not change: shares and sources Parquet byte-identical, and the same trajectory rows, as
 * `attributeSeries` on the station with the whole file's wind. Real embedded PM2.5, FIRMS and countries; the wind is
 * the embedded two-site hourly wind sampled onto a 0.5° grid and written as NetCDF3 (hazetrace/sim's windToNetcdf).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { attributeSeries, episodeTrajectoriesToParquet, hotspotLayerToParquet, readHotspotLayerParquet, sharesToParquet, sourcesToParquet } from '../../src/attribution/index.js';
import { readFirmsCsv, readGeoJsonLayer, readStationSeriesCsv, readStationsCsv } from '../../src/io/index.js';
import { openWindFile, planBatch, runBatchUnit } from '../../src/node/index.js';
import { windToNetcdf } from '../../src/sim/index.js';
import { rowsOf } from '../integration/batch-reference.js';
import { readWindCsv, stationWind } from '../../src/wind/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const data = (f: string): string => join(ROOT, 'data', f);
const H = 3_600_000;

/** The two-site wind of 1 April – 3 May 2025 sampled hourly on a 0.5° grid over 92–108° E, 10–26° N. */
function griddedNetcdf(): Uint8Array {
  const pw = stationWind(readWindCsv(readFileSync(data('wind_2pt_hourly_2025.csv'), 'utf8')).observations);
  const west = 92, south = 10, d = 0.5, nx = 33, ny = 33;
  const t0 = Date.UTC(2025, 3, 1), nt = 32 * 24 + 1;
  const u = new Float64Array(nt * nx * ny), v = new Float64Array(nt * nx * ny);
  const out = new Float64Array(2);
  for (let k = 0; k < nt; k++) {
    for (let r = 0; r < ny; r++) {
      for (let c = 0; c < nx; c++) {
        const i = (k * ny + r) * nx + c;
        const ok = pw.sample(west + c * d, south + r * d, t0 + k * H, out) === 0;
        // a gentle spatial shear so neighbouring cells differ
        u[i] = (ok ? out[0]! : 0) + 0.05 * (r - 16);
        v[i] = (ok ? out[1]! : 0) - 0.05 * (c - 16);
      }
    }
  }
  // a 40 m/s gust in the last frame, after every window: it sets the trajectory time step of the whole file (a field
  // of fewer frames would step differently), so a window must step as the whole file does
  u[(nt - 1) * nx * ny + 7] = 40;
  return windToNetcdf({ west, south, dLng: d, dLat: d, nx, ny, times: Float64Array.from({ length: nt }, (_, k) => t0 + k * H), u, v });
}

describe('batch unit on windowed NetCDF3 wind', () => {
  it('chunkDays 4 on windowed wind = attributeSeries on the station with the whole file (shares, sources, trajectory rows)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-bwin-'));
    writeFileSync(join(dir, 'wind.nc'), griddedNetcdf());
    const pm = readFileSync(data('pcd_pm25_daily_2025_north.csv'), 'utf8').split('\n');
    writeFileSync(join(dir, 'pm25.csv'), [pm[0], ...pm.slice(1).filter((l) => l.startsWith('35t,') || l.startsWith('57t,'))].join('\n'));
    const spec = { hotspots: data('firms_modis_th_region.csv'), pm25: 'pm25.csv', stations: data('stations_north.csv'), wind: 'wind.nc', regions: data('countries_ne50m_region.geojson'), from: '2025-04-10', to: '2025-04-30' };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = join(dir, 'out');
    const plan = await planBatch(join(dir, 'spec.json'), out);
    const unit = plan.units.find((u) => u.station === '35t')!;
    const r = await runBatchUnit(out, plan, unit, { chunkDays: 4, wind: 'window' });
    expect(r.episodes).toBeGreaterThanOrEqual(2);
    expect(r.attributed).toBeGreaterThanOrEqual(1);
    // the windowed path ran, and no window held the whole file
    expect(r.windFrames?.file).toBe(32 * 24 + 1);
    expect(r.windFrames!.maxPerWindow).toBeGreaterThan(72);
    expect(r.windFrames!.maxPerWindow).toBeLessThan(r.windFrames!.file / 2);
    // and no window held the season's hotspots: only the month partitions its back-trajectories reach
    expect(r.hotspots?.season).toBe(readFirmsCsv(readFileSync(spec.hotspots, 'utf8')).hotspots.length);
    expect(r.hotspots!.maxPerWindow).toBeGreaterThan(0);
    expect(r.hotspots!.maxPerWindow).toBeLessThan(r.hotspots!.season / 2);
    expect(plan.hotspots.months).toContain('2025-04');

    const text = (f: string): string => readFileSync(resolve(dir, f), 'utf8');
    const all = readStationSeriesCsv(text(spec.pm25), { utcOffset: '+07:00' });
    const idx = [...all.series.station.keys()].filter((i) => all.series.station[i] === '35t');
    const series = { ...all, series: { ...all.series, length: idx.length, station: idx.map(() => '35t'), time: Float64Array.from(idx, (i) => all.series.time[i]!), values: Object.fromEntries(Object.entries(all.series.values).map(([k, v]) => [k, Float64Array.from(idx, (i) => v[i]!)])) } };
    const whole = (await openWindFile(join(dir, 'wind.nc'))).field;
    const direct = attributeSeries(
      { hotspots: readFirmsCsv(text(spec.hotspots)).hotspots, series: series as never, stations: readStationsCsv(text(spec.stations)).stations, wind: whole, regions: readGeoJsonLayer(text(spec.regions)) },
      { from: spec.from, to: spec.to, scales: plan.calibration.scales, scaleIntervals: plan.calibration.intervals },
    );
    expect(direct.episodes.length).toBe(r.episodes);
    const part = (t: string): Uint8Array => readFileSync(join(out, t, 'station=35t', `part-${unit.key}.parquet`));
    expect(Buffer.compare(part('shares'), sharesToParquet(direct))).toBe(0);
    expect(Buffer.compare(part('sources'), sourcesToParquet(direct))).toBe(0);
    const want = await rowsOf(episodeTrajectoriesToParquet(direct));
    const got = await rowsOf(part('trajectories'));
    expect(got.length).toBe(want.length);
    expect(got.length).toBe(r.points);
    expect(got.length).toBeGreaterThan(1000);
    for (let i = 0; i < got.length; i += 53) expect(got[i]).toEqual(want[i]);
    expect(got[got.length - 1]).toEqual(want[want.length - 1]);

    // and the unit with the wind read whole (as before windowed reading) writes the same bytes
    const out2 = join(dir, 'whole');
    const plan2 = await planBatch(join(dir, 'spec.json'), out2);
    const r2 = await runBatchUnit(out2, plan2, plan2.units.find((u) => u.station === '35t')!, { chunkDays: 4, wind: 'whole' });
    expect(r2.windFrames).toBeUndefined();
    for (const t of ['shares', 'sources', 'trajectories']) expect(Buffer.compare(readFileSync(join(out2, t, 'station=35t', `part-${unit.key}.parquet`)), part(t)), t).toBe(0);

    // units of 5 local days (windows of 2 inside): the station's units, in plan order, give the same rows
    const out3 = join(dir, 'periods');
    const plan3 = await planBatch(join(dir, 'spec.json'), out3, { unitDays: 5 });
    const mine = plan3.units.filter((u) => u.station === '35t');
    expect(mine.length).toBe(5); // 10–30 April: 21 days
    expect(mine.map((u) => u.period)).toEqual([
      { from: '2025-04-10', to: '2025-04-14' }, { from: '2025-04-15', to: '2025-04-19' }, { from: '2025-04-20', to: '2025-04-24' },
      { from: '2025-04-25', to: '2025-04-29' }, { from: '2025-04-30', to: '2025-04-30' },
    ]);
    const results = [];
    for (const u of mine) results.push(await runBatchUnit(out3, plan3, u, { chunkDays: 2 }));
    expect(results.reduce((a, x) => a + x.episodes, 0)).toBe(direct.episodes.length);
    expect(results.filter((x) => x.episodes > 0).length).toBeGreaterThanOrEqual(2); // the episodes fall in more than one period
    const concat = async (t: string): Promise<Record<string, unknown>[]> => (await Promise.all(mine.map((u) => rowsOf(readFileSync(join(out3, t, 'station=35t', `part-${u.key}.parquet`)))))).flat();
    expect(await concat('shares')).toEqual(await rowsOf(sharesToParquet(direct)));
    expect(await concat('sources')).toEqual(await rowsOf(sourcesToParquet(direct)));
    const trajRows = await concat('trajectories');
    expect(trajRows.length).toBe(want.length);
    for (let i = 0; i < trajRows.length; i += 53) expect(trajRows[i]).toEqual(want[i]);

    // a damaged month partition (a row the reader rejects) fails the unit with E_FORMAT, never attributes on fewer rows
    const out4 = join(dir, 'damaged');
    const plan4 = await planBatch(join(dir, 'spec.json'), out4);
    const month = join(out4, 'hotspots', 'month=2025-04', `part-${plan4.hotspots.key}.parquet`);
    const { layer } = await readHotspotLayerParquet(readFileSync(month));
    layer.sources.lat[3] = Number.NaN;
    writeFileSync(month, hotspotLayerToParquet(layer));
    const err = await runBatchUnit(out4, plan4, plan4.units.find((u) => u.station === '35t')!, { chunkDays: 31 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_FORMAT' });
    expect(String((err as Error).message)).toMatch(/damaged.*1 row/);
  }, 600_000);
});
