/**
 * `hazetrace forecast` end to end: on the embedded sample (data/, as `demo` finds it) against the library called
 * directly, and on a small synthetic case (one fire, a steady westerly point wind) with the wind-coverage statuses.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { calibrateSeries, forecastSmoke } from '../../src/attribution/index.js';
import { readFirmsCsv, readStationSeriesCsv, readStationsCsv } from '../../src/io/index.js';
import { openWindFile } from '../../src/node/index.js';
import { sampleDataDir } from '../../src/cli/paths.js';
import { EXIT } from '../../src/cli/errors.js';
import { cli } from '../run-cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'hazetrace-forecast-'));
const DATA = sampleDataDir();
const d = (f: string): string => join(DATA, f);

describe('hazetrace forecast on the embedded sample', () => {
  it('writes stations.csv, cells.geojson and summary.json; --json equals forecastSmoke with calibrateSeries', async () => {
    const out = tmp();
    const args = ['forecast', '--hotspots', d('firms_modis_th_region.csv'), '--wind', d('wind_2pt_hourly_2025.csv'), '--stations', d('stations_north.csv'), '--pm25', d('pcd_pm25_daily_2025_north.csv'), '--out', out];
    const r = await cli([...args, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.status).toBe('ok');
    expect(json.incrementStatus).toBe('calibrated');
    expect(json.issueTime).toBe('2025-04-24T14:10:00Z');
    expect(json.stations).toHaveLength(15);
    for (const f of ['stations.csv', 'cells.geojson', 'summary.json']) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'stations.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 15 * 2);
    const cells = JSON.parse(readFileSync(join(out, 'cells.geojson'), 'utf8'));
    expect(cells.features.length).toBe(json.cells.count);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toEqual(json);

    // The same numbers from the library.
    const hotspots = readFirmsCsv(readFileSync(d('firms_modis_th_region.csv'), 'utf8')).hotspots;
    const stations = readStationsCsv(readFileSync(d('stations_north.csv'), 'utf8')).stations;
    const series = readStationSeriesCsv(readFileSync(d('pcd_pm25_daily_2025_north.csv'), 'utf8'), { utcOffset: '+07:00' });
    const wind = (await openWindFile(d('wind_2pt_hourly_2025.csv'))).field;
    const fit = calibrateSeries({ hotspots, series, stations, wind }, { utcOffset: '+07:00', seed: 1 });
    expect(fit.mode).toBe('calibrated');
    const lib = forecastSmoke({ hotspots, stations, wind }, { scales: fit, cells: false });
    expect(json.stations).toEqual(JSON.parse(JSON.stringify(lib.toJSON())).stations);
    expect(json.provenance).toEqual(JSON.parse(JSON.stringify(lib.provenance)));

    // The human table, with the fitted scales saved and given back through --scales (no refit): the same increments.
    writeFileSync(join(out, 'scales.json'), JSON.stringify({ calibration: json.calibrationFit }));
    const h = await cli(['forecast', '--hotspots', d('firms_modis_th_region.csv'), '--wind', d('wind_2pt_hourly_2025.csv'), '--stations', d('stations_north.csv'), '--scales', join(out, 'scales.json'), '--horizons', '24', '--res', '5']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^forecast issued 2025-04-24 14:10Z: status ok/);
    expect(h.stdout).toContain('increment: calibrated');
    const s35 = json.stations.find((s: { station: string }) => s.station === '35t').horizons[0];
    const row = h.stdout.split('\n').find((l) => l.startsWith('  35t '))!;
    expect(row).toContain(`${s35.probability.toFixed(2)}`);
    expect(row).toContain(`${s35.increment.mean.toFixed(1)} [${s35.increment.low.toFixed(1)}-${s35.increment.high.toFixed(1)}]`);
  }, 240_000);
});

/** One fire at 99°E 18°N, stations 100 km downwind (east) and upwind (west), a westerly 5 m/s point wind for `hours` h. */
function synthetic(dir: string, hours: number): { hotspots: string; stations: string; wind: string } {
  writeFileSync(
    join(dir, 'firms.csv'),
    'latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight\n18,99,330,1,1,2025-04-22,0600,N,h,2.0NRT,290,50,D\n',
  );
  const dLng = (100 / (6371 * Math.cos((18 * Math.PI) / 180))) * (180 / Math.PI);
  writeFileSync(join(dir, 'stations.csv'), `station_id,lat,long\ndown,18,${99 + dLng}\nup,18,${99 - dLng}\n`);
  const rows = ['site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from'];
  for (let k = 0; k <= hours; k++) {
    const t = new Date(Date.UTC(2025, 3, 22, 6 + k)).toISOString().replace('.000Z', 'Z');
    for (const [id, lng] of [['a', 98.5], ['b', 100]] as const) rows.push(`${id},18,${lng},${t},5,270`);
  }
  writeFileSync(join(dir, 'wind.csv'), rows.join('\n') + '\n');
  return { hotspots: join(dir, 'firms.csv'), stations: join(dir, 'stations.csv'), wind: join(dir, 'wind.csv') };
}

describe('hazetrace forecast on a synthetic case', () => {
  it('smoke reaches the downwind station in ~5.6 h with probability 1, never the upwind one; 48 h without wind is insufficient-wind', async () => {
    const dir = tmp();
    const f = synthetic(dir, 30);
    const out = join(dir, 'out');
    const r = await cli(['forecast', '--hotspots', f.hotspots, '--wind', f.wind, '--stations', f.stations, '--ensemble', 'offset', '--scales', writeScales(dir), '--out', out, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('partial');
    expect(j.horizons.map((h: { status: string }) => h.status)).toEqual(['ok', 'insufficient-wind']);
    const down = j.stations.find((s: { station: string }) => s.station === 'down');
    const up = j.stations.find((s: { station: string }) => s.station === 'up');
    expect(down.horizons[0].probability).toBe(1);
    expect((Date.parse(down.horizons[0].arrival) - Date.UTC(2025, 3, 22, 6)) / 3_600_000).toBeCloseTo(5.56, 1);
    expect(down.horizons[0].increment.mean).toBeGreaterThan(0);
    expect(down.horizons[1]).toMatchObject({ status: 'insufficient-wind', probability: null });
    expect(up.horizons[0].probability).toBe(0);
    const csv = readFileSync(join(out, 'stations.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^station,lng,lat,horizon_h,status,probability,arrival_utc/);
    expect(csv.find((l) => l.startsWith('down,') && l.includes(',48,'))).toMatch(/,48,insufficient-wind,,/);
  });

  it('wind that ends before the first horizon: exit 3 with the reason (summary still written); --allow-empty exits 0', async () => {
    const dir = tmp();
    const f = synthetic(dir, 12);
    const out = join(dir, 'out');
    const args = ['forecast', '--hotspots', f.hotspots, '--wind', f.wind, '--stations', f.stations, '--horizons', '24', '--out', out];
    const r = await cli(args);
    expect(r.code).toBe(EXIT.INPUT);
    expect(r.stderr).toContain('insufficient-wind');
    expect(r.stderr).toContain('the 24-h forecast needs 2025-04-22T06:00:00Z..2025-04-23T06:00:00Z');
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).status).toBe('insufficient-wind');
    expect((await cli([...args, '--allow-empty'])).code).toBe(0);
  });

  it('without --scales/--pm25 the table says uncalibrated and has no increment column; bad options are usage errors', async () => {
    const dir = tmp();
    const f = synthetic(dir, 60);
    const r = await cli(['forecast', '--hotspots', f.hotspots, '--wind', f.wind, '--stations', f.stations, '--ensemble', 'offset']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/status uncalibrated/);
    expect(r.stdout).toContain('increment: uncalibrated');
    expect(r.stdout).not.toContain('+PM2.5');
    expect(r.stdout).toMatch(/\n {2}down +1\.00 +1\.00 +2025-04-22 11:33Z/);
    for (const bad of [['--horizons', '24,x'], ['--ensemble', 'nine'], ['--res', '16'], ['--scales', 'a.json', '--pm25', 'b.csv']]) {
      expect((await cli(['forecast', '--hotspots', f.hotspots, '--wind', f.wind, '--stations', f.stations, ...bad])).code).toBe(EXIT.USAGE);
    }
  });
});

function writeScales(dir: string): string {
  const p = join(dir, 'scales.json');
  writeFileSync(p, JSON.stringify({ calibration: { mode: 'calibrated', scales: { fire_other: 80, facility: 0 }, background: 30, r2: 0.4, rows: 40, intervals: { fire_other: [60, 100] } } }));
  return p;
}

describe('hazetrace forecast on GFS-like GRIB2 forecast wind', () => {
  it('reads the GRIB2 (3-D: traced on its 500 m sample) and gives the library numbers; a station upwind gets P = 0', async () => {
    const out = tmp();
    const grib = 'test/fixtures/grib2/gfs_like.grib2'; // 97–101°E, 17–20°N, 06/09/12 UTC 22 March 2025
    const firms = join(out, 'h.csv');
    writeFileSync(firms, 'latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight\n18.50,98.80,320,1,1,2025-03-22,0600,A,80,6.1NRT,300,25,D\n18.55,98.85,320,1,1,2025-03-22,0600,A,80,6.1NRT,300,15,D\n');
    const sta = join(out, 's.csv');
    writeFileSync(sta, 'station_id,lat,long\ns1,18.45,99.0\ns2,19.5,100.5\n');
    const r = await cli(['forecast', '--hotspots', firms, '--wind', grib, '--stations', sta, '--horizons', '3,6', '--from-hours', '1', '--out', join(out, 'o'), '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.provenance.wind).toEqual({ kind: 'pressure-levels', start: '2025-03-22T06:00:00Z', end: '2025-03-22T12:00:00Z' });
    const hotspots = readFirmsCsv(readFileSync(firms, 'utf8')).hotspots;
    const stations = readStationsCsv(readFileSync(sta, 'utf8')).stations;
    const wind = (await openWindFile(grib)).field;
    const lib = forecastSmoke({ hotspots, stations, wind }, { horizons: [3, 6], fromHours: 1, cells: false });
    expect(json.stations).toEqual(JSON.parse(JSON.stringify(lib.toJSON())).stations);
    const p = (id: string): number => json.stations.find((s: { station: string }) => s.station === id).horizons[1].probability;
    expect(p('s1')).toBeGreaterThan(0.5); // 20 km downwind of the fires
    expect(p('s2')).toBe(0); // 200 km away, upwind
  });
});
