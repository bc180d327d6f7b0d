import { csvParse } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { readStationSeriesCsv, readStationsCsv } from '../../src/io/index.js';
import { expectCode, fixture, fixtureText } from './helpers.js';

const H = 3_600_000;

function addsUp(stats: { rows: number; accepted: number; duplicates: number; rejected: number }): void {
  expect(stats.accepted + stats.duplicates + stats.rejected).toBe(stats.rows);
}

describe('readStationSeriesCsv: Air4Thai hourly (long, local time, end-of-hour labels)', () => {
  const text = fixtureText('air4thai_hourly_slice.csv');
  const r = readStationSeriesCsv(fixture('air4thai_hourly_slice.csv'));
  const ref = csvParse(text);

  it('reads every row, stores end-of-hour UTC times, NaN for empty cells, counts that add up', () => {
    expect(r.format).toBe('long');
    expect(r.timeBasis).toBe('hour-end');
    expect(r.stats.rows).toBe(ref.length);
    addsUp(r.stats);
    expect(Object.keys(r.series.values)).toEqual(['pm25_ugm3', 'pm10_ugm3', 'co_ppm', 'o3_ppb', 'no2_ppb']);
    ref.forEach((row, i) => {
      expect(r.series.station[i]).toBe(row['station_id']!.toLowerCase());
      // Label time at +07:00 to UTC, computed independently with Date.parse.
      expect(r.series.time[i]).toBe(Date.parse(`${row['date_local']}T${row['time_local']}:00+07:00`));
      const pm = row['pm25_ugm3']!;
      if (pm === '') expect(r.series.values['pm25_ugm3']![i]).toBeNaN();
      else expect(r.series.values['pm25_ugm3']![i]).toBe(Number(pm));
    });
    const emptyPm = ref.filter((row) => row['pm25_ugm3'] === '').length;
    expect(r.stats.missingValues['pm25_ugm3']).toBe(emptyPm);
    expect(emptyPm).toBeGreaterThan(0);
  });

  it('hourLabel "start" moves every time one hour later (to the end of the hour)', () => {
    const s = readStationSeriesCsv(text, { hourLabel: 'start' });
    for (let i = 0; i < s.series.length; i++) expect(s.series.time[i]! - r.series.time[i]!).toBe(H);
  });

  it('another utcOffset shifts times accordingly', () => {
    const s = readStationSeriesCsv(text, { utcOffset: '+00:00' });
    expect(s.series.time[0]! - r.series.time[0]!).toBe(7 * H);
  });
});

describe('readStationSeriesCsv: PCD daily (no time column)', () => {
  const r = readStationSeriesCsv(fixture('pcd_pm25_daily_slice.csv'));
  it('stores local midnight at the start of each day, in UTC, and counts the duplicate and missing values', () => {
    expect(r.timeBasis).toBe('day-start');
    expect(new Date(r.series.time[0]!).toISOString()).toBe('2024-12-31T17:00:00.000Z');
    expect(r.series.station[0]).toBe('02t');
    // The slice repeats `2025-01-03,32T,` once (see SOURCES.md).
    expect(r.stats.duplicates).toBe(1);
    expect(r.stats.rows).toBe(303);
    addsUp(r.stats);
    expect(r.stats.missingValues['pm25_24h_ugm3']).toBe(3);
    expect(r.stats.allMissing).toBe(3);
  });
});

describe('readStationSeriesCsv: wide format (PCD workbook export)', () => {
  const wide = 'date,35T,36T,57T\n2025-04-22,81.5,N/A,60\n2025-04-23,,-999,61.2\nbad-date,1,2,3\n2025-04-22,82,70,x\n';
  const r = readStationSeriesCsv(wide, { valueName: 'pm25' });
  it('expands one column per station, lower-cases ids, keeps the last duplicate, rejects bad cells', () => {
    expect(r.format).toBe('wide');
    expect(r.stats.rows).toBe(12);
    addsUp(r.stats);
    expect(r.stats.rejected).toBe(4); // 3 cells of the bad date row + the 'x'
    expect(r.stats.duplicates).toBe(2); // 35t and 36t on 2025-04-22 again (57t's 'x' was rejected)
    expect(r.series.station).toEqual(['35t', '36t', '57t', '35t', '36t', '57t']);
    expect(Array.from(r.series.values['pm25']!)).toEqual([82, 70, 60, NaN, NaN, 61.2]);
    expect(r.stats.missingValues['pm25']).toBe(2);
    expect(r.rejected.map((x) => x.code)).toEqual(['E_DATE', 'E_DATE', 'E_DATE', 'E_NUMBER']);
  });
  it('format "wide" can be forced; a time column is used', () => {
    const s = readStationSeriesCsv('date,time,35t\n2026-01-01,01:00,5\n', { format: 'wide' });
    expect(s.series.time[0]).toBe(Date.parse('2026-01-01T01:00:00+07:00'));
  });
});

describe('readStationSeriesCsv: details and bad input', () => {
  it('matches station ids case-insensitively and counts duplicates (last wins)', () => {
    const r = readStationSeriesCsv('station_id,date_local,time_local,pm25\n35T,2026-01-01,01:00,10\n35t,2026-01-01,01:00,12\n35t,2026-01-01,02:00,-1\n');
    expect(r.series.length).toBe(2);
    expect(r.stats).toMatchObject({ rows: 3, accepted: 2, duplicates: 1, rejected: 0 });
    expect(r.series.values['pm25']![0]).toBe(12);
    expect(r.series.values['pm25']![1]).toBeNaN(); // -1 is a missing code
  });
  it('handles CRLF, a BOM, configurable missing codes and 24:00', () => {
    const r = readStationSeriesCsv('\uFEFFstation_id,date,time,pm25\r\n35t,2026-01-01,24:00,-\r\n35t,2026-01-02,01:00,-1\r\n', { missingValues: ['-'] });
    expect(r.series.time[0]).toBe(Date.parse('2026-01-02T00:00:00+07:00'));
    expect(r.series.values['pm25']![0]).toBeNaN();
    // The given list replaces the default, so -1 is not a missing code here; since the plausible-range rule
    // (src/core/ranges.ts) a negative PM2.5 is rejected (E_RANGE) rather than kept, unless checkRanges is off.
    expect(r.rejected.map((x) => [x.row, x.code, x.column])).toEqual([[2, 'E_RANGE', 'pm25']]);
    const off = readStationSeriesCsv('station_id,date,time,pm25\n35t,2026-01-02,01:00,-1\n', { missingValues: ['-'], checkRanges: false });
    expect(off.series.values['pm25']![0]).toBe(-1);
  });
  it('uses a date-time column with its own zone as is (the wind file)', () => {
    const r = readStationSeriesCsv(fixture('wind_hourly_slice.csv'));
    expect(r.series.station[0]).toBe('chiang_mai');
    expect(new Date(r.series.time[0]!).toISOString()).toBe('2025-04-22T00:00:00.000Z');
    expect(Object.keys(r.series.values)).toEqual(['wind_speed_ms', 'wind_dir_deg_from']);
    addsUp(r.stats);
    expect(r.stats.rows).toBe(48);
  });
  it('rejects unknown date formats (E_DATE), non-numbers (E_NUMBER), wrong column counts (E_COLUMNS), and keeps good rows', () => {
    const r = readStationSeriesCsv('station_id,date,time,pm25\n35t,2026-01-01,01:00,5\n35t,01.01.2026,02:00,5\n35t,2026-01-01,25:00,5\n35t,2026-01-01,03:00,abc\n35t,2026-01-01\n35t,2026-01-01,04:00,6\n');
    expect(r.series.length).toBe(2);
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([
      [2, 'E_DATE'],
      [3, 'E_DATE'],
      [4, 'E_NUMBER'],
      [5, 'E_COLUMNS'],
    ]);
    addsUp(r.stats);
  });
  it('throws E_EMPTY, E_BINARY, E_COLUMNS and E_ARG', () => {
    expectCode(() => readStationSeriesCsv(''), 'E_EMPTY');
    expectCode(() => readStationSeriesCsv(fixture('grid_4326.tif')), 'E_BINARY');
    expectCode(() => readStationSeriesCsv('station_id,value\n35t,1\n'), 'E_COLUMNS');
    expectCode(() => readStationSeriesCsv('station_id,date,pm25\n35t,2026-01-01,1\n', { valueColumns: ['pm10'] }), 'E_COLUMNS');
    expectCode(() => readStationSeriesCsv('a', { utcOffset: 'Bangkok' }), 'E_ARG');
    expectCode(() => readStationSeriesCsv('a', { hourLabel: 'middle' as 'end' }), 'E_ARG');
  });
});

describe('readStationsCsv', () => {
  it('reads the real Air4Thai station slice (CRLF, Thai names), lower-case ids, extra columns', () => {
    const { stations, rejected } = readStationsCsv(fixture('air4thai_stations_slice.csv'));
    const ref = csvParse(fixtureText('air4thai_stations_slice.csv').replace(/\r\n/g, '\n'));
    expect(rejected).toEqual([]);
    expect(stations.length).toBe(ref.length);
    ref.forEach((row, i) => {
      expect(stations.id[i]).toBe(row['station_id']);
      expect(stations.name[i]).toBe(row['name_en']);
      expect(stations.lat[i]).toBe(Number(row['lat']));
      expect(stations.lng[i]).toBe(Number(row['long']));
      expect(stations.extra['name_th']![i]).toBe(row['name_th']);
    });
  });
  it('rejects rows without coordinates (like 10T/11T) and repeated ids, with reasons', () => {
    const { stations, rejected } = readStationsCsv('ID,Name,Latitude,Longitude\n10T,Khet Bang Khae,,\n11T,X,13.7,\n35T,Chiang Mai,18.84,98.97\n35t,again,1,1\n');
    expect(stations.id).toEqual(['35t']);
    expect(rejected.map((r) => [r.row, r.code])).toEqual([
      [1, 'E_COORD'],
      [2, 'E_COORD'],
      [4, 'E_DUPLICATE'],
    ]);
    expect(rejected[0]!.message).toContain('10t');
  });
  it('names missing columns', () => {
    const e = expectCode(() => readStationsCsv('code,name\n1,a\n'), 'E_COLUMNS');
    expect(e.message).toMatch(/lat/);
  });
});
